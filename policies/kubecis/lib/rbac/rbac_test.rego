package kubecis.lib.rbac_test

import data.kubecis.lib.rbac
import data.kubecis.lib.testing

test_resource_matching_follows_the_authorizer if {
	rbac.resource_matches("*", "secrets")
	rbac.resource_matches("pods/exec", "pods/exec")
	rbac.resource_matches("*/exec", "pods/exec")
	not rbac.resource_matches("pods/*", "pods/exec")
	not rbac.resource_matches("*/exec", "pods")
	not rbac.resource_matches("pods", "pods/exec")
}

test_allows_needs_verb_group_and_resource if {
	perm := {"verbs": ["get"], "groups": [""], "resources": ["secrets"]}
	rbac.allows(testing.rule(["get", "list"], [""], ["secrets"]), perm)
	rbac.allows(testing.rule(["*"], ["*"], ["*"]), perm)
	not rbac.allows(testing.rule(["get"], ["apps"], ["secrets"]), perm)
	not rbac.allows(testing.rule(["create"], [""], ["secrets"]), perm)
}

test_broad_subjects if {
	rbac.broad("Group:system:authenticated")
	rbac.broad("Group:system:serviceaccounts:team-a")
	not rbac.broad("Group:system:masters")
	not rbac.broad("ServiceAccount:kube-system/default")
}

test_findings_carry_total_and_overridable_limit if {
	findings := {"c", "a", "b"}
	rbac.findings_evidence(findings, {"x": 1}) == {"findings": findings, "total": 3, "limit": 25, "x": 1}
	ev := rbac.findings_evidence(findings, {}) with data.kubecis.options.params as {"rbac-max-findings": 2}
	ev.limit == 2
}

test_more_counts_the_rest if {
	rbac.describe_grant({"subject": "User:u", "binding": "RoleBinding:a/b", "role": "Role:a/r", "namespace": "a"}) == "User:u via RoleBinding:a/b (Role:a/r) in namespace a"
}
