package kubecis.checks.apiserver.secure_port_enabled_test

import data.kubecis.checks.apiserver.secure_port_enabled as check
import data.kubecis.lib.testing

test_default_passes if {
	r := check.result with input as testing.apiserver_at({}, 25)
	r.status == "pass"
	r.id == "KAS-0023"
	r.evidence.flag.value == 6443
}

test_zero_fails if {
	r := check.result with input as testing.apiserver_at({"secure-port": 0}, 25)
	r.status == "fail"
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 25), {"flags": {"secure-port": testing.invalid("70000", "port 70000 is out of range 0-65535")}})
	r := check.result with input as doc
	r.status == "error"
}

test_not_in_current_benchmarks if {
	r := check.result with input as testing.apiserver({"secure-port": 0})
	r.status == "fail"
	r.outside == "cis-1.12"
}
