# METADATA
# title: Every role is used
# description: >-
#   A Role or ClusterRole that no binding references and no aggregated ClusterRole selects
#   grants nothing today, but anyone who can create a binding can activate it later; it
#   should be removed. Roles of the platform (bootstrap label or vendor markers) are
#   building blocks by design and are only counted. Judged only when bindings were
#   collected.
# custom:
#   id: KRB-0004
#   severity: low
#   inventory: whole
#   frameworks:
#     seed-2020: ["S42"]
#   remediation: >-
#     Delete roles nothing uses (kubectl delete role NAME -n NAMESPACE, kubectl delete
#     clusterrole NAME), or bind them where they are needed.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.no_unused_roles

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# The host lists the roles no binding references (unboundRoles), so no scan of every role.
# An unbound role is still used when a binding reaches it through aggregation: some aggregate
# that selects it, directly or along a chain (view → edit → admin), is bound. Being selected
# by an aggregate nobody binds does not count, except by a platform aggregate (admin, edit,
# view): those are the cluster's published roles, there to be bound at any time.
_unused contains finding if {
	some key in input.unboundRoles
	not input.bindingsByRole[key]
	role := input.roles[key]
	not _reached_through_aggregation[key]
	not _labelled_into_absent_bootstrap_aggregate(role)
	finding := {"role": key, "provenance": role.provenance}
}

# A contribution to a bootstrap aggregate (admin, edit, view) that the input does not hold is
# used as contributions to the platform aggregates are: those roles are bound everywhere.
_labelled_into_absent_bootstrap_aggregate(role) if {
	some label, value in object.get(role, "aggregationLabels", {})
	value == "true"
	not input.roles[data.kubecis.rbac.bootstrap_aggregates[label]]
}

# Aggregates as a graph (aggregate → the roles it selects), walked from the bound ones and
# from the platform ones. Aggregates are few, so this is cheap even at 100k bindings.
# graph.reachable returns only nodes that are keys of the graph, so the selected roles are
# keys too (with no edges unless they aggregate in turn).
_aggregation_graph := object.union(
	{selected: [] | some key in input.aggregatedRoles; some selected in input.roles[key].aggregation.selects},
	{key: input.roles[key].aggregation.selects | some key in input.aggregatedRoles},
)

_aggregation_roots := {key |
	some key in input.aggregatedRoles
	_root(key)
}

_root(key) if input.bindingsByRole[key]

_root(key) if input.roles[key].provenance != "user"

_reached_through_aggregation := {key |
	some key in graph.reachable(_aggregation_graph, _aggregation_roots)
	not _aggregation_roots[key]
}

_user := {f | some f in _unused; f.provenance == "user"}

_collected_bindings := input.collected.RoleBinding + input.collected.ClusterRoleBinding

_evidence := rbac.findings_evidence(_user, {"unusedPlatformRoles": count(_unused) - count(_user), "roles": count(input.roles)})

result := verdict.new(
	_chain,
	"warn",
	"the input holds no RoleBindings or ClusterRoleBindings, so whether roles are used cannot be judged; export bindings too",
	{"collected": input.collected},
) if {
	input.kind == "RbacSnapshot"
	_collected_bindings == 0
}

result := rbac.judged_pass(_chain, {"roles"}, _evidence) if {
	input.kind == "RbacSnapshot"
	_collected_bindings > 0
	count(_user) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [format_int(count(_user), 10), " role(s) are not reached by any binding, directly or through a bound aggregate (riskiest: ", rbac.riskiest(_user, {}).role, ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	_collected_bindings > 0
	count(_user) > 0
}
