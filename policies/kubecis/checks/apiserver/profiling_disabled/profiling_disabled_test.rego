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

# Flags may be missing or overridden (an incomplete-flags diagnostic): neither the pass nor
# the fail of the flags seen is a verdict; the reason names the place and what they give.
_incomplete(flags) := object.union(testing.apiserver(flags), {"diagnostics": [{
	"code": "incomplete-flags",
	"message": "argument 9 is $EXTRA_ARGS, which kubecis could not expand",
	"origin": {"file": "pod.yaml", "line": 12},
}]})

test_incomplete_flags_turn_a_pass_into_an_error if {
	r := check.result with input as _incomplete({"profiling": false})
	r.status == "error"
	r.reason == concat("", [
		"flags may be missing or overridden: pod.yaml:12: argument 9 is $EXTRA_ARGS, which kubecis could not expand; ",
		"no verdict can rest on the flags seen (they give: pass)",
	])
}

test_incomplete_flags_turn_a_fail_into_an_error if {
	r := check.result with input as _incomplete({"profiling": true})
	r.status == "error"
	endswith(r.reason, "(they give: fail, --profiling=true: /debug/pprof is served)")
}

test_other_diagnostics_leave_the_verdict if {
	doc := object.union(testing.apiserver({"profiling": false}), {"diagnostics": [{"code": "unresolved-variable", "message": "x", "origin": {"file": "u.service"}}]})
	r := check.result with input as doc
	r.status == "pass"
}
