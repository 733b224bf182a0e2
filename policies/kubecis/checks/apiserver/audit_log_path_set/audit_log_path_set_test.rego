package kubecis.checks.apiserver.audit_log_path_set_test

import data.kubecis.checks.apiserver.audit_log_path_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"audit-log-path": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0025"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--audit-log-path")
}
