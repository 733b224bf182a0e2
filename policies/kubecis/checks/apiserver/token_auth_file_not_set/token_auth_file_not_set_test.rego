package kubecis.checks.apiserver.token_auth_file_not_set_test

import data.kubecis.checks.apiserver.token_auth_file_not_set as check
import data.kubecis.lib.testing

test_absent_passes if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "pass"
	r.id == "KAS-0008"
}

test_set_fails if {
	r := check.result with input as testing.apiserver_at({"token-auth-file": "/etc/kubernetes/tokens.csv"}, 33)
	r.status == "fail"
	startswith(r.reason, "--token-auth-file=")
}
