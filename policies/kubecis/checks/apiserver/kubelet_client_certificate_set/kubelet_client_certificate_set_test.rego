package kubecis.checks.apiserver.kubelet_client_certificate_set_test

import data.kubecis.checks.apiserver.kubelet_client_certificate_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"kubelet-client-certificate": "/etc/kubernetes/pki/x", "kubelet-client-key": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0011"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--kubelet-client-key")
}

test_one_of_two_fails if {
	r := check.result with input as testing.apiserver_at({"kubelet-client-certificate": "/etc/kubernetes/pki/x"}, 33)
	r.status == "fail"
	startswith(r.reason, "--kubelet-client-key not set: ")
}
