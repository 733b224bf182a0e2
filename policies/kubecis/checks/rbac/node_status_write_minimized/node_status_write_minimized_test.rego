package kubecis.checks.rbac.node_status_write_minimized_test

import data.kubecis.checks.rbac.node_status_write_minimized as check
import data.kubecis.lib.testing

_roles := {"ClusterRole:r": {"rules": [testing.rule(["patch"], [""], ["nodes/status"])]}, "ClusterRole:other": {"rules": [testing.rule(["get", "list"], [""], ["nodes", "nodes/status"])]}}

test_broad_group_fails if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["Group:system:serviceaccounts"]}}, {})
	r.status == "fail"
	r.evidence.broad == 1
	min(r.evidence.findings).binding == "ClusterRoleBinding:x"
}

test_one_service_account_is_listed_for_review if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["ServiceAccount:a/ci"]}}, {})
	r.status == "warn"
	contains(r.reason, "ServiceAccount:a/ci via ClusterRoleBinding:x (ClusterRole:r) cluster-wide")
}

test_wildcards_grant_it if {
	roles := {"ClusterRole:r": {"rules": [testing.rule(["*"], ["*"], ["*"])]}}
	r := check.result with input as testing.snapshot(roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["User:u"]}}, {})
	r.status == "warn"
}

test_platform_grant_passes_and_is_counted if {
	bindings := {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["User:system:kube-controller-manager"], "provenance": "bootstrap"}}
	r := check.result with input as testing.snapshot(_roles, bindings, {})
	r.status == "pass"
	r.evidence.platformGrants == 1
}

test_unrelated_grant_passes if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:other", "subjects": ["Group:system:authenticated"]}}, {})
	r.status == "pass"
}

test_a_rolebinding_grants_nothing_on_nodes if {
	check.result.status == "pass" with input as testing.snapshot({"ClusterRole:r": {"rules": [testing.rule(["patch"], [""], ["nodes/status"])]}}, {"RoleBinding:a/x": {"role": "ClusterRole:r", "subjects": ["Group:system:serviceaccounts:a"]}}, {})
}

test_any_status_subresource_counts if {
	check.result.status == "warn" with input as testing.snapshot({"ClusterRole:r": {"rules": [testing.rule(["update"], [""], ["*/status"])]}}, {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["User:u"]}}, {})
}
