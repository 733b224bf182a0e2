# METADATA
# title: cluster-admin is granted to no one but system:masters
# description: >-
#   cluster-admin (and any role with verbs, API groups and resources all "*") gives full
#   control over the cluster, or over a namespace through a RoleBinding. Only the bootstrap
#   grant to Group system:masters is expected. Grants to groups such as
#   system:serviceaccounts or system:authenticated are never exempt, whatever their name
#   prefix, and neither are extra subjects added to the bootstrap binding.
# custom:
#   id: KRB-0001
#   severity: critical
#   frameworks:
#     cis-1.5: ["5.1.1"]
#     cis-1.6: ["5.1.1"]
#     cis-1.20: ["5.1.1"]
#     cis-1.23: ["5.1.1"]
#     cis-1.24: ["5.1.1"]
#     cis-1.7: ["5.1.1"]
#     cis-1.8: ["5.1.1"]
#     cis-1.9: ["5.1.1"]
#     cis-1.10: ["5.1.1"]
#     cis-1.11: ["5.1.1"]
#     cis-1.12: ["5.1.1"]
#     seed-2020: ["S39"]
#   remediation: >-
#     Bind a role with only the permissions needed (admin or edit in one namespace, or a
#     custom role) instead of cluster-admin, then delete the binding or remove the subject
#     (kubectl delete clusterrolebinding NAME).
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.cluster_admin_restricted_to_masters

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_masters := "Group:system:masters"

# cluster-admin itself, and any role equivalent to it.
_admin_roles contains "ClusterRole:cluster-admin"

_admin_roles contains key if {
	some id, rule in input.rules
	"*" in rule.verbs
	"*" in rule.apiGroups
	"*" in rule.resources
	some key in input.rolesByRule[id]
}

_grants contains grant if {
	some key in _admin_roles
	some binding in object.get(input.bindingsByRole, key, [])
	namespace := rbac.binding_scope(binding.name)
	some subject in binding.subjects
	subject != _masters
	grant := {"subject": subject, "binding": binding.name, "role": key, "namespace": namespace}
}

_masters_bindings := count([1 |
	some binding in object.get(input.bindingsByRole, "ClusterRole:cluster-admin", [])
	_masters in binding.subjects
])

_evidence := rbac.findings_evidence(_grants, {"adminRoles": count(_admin_roles), "mastersBindings": _masters_bindings})

result := rbac.judged_pass(_chain, {"bindings", "grants"}, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_grants) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		format_int(count(_grants), 10), " grant(s) of cluster-admin or an equivalent role to subjects other than system:masters (riskiest: ",
		rbac.describe_grant(rbac.riskiest(_grants, {})), ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_grants) > 0
}
