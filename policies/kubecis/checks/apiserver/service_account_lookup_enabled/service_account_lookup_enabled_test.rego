package kubecis.checks.apiserver.service_account_lookup_enabled_test

import data.kubecis.checks.apiserver.service_account_lookup_enabled as check
import data.kubecis.lib.testing

test_wanted_value_passes if {
	r := check.result with input as testing.apiserver_at({"service-account-lookup": true}, 33)
	r.status == "pass"
	r.id == "KAS-0030"
}

test_other_value_fails if {
	r := check.result with input as testing.apiserver_at({"service-account-lookup": false}, 33)
	r.status == "fail"
	startswith(r.reason, "--service-account-lookup=false: ")
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"service-account-lookup": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc
	r.status == "error"
}

test_absent_flag_takes_its_default if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "pass"
	r.evidence.flag.default == true
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "--service-account-lookup is not set and the version is unknown: fail below 1.7, pass from 1.7; give --kubernetes-version"
	r2 := check.result with input as _ranged({}, {"from": 10})
	r2.status == "pass"
	r3 := check.result with input as testing.apiserver_at({"service-account-lookup": false}, null)
	r3.status == "fail"
}
