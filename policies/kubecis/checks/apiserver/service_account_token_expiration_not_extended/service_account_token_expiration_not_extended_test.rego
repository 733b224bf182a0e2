package kubecis.checks.apiserver.service_account_token_expiration_not_extended_test

import data.kubecis.checks.apiserver.service_account_token_expiration_not_extended as check
import data.kubecis.lib.testing

test_wanted_value_passes if {
	r := check.result with input as testing.apiserver_at({"service-account-extend-token-expiration": false}, 33)
	r.status == "pass"
	r.id == "KAS-0037"
}

test_other_value_fails if {
	r := check.result with input as testing.apiserver_at({"service-account-extend-token-expiration": true}, 33)
	r.status == "fail"
	startswith(r.reason, "--service-account-extend-token-expiration=true: ")
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"service-account-extend-token-expiration": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc
	r.status == "error"
}

test_absent_flag_takes_its_default if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "fail"
	r.evidence.flag.default == true
}

# A value only some releases of the target's minor set (RKE2's CIS mode from v1.33.6): the
# verdict depends on the release, so warn, naming the releases; another flag's never.
test_release_dependent_value_warns if {
	doc := object.union(testing.apiserver_at({"service-account-extend-token-expiration": false}, 33), {"diagnostics": [{
		"code": "release-dependent", "flag": "service-account-extend-token-expiration",
		"message": "set only on v1.33.6 and later", "origin": {"file": "config.yaml"},
	}]})
	r := check.result with input as doc
	r.status == "warn"
	contains(r.reason, "the verdict depends on the release: --service-account-extend-token-expiration: set only on v1.33.6 and later")
	endswith(r.reason, "(on the releases that set it: pass)")
}

test_release_dependent_other_flag_changes_nothing if {
	doc := object.union(testing.apiserver_at({"service-account-extend-token-expiration": false}, 33), {"diagnostics": [{
		"code": "release-dependent", "flag": "audit-policy-file",
		"message": "set only on v1.21.4 and later", "origin": {"file": "config.yaml"},
	}]})
	r := check.result with input as doc
	r.status == "pass"
}
