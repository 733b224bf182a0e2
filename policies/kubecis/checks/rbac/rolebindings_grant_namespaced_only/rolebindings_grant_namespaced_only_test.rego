package kubecis.checks.rbac.rolebindings_grant_namespaced_only_test

import data.kubecis.checks.rbac.rolebindings_grant_namespaced_only as check
import data.kubecis.lib.testing

_roles := {"ClusterRole:node-reader": {"rules": [testing.rule(["get"], [""], ["nodes", "pods"]), testing.url_rule(["get"], ["/metrics"])]}}

test_rolebinding_to_cluster_scoped_rules_warns if {
	r := check.result with input as testing.snapshot(_roles, {"RoleBinding:a/x": {"role": "ClusterRole:node-reader", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.evidence.findings == {{"binding": "RoleBinding:a/x", "role": "ClusterRole:node-reader", "namespace": "a", "ineffective": ["/metrics", "nodes"]}}
}

test_clusterrolebinding_passes if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:node-reader", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
}

_delegator := {"ClusterRole:d": {"rules": [
	testing.rule(["bind"], ["rbac.authorization.k8s.io"], ["clusterroles"]),
	testing.rule(["escalate"], ["rbac.authorization.k8s.io"], ["clusterroles"]),
	testing.rule(["get", "patch"], [""], ["namespaces"]),
]}}

test_verbs_checked_in_the_namespace_are_effective if {
	r := check.result with input as testing.snapshot(_delegator, {"RoleBinding:a/x": {"role": "ClusterRole:d", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.evidence.findings == {{"binding": "RoleBinding:a/x", "role": "ClusterRole:d", "namespace": "a", "ineffective": ["clusterroles"]}}
}

# Scope belongs to an API group and a resource together (data.kubecis.rbac.cluster_scoped).
_ineffective(rules) := r.evidence.findings if {
	roles := {"ClusterRole:c": {"rules": rules}}
	r := check.result with input as testing.snapshot(roles, {"RoleBinding:a/x": {"role": "ClusterRole:c", "subjects": ["User:u"]}}, {})
		with data.kubecis.options.profile as "seed-2020"
}

_finding(resources) := {{"binding": "RoleBinding:a/x", "role": "ClusterRole:c", "namespace": "a", "ineffective": resources}}

test_a_custom_resource_named_like_a_built_in_is_granted if {
	_ineffective([testing.rule(["get", "update"], ["example.com"], ["nodes", "nodes/status", "persistentvolumes", "clusterroles"])]) == set()
	_ineffective([testing.rule(["get"], ["networking.example.com"], ["ipaddresses"])]) == set()
}

test_built_in_cluster_scoped_resources_of_other_groups if {
	_ineffective([testing.rule(["get", "list"], ["networking.k8s.io"], ["ipaddresses", "servicecidrs", "networkpolicies"])]) == _finding(["ipaddresses", "servicecidrs"])
	_ineffective([testing.rule(["get"], ["resource.k8s.io"], ["resourceslices", "deviceclasses", "resourceclaims"])]) == _finding(["deviceclasses", "resourceslices"])
	_ineffective([testing.rule(["create"], ["storagemigration.k8s.io"], ["storageversionmigrations"])]) == _finding(["storageversionmigrations"])
}

test_the_core_group_alone_has_nodes if {
	_ineffective([testing.rule(["get"], ["apps"], ["nodes"])]) == set()
	_ineffective([testing.rule(["get"], ["", "example.com"], ["nodes"])]) == _finding(["nodes"])
}

# apiGroups "*" matches the core Nodes too, which no RoleBinding reaches.
test_any_group_names_the_built_in_it_cannot_reach if {
	_ineffective([testing.rule(["get"], ["*"], ["nodes/proxy", "pods"])]) == _finding(["nodes/proxy"])
	_ineffective([testing.rule(["bind"], ["*"], ["clusterroles"])]) == set()
	_ineffective([testing.rule(["escalate"], ["*"], ["clusterroles"])]) == _finding(["clusterroles"])
}

# Impersonating users, groups, UIDs and user extras, and acting on signers, are authorized with
# no namespace; impersonating ServiceAccounts is authorized in theirs.
test_checks_made_with_no_namespace if {
	_ineffective([
		testing.rule(["impersonate"], [""], ["users", "groups", "serviceaccounts"]),
		testing.rule(["impersonate"], ["authentication.k8s.io"], ["uids", "userextras"]),
		testing.rule(["approve"], ["certificates.k8s.io"], ["signers"]),
	]) == _finding(["groups", "signers", "uids", "userextras", "users"])
}

test_use_on_podsecuritypolicies_is_granted_in_the_namespace if {
	_ineffective([testing.rule(["use"], ["policy", "extensions"], ["podsecuritypolicies"])]) == set()
	_ineffective([testing.rule(["create"], ["policy"], ["podsecuritypolicies"])]) == _finding(["podsecuritypolicies"])
}
