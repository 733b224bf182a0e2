package kubecis.checks.rbac.no_wildcards_in_roles_test

import data.kubecis.checks.rbac.no_wildcards_in_roles as check
import data.kubecis.lib.testing

test_wildcard_verbs_fail if {
	r := check.result with input as testing.snapshot({"Role:a/r": {"rules": [testing.rule(["*"], ["apps"], ["deployments"])]}}, {}, {})
	r.status == "fail"
	r.evidence.findings == {{"role": "Role:a/r", "provenance": "user", "fields": ["verbs"]}}
	r.reason == "1 non-platform role(s) use wildcards (riskiest: Role:a/r in verbs)"
}

test_subresource_and_url_wildcards_fail if {
	roles := {"ClusterRole:c": {"rules": [testing.rule(["get"], [""], ["*/scale"]), testing.url_rule(["get"], ["/metrics/*"])]}}
	r := check.result with input as testing.snapshot(roles, {}, {})
	min(r.evidence.findings).fields == ["nonResourceURLs", "resources"]
}

test_platform_and_platform_aggregated_roles_pass if {
	roles := {
		"ClusterRole:cluster-admin": {"provenance": "bootstrap", "rules": [testing.rule(["*"], ["*"], ["*"])]},
		"ClusterRole:agg": {"provenance": "bootstrap", "aggregation": {"selectors": [], "selects": [], "declaredRules": 0}, "rules": [testing.rule(["*"], ["*"], ["*"])]},
		"Role:a/r": {"rules": [testing.rule(["get"], [""], ["pods"])]},
	}
	r := check.result with input as testing.snapshot(roles, {}, {})
	r.status == "pass"
	r.evidence.platformRoles == 1
}

test_user_aggregate_is_judged_on_what_it_holds if {
	roles := {
		"ClusterRole:cluster-admin": {"provenance": "bootstrap", "rules": [testing.rule(["*"], ["*"], ["*"])], "aggregatedInto": ["ClusterRole:readonly"]},
		"ClusterRole:readonly": {"aggregation": {"selectors": [{}], "selects": ["ClusterRole:cluster-admin"], "declaredRules": 0}, "rules": [testing.rule(["*"], ["*"], ["*"])]},
	}
	r := check.result with input as testing.snapshot(roles, {}, {})
	r.status == "fail"
	r.evidence.findings == {{"role": "ClusterRole:readonly", "provenance": "user", "fields": ["apiGroups", "resources", "verbs"]}}
}
