package kubecis.checks.apiserver.audit_log_maxage_sufficient_test

import data.kubecis.checks.apiserver.audit_log_maxage_sufficient as check
import data.kubecis.lib.testing

test_at_threshold_passes if {
	r := check.result with input as testing.apiserver({"audit-log-maxage": 30})
	r.status == "pass"
	r.id == "KAS-0026"
	r.evidence.threshold == {"parameter": "audit-log-maxage", "value": 30, "cisDefault": true}
}

test_below_threshold_fails if {
	r := check.result with input as testing.apiserver({"audit-log-maxage": 7})
	r.status == "fail"
	endswith(r.reason, "(at least 30 days required)")
}

test_absent_fails_on_default_zero if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	startswith(r.reason, "--audit-log-maxage=0 (default)")
}

test_override_changes_threshold if {
	r := check.result with input as testing.apiserver({"audit-log-maxage": 7}) with data.kubecis.options.params as {"audit-log-maxage": 7}
	r.status == "pass"
	r.evidence.threshold == {"parameter": "audit-log-maxage", "value": 7, "cisDefault": false}
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver({}), {"flags": {"audit-log-maxage": testing.invalid("30d", "invalid integer")}})
	r := check.result with input as doc
	r.status == "error"
}
