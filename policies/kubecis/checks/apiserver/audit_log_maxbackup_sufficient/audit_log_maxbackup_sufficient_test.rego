package kubecis.checks.apiserver.audit_log_maxbackup_sufficient_test

import data.kubecis.checks.apiserver.audit_log_maxbackup_sufficient as check
import data.kubecis.lib.testing

test_at_threshold_passes if {
	r := check.result with input as testing.apiserver({"audit-log-maxbackup": 10})
	r.status == "pass"
	r.id == "KAS-0027"
	r.evidence.threshold == {"parameter": "audit-log-maxbackup", "value": 10, "cisDefault": true}
}

test_below_threshold_fails if {
	r := check.result with input as testing.apiserver({"audit-log-maxbackup": 3})
	r.status == "fail"
	endswith(r.reason, "(at least 10 files required)")
}

test_absent_fails_on_default_zero if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	startswith(r.reason, "--audit-log-maxbackup=0 (default)")
}

test_override_changes_threshold if {
	r := check.result with input as testing.apiserver({"audit-log-maxbackup": 3}) with data.kubecis.options.params as {"audit-log-maxbackup": 3}
	r.status == "pass"
	r.evidence.threshold == {"parameter": "audit-log-maxbackup", "value": 3, "cisDefault": false}
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver({}), {"flags": {"audit-log-maxbackup": testing.invalid("30d", "invalid integer")}})
	r := check.result with input as doc
	r.status == "error"
}
