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

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "the AdvancedAuditing feature gate is not disabled by --feature-gates and the version is unknown: pass below 1.28, not-applicable from 1.28; give --kubernetes-version"

	# Named, the gate is refused where it was removed (lib.features): never not-applicable there.
	r2 := check.result with input as testing.apiserver_at({"feature-gates": {"AdvancedAuditing": false}}, null)
	r2.status == "warn"
	r2.reason == "kube-apiserver 1.28-1.36 does not start with --feature-gates naming AdvancedAuditing (the gate was removed in 1.28); on the other versions it may run: warn (the AdvancedAuditing feature gate is set to false by --feature-gates and the version is unknown: fail below 1.28, not-applicable from 1.28); give --kubernetes-version"
}

test_unknown_version_range_with_one_verdict_gets_it if {
	r := check.result with input as _ranged({"feature-gates": {"AdvancedAuditing": false}}, {"below": 28})
	r.status == "fail"
	r.reason == "--feature-gates sets AdvancedAuditing=false: audit policies are not applied"
	r2 := check.result with input as _ranged({}, {"below": 28})
	r2.status == "pass"
	r3 := check.result with input as _ranged({}, {"from": 29})
	r3.status == "not-applicable"
	r3.reason == "the AdvancedAuditing feature gate was removed in 1.28, before every version the target may run"
}
