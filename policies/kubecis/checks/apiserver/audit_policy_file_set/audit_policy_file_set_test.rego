package kubecis.checks.apiserver.audit_policy_file_set_test

import data.kubecis.checks.apiserver.audit_policy_file_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"audit-policy-file": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0038"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--audit-policy-file")
}
