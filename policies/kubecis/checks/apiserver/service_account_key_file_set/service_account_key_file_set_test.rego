package kubecis.checks.apiserver.service_account_key_file_set_test

import data.kubecis.checks.apiserver.service_account_key_file_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"service-account-key-file": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0031"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--service-account-key-file")
}
