package kubecis.checks.apiserver.kubelet_certificate_authority_set_test

import data.kubecis.checks.apiserver.kubelet_certificate_authority_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"kubelet-certificate-authority": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0012"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--kubelet-certificate-authority")
}
