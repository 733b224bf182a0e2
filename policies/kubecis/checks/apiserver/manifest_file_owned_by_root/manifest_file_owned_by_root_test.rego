package kubecis.checks.apiserver.manifest_file_owned_by_root_test

import data.kubecis.checks.apiserver.manifest_file_owned_by_root as check
import data.kubecis.lib.testing

test_root_passes if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "0600", "uid": 0, "gid": 0, "owner": "root", "group": "root"}})
	r.status == "pass"
	r.id == "KAS-0043"
}

test_other_owner_fails if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "0600", "uid": 1000, "gid": 0, "owner": "ubuntu", "group": "root"}})
	r.status == "fail"
	r.reason == "/etc/kubernetes/manifests/kube-apiserver.yaml is owned by ubuntu:root, not root:root"
}

test_numeric_owner_named_by_id if {
	doc := object.union(testing.apiserver({}), {"manifest": {"path": "/m.yaml", "mode": "0600", "uid": 0, "gid": 50}})
	r := check.result with input as doc
	r.reason == "/m.yaml is owned by 0:50, not root:root"
}

test_no_metadata_warns if {
	r := check.result with input as testing.apiserver({})
	r.status == "warn"
}
