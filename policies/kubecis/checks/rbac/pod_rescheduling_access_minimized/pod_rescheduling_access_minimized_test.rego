package kubecis.checks.rbac.pod_rescheduling_access_minimized_test

import data.kubecis.checks.rbac.pod_rescheduling_access_minimized as check
import data.kubecis.lib.testing

_roles := {
	"ClusterRole:evict": {"rules": [testing.rule(["create"], [""], ["pods/eviction"])]},
	"ClusterRole:delete": {"rules": [testing.rule(["delete"], [""], ["pods"])]},
	"ClusterRole:cordon": {"rules": [testing.rule(["patch"], [""], ["nodes/status"])]},
	"ClusterRole:nodes": {"rules": [testing.rule(["update"], [""], ["nodes"])]},
}

_judge(bindings) := r if {
	doc := testing.snapshot(_roles, bindings, {})
	r := check.result with input as doc
}

test_a_broad_group_holding_both_fails if {
	r := _judge({
		"ClusterRoleBinding:e": {"role": "ClusterRole:evict", "subjects": ["Group:system:authenticated"]},
		"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": ["Group:system:authenticated"]},
	})
	r.status == "fail"
	r.evidence.broad == 2
	r.evidence.total == 2
}

test_updating_nodes_alone_holds_both_halves if {
	r := _judge({"ClusterRoleBinding:n": {"role": "ClusterRole:nodes", "subjects": ["ServiceAccount:a/ci"]}})
	r.status == "warn"
	contains(r.reason, "ServiceAccount:a/ci via ClusterRoleBinding:n (ClusterRole:nodes) cluster-wide")
}

test_both_halves_through_two_bindings_are_listed if {
	r := _judge({
		"RoleBinding:kube-system/e": {"role": "ClusterRole:delete", "subjects": ["ServiceAccount:a/ci"]},
		"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": ["ServiceAccount:a/ci"]},
	})
	r.status == "warn"
	{f.binding | some f in r.evidence.findings} == {"RoleBinding:kube-system/e", "ClusterRoleBinding:c"}
}

test_removing_pods_outside_kube_system_does_not_count if {
	_judge({
		"RoleBinding:a/e": {"role": "ClusterRole:evict", "subjects": ["ServiceAccount:a/ci"]},
		"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": ["ServiceAccount:a/ci"]},
	}).status == "pass"
}

test_one_half_alone_passes if {
	_judge({"ClusterRoleBinding:e": {"role": "ClusterRole:evict", "subjects": ["Group:system:authenticated"]}}).status == "pass"
	_judge({"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": ["Group:system:authenticated"]}}).status == "pass"
}

test_halves_held_by_different_subjects_pass if {
	_judge({
		"ClusterRoleBinding:e": {"role": "ClusterRole:evict", "subjects": ["User:alice"]},
		"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": ["User:bob"]},
	}).status == "pass"
}

# A member of a broad group that holds one half holds the combination when it holds the other:
# its own grant is listed; the group's grant is not (the group does not hold both).
test_a_half_held_through_a_broad_group_counts_for_its_members if {
	every group_and_member in [
		["Group:system:authenticated", "User:alice"],
		["Group:system:authenticated", "Group:ops"],
		["Group:system:serviceaccounts", "ServiceAccount:a/ci"],
		["Group:system:serviceaccounts", "Group:system:serviceaccounts:a"],
		["Group:system:serviceaccounts:a", "ServiceAccount:a/ci"],
		["Group:system:unauthenticated", "User:system:anonymous"],
	] {
		r := _judge({
			"ClusterRoleBinding:e": {"role": "ClusterRole:evict", "subjects": [group_and_member[0]]},
			"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": [group_and_member[1]]},
		})
		{f.subject | some f in r.evidence.findings} == {group_and_member[1]}
	}
}

test_a_broad_group_does_not_reach_subjects_outside_it if {
	every group_and_member in [
		["Group:system:serviceaccounts", "User:alice"],
		["Group:system:serviceaccounts:a", "ServiceAccount:b/ci"],
		["Group:system:authenticated", "User:system:anonymous"],
		["Group:system:unauthenticated", "User:alice"],
	] {
		_judge({
			"ClusterRoleBinding:e": {"role": "ClusterRole:evict", "subjects": [group_and_member[0]]},
			"ClusterRoleBinding:c": {"role": "ClusterRole:cordon", "subjects": [group_and_member[1]]},
		}).status == "pass"
	}
}

test_platform_grants_pass_and_are_counted if {
	r := _judge({"ClusterRoleBinding:n": {"role": "ClusterRole:nodes", "subjects": ["User:system:kube-controller-manager"], "provenance": "bootstrap"}})
	r.status == "pass"
	r.evidence.platformGrants == 1
}
