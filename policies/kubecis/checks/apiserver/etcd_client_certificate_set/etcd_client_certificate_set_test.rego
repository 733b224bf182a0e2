package kubecis.checks.apiserver.etcd_client_certificate_set_test

import data.kubecis.checks.apiserver.etcd_client_certificate_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver_at({"etcd-certfile": "/etc/kubernetes/pki/x", "etcd-keyfile": "/etc/kubernetes/pki/x"}, 33)
	r.status == "pass"
	r.id == "KAS-0032"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	contains(r.reason, "--etcd-keyfile")
}

test_one_of_two_fails if {
	r := check.result with input as testing.apiserver_at({"etcd-certfile": "/etc/kubernetes/pki/x"}, 33)
	r.status == "fail"
	startswith(r.reason, "--etcd-keyfile not set: ")
}
