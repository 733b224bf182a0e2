package kubecis.checks.apiserver.etcd_cafile_set_test

import data.kubecis.checks.apiserver.etcd_cafile_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"etcd-cafile": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0035"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--etcd-cafile")
}
