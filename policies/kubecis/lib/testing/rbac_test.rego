# RBAC test helpers: builders for RbacSnapshot input documents in Rego unit tests (not
# shipped). The indexes the host builds (rules, rolesByRule, rulesByResource, bindingsByRole,
# grantsByRole, missingRoles, unboundRoles, missingServiceAccounts, bindingsBySpecialSubject, grantPairs,
# subjectsWithSeveralGrants, roleCovers) are derived here the slow way.
package kubecis.lib.testing

import data.kubecis.lib.rbac

# rule(verbs, groups, resources) is a normalized PolicyRule.
rule(verbs, groups, resources) := {
	"verbs": verbs, "apiGroups": groups, "resources": resources,
	"resourceNames": [], "nonResourceURLs": [],
}

# url_rule(verbs, urls) is a nonResourceURLs rule.
url_rule(verbs, urls) := {"verbs": verbs, "apiGroups": [], "resources": [], "resourceNames": [], "nonResourceURLs": urls}

# snapshot(roles, bindings, service_accounts): roles keyed "ClusterRole:x" / "Role:ns/x"
# ({rules (PolicyRule objects), provenance?, aggregation?, aggregatedInto?}); bindings keyed
# "ClusterRoleBinding:x" / "RoleBinding:ns/x" ({role, subjects, provenance?, roleAssumed?});
# service_accounts keyed "ns/name" ({automountServiceAccountToken?}). The rules are stored
# once in the snapshot's `rules` and named by index, as the host does.
snapshot(roles, bindings, service_accounts) := _snapshot(
	roles, bindings, service_accounts,
	_grants_by_subject(bindings),
	sort({r | some role in roles; some r in _rules(role)}),
)

# Each subject with two or more grants → its grants in binding order (key order here).
_grants_by_subject(bindings) := {s: grants |
	some b in bindings
	some s in b.subjects
	grants := [{"binding": k, "role": b2.role, "scope": _scope(k), "provenance": object.get(b2, "provenance", "user")} |
		some k, b2 in bindings
		some s2 in b2.subjects
		s2 == s
	]
	count(grants) > 1
}

_snapshot(roles, bindings, service_accounts, grants_by_subject, table) := {
	"apiVersion": "kubecis.dev/v1alpha1",
	"kind": "RbacSnapshot",
	"metadata": {"source": {"path": "rbac.yaml", "format": "rbac", "files": ["rbac.yaml"]}},
	"kubernetesVersion": {"version": null, "source": "unknown"},
	"diagnostics": [],
	"collected": {
		"ClusterRole": count([k | some k, _ in roles; startswith(k, "ClusterRole:")]),
		"Role": count([k | some k, _ in roles; startswith(k, "Role:")]),
		"ClusterRoleBinding": count([k | some k, _ in bindings; startswith(k, "ClusterRoleBinding:")]),
		"RoleBinding": count([k | some k, _ in bindings; startswith(k, "RoleBinding:")]),
		"ServiceAccount": count(service_accounts),
		"Pod": 0,
	},
	"rules": table,
	"roles": {k: object.union(
		object.union({"provenance": "user"}, object.remove(r, ["rules"])),
		{"rules": [i | some rule in _rules(r); some i, t in table; t == rule]},
	) |
		some k, r in roles
	},
	"serviceAccounts": service_accounts,
	"pods": {},
	"bindingsByRole": _bindings_by_role(bindings),
	"grantsByRole": {key: _role_grants(list) | some key, list in _bindings_by_role(bindings); roles[key]},
	"rulesByResource": {resource: sort({i | some i, rule in table; resource in rule.resources}) |
		some rule in table
		some resource in rule.resources
	},
	"rolesByRule": [sort({k | some k, r in roles; rule in _rules(r)}) | some rule in table],
	"aggregatedRoles": sort({k | some k, r in roles; r.aggregation}),
	"assumedRoles": sort({b.role | some b in bindings; b.roleAssumed}),
	"missingRoles": sort({b.role | some b in bindings; not roles[b.role]}),
	"unboundRoles": sort([k | some k, _ in roles; not _bound_roles(bindings)[k]]),
	"missingServiceAccounts": _missing_service_accounts(bindings, service_accounts),
	"bindingsBySpecialSubject": {s: [_ref(k, b) | some k, b in bindings; s in b.subjects] |
		some b in bindings
		some s in b.subjects
		_special_subject(s)
	},
	"subjectsWithSeveralGrants": count(grants_by_subject),
	# Every pair of a subject's grants in the same scope or against a cluster-wide one (the
	# host lists only the pairs that can be redundant, and only the grants in them; the check
	# judges each pair either way). Subjects without a pair are absent, as the schema says.
	"grantPairs": {s: {"grants": grants, "pairs": pairs} |
		some s, grants in grants_by_subject
		pairs := _pairs(grants)
		count(pairs) > 0
	},
	"roleCovers": {servant: {owner: where |
		some owner, o in roles
		owner != servant
		where := {w: true |
			some w, namespaced in {"cluster": false, "namespace": true}
			_grants_any(_rules(r), namespaced)
			covers(_rules(o), _rules(r), namespaced)
		}
		count(where) > 0
	} |
		some servant, r in roles
	},
}

# In key order here (the host lists them in binding order).
_bindings_by_role(bindings) := {role: sort([{"name": k, "provenance": object.get(b, "provenance", "user"), "subjects": b.subjects} |
	some k, b in bindings
	b.role == role
]) |
	some b in bindings
	role := b.role
}

# grantsByRole, counted the slow way (schemas/rbacsnapshot.schema.json says what each is).
_role_grants(list) := [
	sum([count(_distinct(b)) | some b in list]),
	sum([count(_distinct(b)) | some b in list; b.provenance == "user"]),
	sum([count(_distinct(b)) | some b in list; startswith(b.name, "ClusterRoleBinding:")]),
	sum([count(_distinct(b)) | some b in list; b.provenance == "user"; startswith(b.name, "ClusterRoleBinding:")]),
	sum([count({s | some s in _distinct(b); _group_like(s)}) | some b in list; b.provenance == "user"]),
	sum([count({s | some s in _distinct(b); _group_like(s)}) | some b in list; b.provenance == "user"; startswith(b.name, "ClusterRoleBinding:")]),
	_first_user(list, ""),
	_first_user(list, "ClusterRoleBinding:"),
]

_distinct(binding) := {s | some s in binding.subjects}

_group_like(s) if startswith(s, "Group:")

_group_like("User:system:anonymous")

_first_user(list, prefix) := i if {
	first := min({b.name | some b in list; b.provenance == "user"; count(b.subjects) > 0; startswith(b.name, prefix)})
	some i, b in list
	b.name == first
} else := -1

_pairs(grants) := [[i, j] |
	some i, g in grants
	some j, h in grants
	i != j
	h.scope in {g.scope, "cluster"}
]

# with_pods(snapshot, pods): the snapshot with Pods collected beside it, keyed "ns/name"
# ({serviceAccount, automountServiceAccountToken?}).
with_pods(snapshot, pods) := object.union(snapshot, {"pods": pods, "collected": {"Pod": count(pods)}})

_missing_service_accounts(_, service_accounts) := {} if count(service_accounts) == 0

_missing_service_accounts(bindings, service_accounts) := {s: sort({_ref(k, b) | some k, b in bindings; s in b.subjects}) |
	some b in bindings
	some s in b.subjects
	startswith(s, "ServiceAccount:")
	not service_accounts[trim_prefix(s, "ServiceAccount:")]
} if {
	count(service_accounts) > 0
}

_special_subject(s) if startswith(s, "Group:system:")

_special_subject("User:system:anonymous")

_special_subject(s) if {
	startswith(s, "ServiceAccount:")
	endswith(s, "/default")
}

_bound_roles(bindings) := {b.role | some b in bindings}

# A binding as an index of subjects names it.
_ref(key, binding) := {"name": key, "role": binding.role, "provenance": object.get(binding, "provenance", "user")}

_rules(role) := object.get(role, "rules", [])

_scope(key) := "cluster" if startswith(key, "ClusterRoleBinding:")

_scope(key) := split(trim_prefix(key, "RoleBinding:"), "/")[0] if startswith(key, "RoleBinding:")

# covers(owner, servant, namespaced), a reference for building roleCovers in tests (the host
# computes it: src/normalizers/rbac-redundancy.ts): every atom of the servant rules is covered by one owner
# rule (Kubernetes' Covers). namespaced: the servant is granted by a RoleBinding, so its
# atoms on cluster-scoped resources (but verbs checked in a namespace, such as bind on
# clusterroles) and its nonResourceURLs grant nothing and are skipped.
covers(owner, servant, namespaced) if not _uncovered(owner, servant, namespaced)

_uncovered(owner, servant, namespaced) if {
	some rule in servant
	some verb in rule.verbs
	some group in rule.apiGroups
	some resource in rule.resources
	_effective(group, resource, verb, namespaced)
	some name in _names(rule)
	not _covered_resource(owner, verb, group, resource, name)
}

_uncovered(owner, servant, false) if {
	some rule in servant
	some url in rule.nonResourceURLs
	some verb in rule.verbs
	not _covered_url(owner, verb, url)
}

_effective(_, _, _, false) := true

# A built-in cluster-scoped resource of that group is out of a RoleBinding's reach; apiGroups
# "*" may reach a namespaced CustomResource of the name, so it stays effective (as the host reads it).
_effective("*", _, _, true) := true

_effective(group, resource, verb, true) if {
	group != "*"
	not rbac.granted_nowhere_in_namespace(group, resource, [verb])
}

# The host pairs no grant that gives nothing where it is granted (it is ineffective, not
# redundant), so roleCovers never holds vacuously.
_grants_any(rules, false) if {
	some rule in rules
	count(rule.verbs) > 0
}

_grants_any(rules, true) if {
	some rule in rules
	some verb in rule.verbs
	some group in rule.apiGroups
	some resource in rule.resources
	_effective(group, resource, verb, true)
}

_names(rule) := rule.resourceNames if count(rule.resourceNames) > 0

_names(rule) := [""] if count(rule.resourceNames) == 0

_covered_resource(owner, verb, group, resource, name) if {
	some rule in owner
	_has(rule.verbs, verb)
	_has(rule.apiGroups, group)
	_resource_covers(rule.resources, resource)
	_name_covers(rule.resourceNames, name)
}

_has(list, _) if "*" in list

_has(list, value) if value in list

_resource_covers(resources, _) if "*" in resources

_resource_covers(resources, resource) if resource in resources

_resource_covers(resources, resource) if {
	parts := split(resource, "/")
	count(parts) == 2
	concat("", ["*/", parts[1]]) in resources
}

_name_covers(names, _) if count(names) == 0

_name_covers(names, name) if {
	name != ""
	name in names
}

_covered_url(owner, verb, url) if {
	some rule in owner
	_has(rule.verbs, verb)
	some pattern in rule.nonResourceURLs
	_url_matches(pattern, url)
}

_url_matches(pattern, pattern) := true

_url_matches(pattern, url) if {
	endswith(pattern, "*")
	startswith(url, trim_suffix(pattern, "*"))
}
