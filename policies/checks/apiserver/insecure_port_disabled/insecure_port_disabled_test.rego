package checks.apiserver.insecure_port_disabled_test

import data.checks.apiserver.insecure_port_disabled as check
import data.lib.testing

test_zero_passes if {
	r := check.result with input as testing.apiserver_at({"insecure-port": 0}, 18)
	r.status == "pass"
	r.id == "KAS-0022"
}

test_absent_before_1_20_fails_on_8080 if {
	r := check.result with input as testing.apiserver_at({}, 18)
	r.status == "fail"
	r.reason == "--insecure-port=8080 (default): the API server serves unauthenticated HTTP requests"
}

test_absent_from_1_20_passes_on_0 if {
	r := check.result with input as testing.apiserver_at({}, 20)
	r.status == "pass"
	r.evidence.flag.value == 0
}

test_removed_flag_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({"insecure-port": 0}, 24) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	r.reason == "--insecure-port was removed in 1.24 (the target runs 1.24; setting it stops kube-apiserver)"
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 18), {"flags": {"insecure-port": testing.invalid("http", "invalid port")}})
	r := check.result with input as doc
	r.status == "error"
}

test_outside_profile_keeps_its_own_verdict if {
	r := check.result with input as testing.apiserver({})
	r.status == "not-applicable"
	r.outside == "cis-1.12"
	r.reason == "--insecure-port was removed in 1.24 (the target runs 1.33; setting it stops kube-apiserver)"
}

# An unreadable value of a flag the target's version removed: one result, not a conflict.
test_invalid_value_after_removal_is_not_applicable if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"insecure-port": testing.invalid("http", "invalid port")}})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
}
