package checks.rbac.no_unused_roles_test

import data.checks.rbac.no_unused_roles as check
import data.lib.testing

test_unbound_user_role_fails if {
	roles := {"Role:a/old": {}, "Role:a/used": {}, "ClusterRole:system:heapster": {"provenance": "bootstrap"}}
	r := check.result with input as testing.snapshot(roles, {"RoleBinding:a/x": {"role": "Role:a/used", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {{"role": "Role:a/old", "provenance": "user"}}
	r.evidence.unusedPlatformRoles == 1
}

test_aggregated_contributor_is_used if {
	roles := {"ClusterRole:bit": {"aggregatedInto": ["ClusterRole:view"]}, "ClusterRole:view": {"provenance": "bootstrap"}}
	r := check.result with input as testing.snapshot(roles, {"RoleBinding:a/x": {"role": "ClusterRole:view", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
}

test_no_bindings_collected_warns if {
	r := check.result with input as testing.snapshot({"Role:a/old": {}}, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
}
