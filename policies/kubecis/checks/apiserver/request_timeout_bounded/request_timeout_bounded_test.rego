package kubecis.checks.apiserver.request_timeout_bounded_test

import data.kubecis.checks.apiserver.request_timeout_bounded as check
import data.kubecis.lib.testing

test_default_passes if {
	r := check.result with input as testing.apiserver({})
	r.status == "pass"
	r.id == "KAS-0029"
	r.evidence.seconds == 60
	r.evidence.bounds.max == {"parameter": "request-timeout-max-seconds", "value": 300, "cisDefault": true}
}

test_cis_example_passes if {
	r := check.result with input as testing.apiserver({"request-timeout": "300s"})
	r.status == "pass"
}

test_too_long_fails if {
	r := check.result with input as testing.apiserver({"request-timeout": "1h"})
	r.status == "fail"
	r.reason == "--request-timeout=1h: outside 60s-300s"
}

test_too_short_fails if {
	r := check.result with input as testing.apiserver({"request-timeout": "10s"})
	r.status == "fail"
}

test_override_bounds if {
	r := check.result with input as testing.apiserver({"request-timeout": "1h"}) with data.kubecis.options.params as {"request-timeout-max-seconds": 3600}
	r.status == "pass"
	r.evidence.bounds.max.cisDefault == false
}

test_not_a_duration_is_an_error if {
	r := check.result with input as testing.apiserver({"request-timeout": "300"})
	r.status == "error"
	doc := object.union(testing.apiserver({}), {"flags": {"request-timeout": testing.invalid("x", "bad")}})
	s := check.result with input as doc
	s.status == "error"
}
