package kubecis.checks.rbac.cluster_admin_restricted_to_masters_test

import data.kubecis.checks.rbac.cluster_admin_restricted_to_masters as check
import data.kubecis.lib.testing

_admin := {"ClusterRole:cluster-admin": {"provenance": "bootstrap", "rules": [testing.rule(["*"], ["*"], ["*"])]}}

test_masters_only_passes if {
	r := check.result with input as testing.snapshot(_admin, {"ClusterRoleBinding:cluster-admin": {"role": "ClusterRole:cluster-admin", "subjects": ["Group:system:masters"], "provenance": "bootstrap"}}, {})
	r.status == "pass"
	r.id == "KRB-0001"
	r.evidence.mastersBindings == 1
}

test_serviceaccounts_group_fails if {
	r := check.result with input as testing.snapshot(_admin, {"ClusterRoleBinding:everyone": {"role": "ClusterRole:cluster-admin", "subjects": ["Group:system:serviceaccounts"]}}, {})
	r.status == "fail"
	r.evidence.findings == {{"subject": "Group:system:serviceaccounts", "binding": "ClusterRoleBinding:everyone", "role": "ClusterRole:cluster-admin", "namespace": "cluster"}}
	contains(r.reason, "Group:system:serviceaccounts via ClusterRoleBinding:everyone (ClusterRole:cluster-admin) cluster-wide")
}

test_extra_subject_on_bootstrap_binding_fails if {
	r := check.result with input as testing.snapshot(_admin, {"ClusterRoleBinding:cluster-admin": {"role": "ClusterRole:cluster-admin", "subjects": ["Group:system:masters", "User:bob"], "provenance": "bootstrap"}}, {})
	r.status == "fail"
	r.evidence.total == 1
}

test_equivalent_role_in_namespace_fails if {
	roles := {"ClusterRole:superuser": {"rules": [testing.rule(["*"], ["*"], ["*"])]}}
	r := check.result with input as testing.snapshot(roles, {"RoleBinding:team-a/su": {"role": "ClusterRole:superuser", "subjects": ["User:bob"]}}, {})
	r.status == "fail"
	min(r.evidence.findings).namespace == "team-a"
	r.evidence.adminRoles == 2
}
