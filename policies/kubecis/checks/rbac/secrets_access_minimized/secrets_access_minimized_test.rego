package kubecis.checks.rbac.secrets_access_minimized_test

import data.kubecis.checks.rbac.secrets_access_minimized as check
import data.kubecis.lib.testing

_roles := {"ClusterRole:r": {"rules": [testing.rule(["list"], [""], ["secrets"])]}, "ClusterRole:other": {"rules": [testing.rule(["get"], [""], ["configmaps"])]}}

test_broad_group_fails if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["Group:system:serviceaccounts:a"]}}, {})
	r.status == "fail"
	r.evidence.broad == 1
	min(r.evidence.findings).binding == "ClusterRoleBinding:x"
}

test_one_user_is_listed_for_review if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["User:u"]}}, {})
	r.status == "warn"
	contains(r.reason, "User:u via ClusterRoleBinding:x (ClusterRole:r) cluster-wide")
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

test_rolebinding_grants_in_its_namespace if {
	r := check.result with input as testing.snapshot(_roles, {"RoleBinding:a/x": {"role": "ClusterRole:r", "subjects": ["Group:system:authenticated", "Group:system:authenticated", "User:u"]}}, {})
	r.status == "fail"
	contains(r.reason, "in namespace a")
	contains(r.reason, "to everyone in that group")
}
