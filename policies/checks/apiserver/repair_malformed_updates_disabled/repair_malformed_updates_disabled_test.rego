package checks.apiserver.repair_malformed_updates_disabled_test

import data.checks.apiserver.repair_malformed_updates_disabled as check
import data.lib.testing

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
	r := check.result with input as testing.apiserver_at({"repair-malformed-updates": true}, 14)
	r.status == "not-applicable"
	contains(r.reason, "was removed in")
}

# An unreadable value of a flag the target's version removed: one result, not a conflict.
test_invalid_value_after_removal_is_not_applicable if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"repair-malformed-updates": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
}
