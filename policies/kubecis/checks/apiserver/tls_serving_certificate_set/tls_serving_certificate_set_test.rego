package kubecis.checks.apiserver.tls_serving_certificate_set_test

import data.kubecis.checks.apiserver.tls_serving_certificate_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"tls-cert-file": "/etc/kubernetes/pki/x", "tls-private-key-file": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0033"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--tls-private-key-file")
}

test_one_of_two_fails if {
	r := check.result with input as testing.apiserver_at({"tls-cert-file": "/etc/kubernetes/pki/x"}, 33)
	r.status == "fail"
	startswith(r.reason, "--tls-private-key-file not set: ")
}
