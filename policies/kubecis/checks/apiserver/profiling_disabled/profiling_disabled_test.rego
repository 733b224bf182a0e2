package kubecis.checks.apiserver.profiling_disabled_test

import data.kubecis.checks.apiserver.profiling_disabled as check
import data.kubecis.lib.testing

test_flag_false_passes if {
	r := check.result with input as testing.apiserver({"profiling": false})
	r.status == "pass"
	r.id == "KAS-0005"
}

test_flag_true_fails if {
	r := check.result with input as testing.apiserver({"profiling": true})
	r.status == "fail"
	r.reason == "--profiling=true: /debug/pprof is served"
}

test_flag_absent_fails_by_default if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	r.evidence.flag.set == false
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver({}), {"flags": {"profiling": testing.invalid("no", "invalid boolean")}})
	r := check.result with input as doc
	r.status == "error"
}
