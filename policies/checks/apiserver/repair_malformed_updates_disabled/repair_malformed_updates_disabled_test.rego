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
	r := check.result with input as testing.apiserver_at({}, 14)
	r.status == "not-applicable"
	contains(r.reason, "was removed in")
}

# Set on a version that removed it: that kube-apiserver does not start; a finding.
test_removed_flag_set_is_a_contradiction if {
	r := check.result with input as testing.apiserver_at({"repair-malformed-updates": true}, 14)
	r.status == "fail"
	contains(r.reason, "does not start with --repair-malformed-updates (removed in")
}
