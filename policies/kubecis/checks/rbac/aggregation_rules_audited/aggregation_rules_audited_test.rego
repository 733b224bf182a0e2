package kubecis.checks.rbac.aggregation_rules_audited_test

import data.kubecis.checks.rbac.aggregation_rules_audited as check
import data.kubecis.lib.testing

_view := {"provenance": "bootstrap", "rules": [], "aggregation": {"selectors": [{"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}], "selects": ["ClusterRole:peek"], "declaredRules": 0}}

test_sensitive_contribution_fails if {
	roles := {
		"ClusterRole:view": _view,
		"ClusterRole:peek": {"rules": [testing.rule(["get"], [""], ["secrets"])], "aggregatedInto": ["ClusterRole:view"]},
	}
	r := check.result with input as testing.snapshot(roles, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {{"kind": "sensitive-contribution", "role": "ClusterRole:peek", "aggregatedInto": "ClusterRole:view", "permission": "secrets-read"}}
	contains(r.reason, "ClusterRole:peek adds secrets-read to ClusterRole:view")
}

test_harmless_contribution_passes if {
	roles := {
		"ClusterRole:view": _view,
		"ClusterRole:peek": {"rules": [testing.rule(["get"], ["example.com"], ["widgets"])], "aggregatedInto": ["ClusterRole:view"]},
	}
	r := check.result with input as testing.snapshot(roles, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.evidence.aggregatedRoles == 1
}

test_empty_selector_fails if {
	roles := {"ClusterRole:all": {"aggregation": {"selectors": [{}], "selects": ["ClusterRole:x"], "declaredRules": 0}}, "ClusterRole:x": {}}
	r := check.result with input as testing.snapshot(roles, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	contains(r.reason, "ClusterRole:all selector 0 names no label value")
}

test_exists_only_selector_fails_but_in_passes if {
	exists := {"matchExpressions": [{"key": "team", "operator": "Exists"}]}
	in_values := {"matchExpressions": [{"key": "team", "operator": "In", "values": ["a"]}]}
	r1 := check.result with input as testing.snapshot({"ClusterRole:a": {"aggregation": {"selectors": [exists], "selects": [], "declaredRules": 0}}}, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r1.status == "fail"
	r2 := check.result with input as testing.snapshot({"ClusterRole:a": {"aggregation": {"selectors": [in_values], "selects": [], "declaredRules": 0}}}, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r2.status == "pass"
}

test_selecting_admin_equivalent_fails if {
	roles := {
		"ClusterRole:ops": {"aggregation": {"selectors": [{"matchLabels": {"ops": "true"}}], "selects": ["ClusterRole:root"], "declaredRules": 0}},
		"ClusterRole:root": {"provenance": "bootstrap", "rules": [testing.rule(["*"], ["*"], ["*"])]},
	}
	r := check.result with input as testing.snapshot(roles, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	{"kind": "selects-admin-equivalent", "role": "ClusterRole:ops", "selected": "ClusterRole:root"} in r.evidence.findings
}

# Every aggregate is audited: a user-made one names each contributor that brings a sensitive
# permission, platform-made or not; a platform aggregate is not blamed for platform roles.
test_user_aggregate_names_its_risky_contributors if {
	roles := {
		"ClusterRole:support": {"aggregation": {"selectors": [{"matchLabels": {"support": "true"}}], "selects": ["ClusterRole:peek", "ClusterRole:system:node"], "declaredRules": 0}},
		"ClusterRole:peek": {"rules": [testing.rule(["get"], [""], ["secrets"])], "aggregatedInto": ["ClusterRole:support"]},
		"ClusterRole:system:node": {"provenance": "bootstrap", "rules": [testing.rule(["create"], [""], ["pods"])], "aggregatedInto": ["ClusterRole:support", "ClusterRole:admin"]},
		"ClusterRole:admin": {"provenance": "bootstrap", "aggregation": {"selectors": [{"matchLabels": {"x": "y"}}], "selects": ["ClusterRole:system:node"], "declaredRules": 0}},
	}
	r := check.result with input as testing.snapshot(roles, {}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {
		{"kind": "sensitive-contribution", "role": "ClusterRole:peek", "aggregatedInto": "ClusterRole:support", "permission": "secrets-read"},
		{"kind": "sensitive-contribution", "role": "ClusterRole:system:node", "aggregatedInto": "ClusterRole:support", "permission": "pods-create"},
	}
}
