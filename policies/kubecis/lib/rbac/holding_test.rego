package kubecis.lib.rbac_test

import data.kubecis.lib.rbac
import data.kubecis.lib.testing

# access_result_holding(chain, perms, what) is access_result(chain, grants_holding(perms), what)
# (the findings in any order), on snapshots that exercise each of its counts: provenance,
# broad groups through platform and user bindings, groups and anonymous, cluster-wide and
# namespaced grants, a permission granted through ClusterRoleBindings only, a subject named
# twice, a binding without subjects, a binding of a role the input lacks, and every tier of
# the riskiest findings under each cap.
_perms := [
	{"verbs": ["get"], "groups": [""], "resources": ["secrets"]},
	{"verbs": ["get"], "groups": [""], "resources": ["nodes/proxy"]},
]

_roles := {
	"ClusterRole:secrets": {"rules": [testing.rule(["get"], [""], ["secrets"])]},
	"ClusterRole:nodes": {"rules": [testing.rule(["get"], [""], ["nodes/proxy"])]},
	"ClusterRole:both": {"rules": [testing.rule(["*"], [""], ["nodes/proxy", "secrets"])]},
	"Role:a/secrets": {"rules": [testing.rule(["get", "list"], [""], ["secrets"])]},
	"ClusterRole:platform": {"provenance": "bootstrap", "rules": [testing.rule(["get"], [""], ["secrets"])]},
	"ClusterRole:other": {"rules": [testing.rule(["get"], [""], ["pods"])]},
}

_bindings := {
	"ClusterRoleBinding:c1": {"role": "ClusterRole:secrets", "subjects": ["Group:g1", "User:u1", "ServiceAccount:a/s1", "Group:g2", "User:u1"]},
	"ClusterRoleBinding:c2": {"role": "ClusterRole:nodes", "subjects": ["User:n1", "Group:system:serviceaccounts:a"]},
	"ClusterRoleBinding:c3": {"role": "ClusterRole:platform", "provenance": "bootstrap", "subjects": ["Group:system:authenticated", "User:p1", "Group:p2"]},
	"ClusterRoleBinding:c4": {"role": "ClusterRole:both", "subjects": []},
	"ClusterRoleBinding:c5": {"role": "ClusterRole:missing", "subjects": ["Group:system:unauthenticated"]},
	"RoleBinding:a/n1": {"role": "ClusterRole:secrets", "subjects": ["User:u2", "Group:g3", "ServiceAccount:a/s2", "User:system:anonymous"]},
	"RoleBinding:a/n2": {"role": "ClusterRole:nodes", "subjects": ["User:n2", "Group:gn"]},
	"RoleBinding:a/n3": {"role": "ClusterRole:both", "subjects": ["Group:g4", "User:b1", "Group:g4"]},
	"RoleBinding:a/n4": {"role": "Role:a/secrets", "subjects": ["User:r1", "Group:system:serviceaccounts"]},
	"RoleBinding:b/n5": {"role": "ClusterRole:platform", "provenance": "vendor", "subjects": ["User:v1", "Group:system:serviceaccounts:b"]},
	"RoleBinding:a/n6": {"role": "ClusterRole:other", "subjects": ["Group:system:authenticated"]},
}

# Snapshots: everything; without the broad groups; only namespaced grants to ServiceAccounts
# and users; no bindings; platform grants only.
_everything := testing.snapshot(_roles, _bindings, {})

_without_broad := testing.snapshot(_roles, {k: b | some k, b in _bindings; not _names_broad(b)}, {})

_namespaced := testing.snapshot(_roles, {k: b | some k, b in _bindings; startswith(k, "RoleBinding:"); not _names_group(b)}, {})

_unbound := testing.snapshot(_roles, {}, {})

_platform := testing.snapshot(_roles, {"ClusterRoleBinding:c3": {"role": "ClusterRole:platform", "provenance": "bootstrap", "subjects": ["User:p1", "Group:p2"]}}, {})

_names_broad(b) if {
	some s in b.subjects
	rbac.broad(s)
}

_names_group(b) if {
	some s in b.subjects
	startswith(s, "Group:")
}

_chain := data.kubecis.checks.rbac.secrets_access_minimized._chain

# A result with its findings as a set, and how many there were.
_unordered(r) := object.union(r, {"evidence": object.union(r.evidence, {
	"findings": {f | some f in r.evidence.findings},
	"listed": count(r.evidence.findings),
})})

_same(snapshot, perms, limit, findings) if {
	fast := rbac.access_result_holding(_chain, perms, "x") with input as snapshot
		with data.kubecis.options.findings as findings
		with data.kubecis.options.params as {"rbac-max-findings": limit}
	slow := rbac.access_result(_chain, rbac.grants_holding(perms), "x") with input as snapshot
		with data.kubecis.options.findings as findings
		with data.kubecis.options.params as {"rbac-max-findings": limit}
	_unordered(fast) == _unordered(slow)
}

_same_everywhere(snapshot) := _same_under(snapshot, [0, 1, 3, 5, 9, null])

# Caps at and beside each tier's size on _everything: 2, 3 (its first tier with one or both
# permissions), 7 (the second), 12 (the third), 16 (all).
_same_under(snapshot, limits) if {
	every perms in [_perms, [_perms[1]]] {
		every limit in limits {
			_same(snapshot, perms, limit, "riskiest")
		}
		_same(snapshot, perms, 2, "all")
	}
}

test_access_result_holding_is_access_result_of_the_grants if {
	_same_under(_everything, [0, 1, 2, 3, 4, 6, 7, 8])
	_same_under(_everything, [11, 12, 13, 15, 16, 17, null])
}

test_access_result_holding_without_broad_groups if _same_everywhere(_without_broad)

test_access_result_holding_of_namespaced_grants if _same_everywhere(_namespaced)

test_access_result_holding_without_bindings if _same_everywhere(_unbound)

test_access_result_holding_of_platform_grants if _same_everywhere(_platform)

# The snapshots reach each verdict and each tier (so the comparison above is not vacuous).
test_the_comparison_reaches_every_verdict_and_tier if {
	statuses := {r.status |
		some snapshot in [_everything, _without_broad, _platform]
		r := rbac.access_result_holding(_chain, _perms, "x") with input as snapshot
	}
	statuses == {"fail", "warn", "pass"}
	listed := {n |
		some limit in [1, 3, 5, 9]
		r := rbac.access_result_holding(_chain, _perms, "x") with input as _without_broad
			with data.kubecis.options.findings as "riskiest"
			with data.kubecis.options.params as {"rbac-max-findings": limit}
		n := count(r.evidence.findings)
	}
	count(listed) == 4
}

# A broad subject the host does not index by name (data overridden) is still found: every
# grant is then expanded. (The reason names the riskiest broad grant: with the default
# prefixes, a namespace's ServiceAccounts group outranks a User.)
test_a_broad_subject_outside_the_index_is_found if {
	r := rbac.access_result_holding(_chain, [_perms[0]], "x") with input as _everything
		with data.kubecis.rbac.broad_subjects as ["User:u2"]
		with data.kubecis.rbac.broad_subject_prefixes as []
	r.status == "fail"
	startswith(r.reason, "User:u2 via RoleBinding:a/n1")
	r2 := rbac.access_result_holding(_chain, [_perms[0]], "x") with input as _everything
		with data.kubecis.rbac.broad_subjects as ["User:u2"]
	r2.evidence.broad == 2
}
