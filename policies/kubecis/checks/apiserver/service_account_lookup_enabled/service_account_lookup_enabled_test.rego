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
