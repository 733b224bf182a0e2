package kubecis.checks.apiserver.repair_malformed_updates_disabled_test

import data.kubecis.checks.apiserver.repair_malformed_updates_disabled as check
import data.kubecis.lib.testing

test_wanted_value_passes if {
	r := check.result with input as testing.apiserver_at({"repair-malformed-updates": false}, 12)
	r.status == "pass"
	r.id == "KAS-0024"
}

test_other_value_fails if {
	r := check.result with input as testing.apiserver_at({"repair-malformed-updates": true}, 12)
	r.status == "fail"
	startswith(r.reason, "--repair-malformed-updates=true: ")
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 12), {"flags": {"repair-malformed-updates": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc
	r.status == "error"
}

test_absent_flag_takes_its_default if {
	r := check.result with input as testing.apiserver_at({}, 12)
	r.status == "fail"
	r.evidence.flag.default == true
}

test_removed_flag_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 14)
	r.status == "not-applicable"
	contains(r.reason, "was removed in")
}

# An unreadable value of a flag the target's version removed: one result (error: kube-apiserver
# does not start with it), not a conflict of the removed and error clauses.
test_invalid_value_after_removal_is_one_error if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"repair-malformed-updates": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "error"
}

# Set on a version that removed it: that kube-apiserver does not start; a finding.
test_removed_flag_set_is_a_contradiction if {
	r := check.result with input as testing.apiserver_at({"repair-malformed-updates": true}, 14)
	r.status == "fail"
	contains(r.reason, "does not start with --repair-malformed-updates (removed in")
}

# Unknown version, not set: never the pre-1.14 default (true) on a version that may be current.
test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.reason == "--repair-malformed-updates is not set and the version is unknown: fail below 1.14, not-applicable from 1.14; give --kubernetes-version"
}

test_unknown_version_below_1_14_fails_on_the_default if {
	doc := json.patch(testing.apiserver_at({}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"below": 14}}])
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.reason == "--repair-malformed-updates is not set: its default fails on every version the target may run (1.0-1.13)"
}

test_unknown_version_set_false_passes if {
	r := check.result with input as testing.apiserver_at({"repair-malformed-updates": false}, null) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
}
