package kubecis.checks.rbac.default_service_accounts_unused_test

import data.kubecis.checks.rbac.default_service_accounts_unused as check
import data.kubecis.lib.testing

test_automount_unset_fails if {
	r := check.result with input as testing.snapshot({}, {}, {"a/default": {}, "a/app": {}})
	r.status == "fail"
	r.evidence.findings == {{"kind": "automount", "serviceAccount": "a/default", "automountServiceAccountToken": null}}
}

test_grant_to_default_fails if {
	bindings := {"RoleBinding:a/x": {"role": "Role:a/r", "subjects": ["ServiceAccount:a/default"]}}
	r := check.result with input as testing.snapshot({"Role:a/r": {}}, bindings, {"a/default": {"automountServiceAccountToken": false}})
	r.status == "fail"
	min(r.evidence.findings).kind == "grant"
}

test_hardened_default_passes if {
	r := check.result with input as testing.snapshot({}, {}, {"a/default": {"automountServiceAccountToken": false}, "a/app": {}})
	r.status == "pass"
}

test_no_service_accounts_warns if {
	r := check.result with input as testing.snapshot({}, {}, {})
	r.status == "warn"
}
