package kubecis.checks.rbac.cluster_configmaps_write_minimized_test

import data.kubecis.checks.rbac.cluster_configmaps_write_minimized as check
import data.kubecis.lib.testing

_write := testing.rule(["patch"], [""], ["configmaps"])

_named(names) := object.union(testing.rule(["update"], [""], ["configmaps"]), {"resourceNames": names})

_judge(rule, binding, subject) := r if {
	doc := testing.snapshot({"ClusterRole:r": {"rules": [rule]}}, {binding: {"role": "ClusterRole:r", "subjects": [subject]}}, {})
	r := check.result with input as doc
}

test_broad_group_cluster_wide_fails if {
	r := _judge(_write, "ClusterRoleBinding:x", "Group:system:serviceaccounts")
	r.status == "fail"
	r.evidence.broad == 1
}

test_a_rolebinding_in_kube_system_is_listed_for_review if {
	r := _judge(_write, "RoleBinding:kube-system/x", "ServiceAccount:a/ci")
	r.status == "warn"
	contains(r.reason, "ServiceAccount:a/ci via RoleBinding:kube-system/x (ClusterRole:r) in namespace kube-system")
}

test_a_rolebinding_elsewhere_does_not_reach_kube_system if {
	_judge(_write, "RoleBinding:a/x", "Group:system:authenticated").status == "pass"
}

test_resource_names_limit_the_configmaps_reached if {
	_judge(_named(["coredns"]), "ClusterRoleBinding:x", "User:u").status == "warn"
	_judge(_named(["kube-proxy", "aws-auth"]), "ClusterRoleBinding:x", "User:u").status == "warn"
	_judge(_named(["cluster-info"]), "ClusterRoleBinding:x", "Group:system:authenticated").status == "pass"
}

test_wildcards_grant_it if {
	_judge(testing.rule(["*"], ["*"], ["*"]), "ClusterRoleBinding:x", "User:u").status == "warn"
}

test_reading_or_creating_configmaps_passes if {
	_judge(testing.rule(["get", "list", "create"], [""], ["configmaps"]), "ClusterRoleBinding:x", "Group:system:authenticated").status == "pass"
}

test_platform_grant_passes_and_is_counted if {
	r := check.result with input as testing.snapshot(
		{"ClusterRole:r": {"rules": [_write]}},
		{"ClusterRoleBinding:x": {"role": "ClusterRole:r", "subjects": ["User:system:kube-controller-manager"], "provenance": "bootstrap"}},
		{},
	)
	r.status == "pass"
	r.evidence.platformGrants == 1
}
