package kubecis.checks.rbac.no_unused_roles_test

import data.kubecis.checks.rbac.no_unused_roles as check
import data.kubecis.lib.testing

test_unbound_user_role_fails if {
	roles := {"Role:a/old": {}, "Role:a/used": {}, "ClusterRole:system:heapster": {"provenance": "bootstrap"}}
	r := check.result with input as testing.snapshot(roles, {"RoleBinding:a/x": {"role": "Role:a/used", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {{"role": "Role:a/old", "provenance": "user"}}
	r.evidence.unusedPlatformRoles == 1
}

test_aggregated_contributor_is_used if {
	roles := {"ClusterRole:bit": {"aggregatedInto": ["ClusterRole:view"]}, "ClusterRole:view": {"provenance": "bootstrap", "aggregation": _selecting(["ClusterRole:bit"])}}
	r := check.result with input as testing.snapshot(roles, {"RoleBinding:a/x": {"role": "ClusterRole:view", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
}

_selecting(keys) := {"selectors": [{}], "selects": keys, "declaredRules": 0}

# Used through a chain: bit → team (user aggregate, unbound) → ops (user aggregate, bound).
# Selected only by an unbound user aggregate: unused, like that aggregate.
test_used_only_when_a_bound_aggregate_reaches_it if {
	roles := {
		"ClusterRole:bit": {"aggregatedInto": ["ClusterRole:team"]},
		"ClusterRole:team": {"aggregation": _selecting(["ClusterRole:bit"]), "aggregatedInto": ["ClusterRole:ops"]},
		"ClusterRole:ops": {"aggregation": _selecting(["ClusterRole:team"])},
		"ClusterRole:stray": {"aggregatedInto": ["ClusterRole:loose"]},
		"ClusterRole:loose": {"aggregation": _selecting(["ClusterRole:stray"])},
	}
	r := check.result with input as testing.snapshot(roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:ops", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {{"role": "ClusterRole:loose", "provenance": "user"}, {"role": "ClusterRole:stray", "provenance": "user"}}
}

test_no_bindings_collected_warns if {
	r := check.result with input as testing.snapshot({"Role:a/old": {}}, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
}
