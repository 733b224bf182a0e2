package kubecis.checks.apiserver.audit_log_maxsize_sufficient_test

import data.kubecis.checks.apiserver.audit_log_maxsize_sufficient as check
import data.kubecis.lib.testing

test_at_threshold_passes if {
	r := check.result with input as testing.apiserver({"audit-log-maxsize": 100})
	r.status == "pass"
	r.id == "KAS-0028"
	r.evidence.threshold == {"parameter": "audit-log-maxsize", "value": 100, "cisDefault": true}
}

test_below_threshold_fails if {
	r := check.result with input as testing.apiserver({"audit-log-maxsize": 20})
	r.status == "fail"
	endswith(r.reason, "(at least 100 MB required)")
}

test_absent_fails_on_default_zero if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	startswith(r.reason, "--audit-log-maxsize=0 (default)")
}

test_override_changes_threshold if {
	r := check.result with input as testing.apiserver({"audit-log-maxsize": 20}) with data.kubecis.options.params as {"audit-log-maxsize": 20}
	r.status == "pass"
	r.evidence.threshold == {"parameter": "audit-log-maxsize", "value": 20, "cisDefault": false}
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver({}), {"flags": {"audit-log-maxsize": testing.invalid("30d", "invalid integer")}})
	r := check.result with input as doc
	r.status == "error"
}
