package kubecis.checks.apiserver.manifest_file_mode_restricted_test

import data.kubecis.checks.apiserver.manifest_file_mode_restricted as check
import data.kubecis.lib.testing

test_mode_600_passes if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "0600", "uid": 0, "gid": 0, "owner": "root", "group": "root"}})
	r.status == "pass"
	r.id == "KAS-0042"
}

test_mode_400_passes if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "400", "uid": 0, "gid": 0, "owner": "root", "group": "root"}})
	r.status == "pass"
}

test_mode_644_fails if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "0644", "uid": 0, "gid": 0, "owner": "root", "group": "root"}})
	r.status == "fail"
	r.reason == "/etc/kubernetes/manifests/kube-apiserver.yaml has mode 0644: more permissive than 600"
}

test_override_allows_644 if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "0644", "uid": 0, "gid": 0, "owner": "root", "group": "root"}}) with data.kubecis.options.params as {"manifest-max-mode": "644"}
	r.status == "pass"
}

test_invalid_mode_is_an_error if {
	r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "rw-------", "uid": 0, "gid": 0, "owner": "root", "group": "root"}})
	r.status == "error"
}

test_no_metadata_warns if {
	r := check.result with input as testing.apiserver({})
	r.status == "warn"
}

# Only three or four octal digits are a mode.
test_modes_that_are_not_octal_are_errors if {
	every mode in ["0800", "06000", "60", "", 600, "06a0"] {
		r := check.result with input as object.union(testing.apiserver({}), {"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": mode, "uid": 0, "gid": 0}})
		r.status == "error"
	}
}

# A control that reads no flag is judged whatever the flags hide.
test_incomplete_flags_leave_a_flagless_control if {
	doc := object.union(testing.apiserver({}), {
		"manifest": {"path": "/etc/kubernetes/manifests/kube-apiserver.yaml", "mode": "0600", "uid": 0, "gid": 0, "owner": "root", "group": "root"},
		"diagnostics": [{"code": "incomplete-flags", "message": "the line looks cut short", "origin": {"file": "ps.txt"}}],
	})
	r := check.result with input as doc
	r.status == "pass"
}
