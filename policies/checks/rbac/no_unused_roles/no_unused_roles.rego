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
#   frameworks:
#     seed-2020: ["S42"]
#   remediation: >-
#     Delete roles nothing uses (kubectl delete role NAME -n NAMESPACE, kubectl delete
#     clusterrole NAME), or bind them where they are needed.
#   parameters: [rbac-max-findings]
package checks.rbac.no_unused_roles

import data.lib.rbac
import data.lib.result

# The host lists the roles no binding references (unboundRoles), so no scan of every role.
_unused contains finding if {
	some key in input.unboundRoles
	not input.bindingsByRole[key]
	role := input.roles[key]
	count(object.get(role, "aggregatedInto", [])) == 0
	finding := {"role": key, "provenance": role.provenance}
}

_user := {f | some f in _unused; f.provenance == "user"}

_collected_bindings := input.collected.RoleBinding + input.collected.ClusterRoleBinding

_evidence := rbac.findings_evidence(_user, {"unusedPlatformRoles": count(_unused) - count(_user), "roles": count(input.roles)})

result := result.new(
	rego.metadata.chain(),
	"warn",
	"the input holds no RoleBindings or ClusterRoleBindings, so whether roles are used cannot be judged; export bindings too",
	{"collected": input.collected},
) if {
	input.kind == "RbacSnapshot"
	_collected_bindings == 0
}

result := result.new(rego.metadata.chain(), "pass", "", _evidence) if {
	input.kind == "RbacSnapshot"
	_collected_bindings > 0
	count(_user) == 0
}

result := result.new(
	rego.metadata.chain(),
	"fail",
	concat("", [format_int(count(_user), 10), " role(s) are neither bound nor aggregated (first: ", min(_user).role, ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	_collected_bindings > 0
	count(_user) > 0
}
