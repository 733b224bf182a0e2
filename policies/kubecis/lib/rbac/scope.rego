# Where a binding can grant a resource (package kubecis.lib.rbac, METADATA in rbac.rego), from
# the one table of built-in cluster-scoped resources by API group
# (data.kubecis.rbac.cluster_scoped, policies/kubecis/rbac/data.yaml, which gives the upstream
# sources). src/normalizers/rbac-redundancy.ts reads the same table the same way.
package kubecis.lib.rbac

_scope := data.kubecis.rbac.cluster_scoped

# cluster_scoped(group, resource) holds when the built-in resource (or the resource a
# subresource such as nodes/proxy belongs to) of that API group is cluster-scoped; for group
# "*", when a built-in of that name is cluster-scoped in some group (the core Nodes for "nodes").
# A resource the table does not list for the group (a CustomResource) is not cluster_scoped: its
# scope is unknown. Keyed lookups (WASM scans arrays and sets for `in`).
cluster_scoped(group, resource) if {
	group != "*"
	_scope[group][_base(resource)]
}

cluster_scoped("*", resource) if _scoped_any[_base(resource)]

# Every built-in cluster-scoped resource name, whatever its group.
_scoped_any[name] := true if {
	some entries in _scope
	some name, _ in entries
}

_base(resource) := split(resource, "/")[0]

# granted_nowhere_in_namespace(group, resource, verbs): a rule naming group, resource and verbs
# gives, through a RoleBinding, nothing of the built-in resource: it is cluster-scoped (above)
# and none of the verbs is one Kubernetes checks in a namespace for it (namespace_checked, e.g.
# bind on clusterroles; "*" includes them). For group "*" the rule may still reach a
# CustomResource of that name; this names what it cannot reach.
granted_nowhere_in_namespace(group, resource, verbs) if {
	cluster_scoped(group, resource)
	not _namespace_checked(group, _base(resource), verbs)
}

_namespace_checked(group, base, verbs) if {
	"*" in verbs
	count(_checked_verbs(group, base)) > 0
}

_namespace_checked(group, base, verbs) if {
	some verb in _checked_verbs(group, base)
	verb in verbs
}

_checked_verbs(group, base) := object.get(_scope, [group, base, "namespace_checked"], []) if group != "*"

_checked_verbs("*", base) := object.get(_checked_any, base, [])

# Per resource name, the verbs checked in a namespace in any group (for apiGroups "*").
_checked_any[base] := verbs if {
	some base, _ in _scoped_any
	verbs := [verb |
		some entries in _scope
		some verb in object.get(entries, [base, "namespace_checked"], [])
	]
}

# cluster_only_permission(perm): a data.kubecis.rbac.permissions entry that only
# ClusterRoleBindings grant: every group and resource it names is cluster-scoped and none of
# its verbs is checked in a namespace there.
cluster_only_permission(perm) if {
	every group in perm.groups {
		every resource in perm.resources {
			granted_nowhere_in_namespace(group, resource, perm.verbs)
		}
	}
}
