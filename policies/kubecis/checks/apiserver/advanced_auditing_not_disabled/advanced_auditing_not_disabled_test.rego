package kubecis.checks.apiserver.advanced_auditing_not_disabled_test

import data.kubecis.checks.apiserver.advanced_auditing_not_disabled as check
import data.kubecis.lib.testing

test_absent_passes if {
	r := check.result with input as testing.apiserver_at({}, 14)
	r.status == "pass"
	r.id == "KAS-0036"
}

test_gate_true_passes if {
	r := check.result with input as testing.apiserver_at({"feature-gates": {"AdvancedAuditing": true}}, 14)
	r.status == "pass"
}

test_gate_false_fails if {
	r := check.result with input as testing.apiserver_at({"feature-gates": {"AdvancedAuditing": false, "RotateKubeletServerCertificate": true}}, 14)
	r.status == "fail"
}

test_removed_gate_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 28) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "removed in 1.28")
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 14), {"flags": {"feature-gates": testing.invalid("AdvancedAuditing", "missing =")}})
	r := check.result with input as doc
	r.status == "error"
}

# An unreadable --feature-gates on a version without the gate: one result (error: kube-apiserver
# does not start with it), not a conflict.
test_invalid_value_after_removal_is_one_error if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"feature-gates": testing.invalid("AdvancedAuditing", "missing =")}})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "error"
}
