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

# role_power: what each role of the input grants, computed once per role; an access result
# gives it once per role of its findings.
test_roles_have_their_power if {
	snapshot := testing.snapshot(
		{
			"ClusterRole:admin-like": {"rules": [testing.rule(["*"], ["*"], ["*"])]},
			"Role:a/reader": {"rules": [testing.rule(["get"], [""], ["secrets"]), testing.rule(["create"], [""], ["pods"])]},
			"Role:a/harmless": {"rules": [testing.rule(["get"], [""], ["configmaps"])]},
		},
		{"RoleBinding:a/x": {"role": "Role:a/reader", "subjects": ["User:u"]}},
		{},
	)
	power := rbac.role_power with input as snapshot
	"wildcard" in power["ClusterRole:admin-like"]
	"secrets-read" in power["ClusterRole:admin-like"]
	"rbac-escalation" in power["ClusterRole:admin-like"]
	power["Role:a/reader"] == ["pods-create", "secrets-read"]
	power["Role:a/harmless"] == []
	grants := rbac.grants_holding(data.kubecis.rbac.permissions["secrets-read"]) with input as snapshot
	grants == [{"subject": "User:u", "binding": "RoleBinding:a/x", "role": "Role:a/reader", "namespace": "a", "provenance": "user"}]
	r := data.kubecis.checks.rbac.secrets_access_minimized.result with input as snapshot
	r.evidence.powers == {"Role:a/reader": ["pods-create", "secrets-read"]}
}

# A grant is a (binding, subject) pair, listed once however many rules of the role hold the
# permission and however often the binding names the subject.
test_each_grant_is_listed_once if {
	snapshot := testing.snapshot(
		{"Role:a/reader": {"rules": [testing.rule(["get"], [""], ["secrets"]), testing.rule(["*"], [""], ["secrets", "configmaps"])]}},
		{"RoleBinding:a/x": {"role": "Role:a/reader", "subjects": ["User:u", "User:v", "User:u"]}},
		{},
	)
	grants := rbac.grants_holding(data.kubecis.rbac.permissions["secrets-read"]) with input as snapshot
	count(grants) == 2
	{g.subject | some g in grants} == {"User:u", "User:v"}
}

# A permission on a cluster-scoped resource is granted by ClusterRoleBindings only; a role
# that also holds a namespaced permission of the same list grants through RoleBindings too.
test_cluster_scoped_permissions_need_a_cluster_role_binding if {
	perms := [
		{"verbs": ["get"], "groups": [""], "resources": ["nodes/proxy"]},
		{"verbs": ["create"], "groups": [""], "resources": ["pods/exec"]},
	]
	snapshot := testing.snapshot(
		{
			"ClusterRole:nodes-only": {"rules": [testing.rule(["get"], [""], ["nodes/proxy"])]},
			"ClusterRole:both": {"rules": [testing.rule(["get"], [""], ["nodes/proxy"]), testing.rule(["create"], [""], ["pods/exec"])]},
		},
		{
			"RoleBinding:a/nodes": {"role": "ClusterRole:nodes-only", "subjects": ["User:n"]},
			"ClusterRoleBinding:nodes": {"role": "ClusterRole:nodes-only", "subjects": ["User:c"]},
			"RoleBinding:a/both": {"role": "ClusterRole:both", "subjects": ["User:b"]},
		},
		{},
	)
	grants := rbac.grants_holding(perms) with input as snapshot
	{[g.subject, g.namespace] | some g in grants} == {["User:c", "cluster"], ["User:b", "a"]}
	count(grants) == 2
}

test_more_counts_the_rest if {
	rbac.describe_grant({"subject": "User:u", "binding": "RoleBinding:a/b", "role": "Role:a/r", "namespace": "a"}) == "User:u via RoleBinding:a/b (Role:a/r) in namespace a"
}

# An inventory that lost an input file: every inventory-wide control (METADATA
# custom.inventory: whole) is error, naming the files; a control judged per grant still judges.
_incomplete_snapshot(rejected) := object.union(
	testing.snapshot(
		{"Role:a/old": {}, "ClusterRole:wide": {"rules": [testing.rule(["get"], [""], ["secrets"])]}},
		{"ClusterRoleBinding:x": {"role": "ClusterRole:wide", "subjects": ["Group:system:authenticated"]}},
		{},
	),
	{"inventory": {"complete": false, "rejected": rejected}},
)

_whole_inventory_controls := {"aggregation_rules_audited", "default_service_accounts_unused", "no_dangling_bindings", "no_duplicated_permissions", "no_unused_roles", "service_account_tokens_mounted_where_needed"}

test_inventory_wide_controls_are_error_on_an_incomplete_inventory if {
	every name in _whole_inventory_controls {
		r := data.kubecis.checks.rbac[name].result with input as _incomplete_snapshot(["b.yaml"])
		r.status == "error"
		r.reason == "inventory incomplete: b.yaml was rejected, and this control judges the whole inventory: fix or re-export it and run again"
	}
	r := data.kubecis.checks.rbac.no_unused_roles.result with input as _incomplete_snapshot(["b.yaml", "c.json"])
	startswith(r.reason, "inventory incomplete: b.yaml, c.json were rejected, and this control judges the whole inventory: fix or re-export them")
}

test_complete_inventory_is_judged if {
	snapshot := object.union(_incomplete_snapshot([]), {"inventory": {"complete": true, "rejected": []}})
	r := data.kubecis.checks.rbac.no_unused_roles.result with input as snapshot with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
}

test_per_grant_controls_judge_what_they_see if {
	r := data.kubecis.checks.rbac.secrets_access_minimized.result with input as _incomplete_snapshot(["b.yaml"])
	r.status == "fail"
}

# When the caller ranks findings and keeps max_findings of them (the kubecis host), an access
# result lists only the smallest run of tiers, riskiest first, that holds that many: cluster-wide
# groups; all cluster-wide; those and namespaced groups; all. The total counts every grant.
_tiered := testing.snapshot(
	{"ClusterRole:r": {"rules": [testing.rule(["get"], [""], ["secrets"])]}},
	{
		"ClusterRoleBinding:c": {"role": "ClusterRole:r", "subjects": ["Group:g1", "User:u1", "ServiceAccount:a/s1", "Group:g2"]},
		"RoleBinding:a/n": {"role": "ClusterRole:r", "subjects": ["User:u2", "Group:g3", "ServiceAccount:a/s2", "User:system:anonymous"]},
	},
	{},
)

_listed_subjects(limit, findings) := {g.subject | some g in r.evidence.findings} if {
	r := data.kubecis.checks.rbac.secrets_access_minimized.result with input as _tiered
		with data.kubecis.options.findings as findings
		with data.kubecis.options.params as {"rbac-max-findings": limit}
	r.evidence.total == 8
}

test_a_ranking_caller_gets_the_riskiest_tiers_only if {
	_listed_subjects(2, "riskiest") == {"Group:g1", "Group:g2"}
	_listed_subjects(3, "riskiest") == {"Group:g1", "Group:g2", "User:u1", "ServiceAccount:a/s1"}
	_listed_subjects(5, "riskiest") == {"Group:g1", "Group:g2", "User:u1", "ServiceAccount:a/s1", "Group:g3", "User:system:anonymous"}
	count(_listed_subjects(7, "riskiest")) == 8
	count(_listed_subjects(2, "all")) == 8
	count(_listed_subjects(null, "riskiest")) == 8
}
