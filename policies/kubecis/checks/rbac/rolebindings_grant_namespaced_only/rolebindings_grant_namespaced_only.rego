# METADATA
# title: RoleBindings do not reference ClusterRoles for cluster-scoped resources
# description: >-
#   A RoleBinding grants a ClusterRole's rules only inside its namespace, so rules on
#   built-in cluster-scoped resources of their API group (nodes, PersistentVolumes,
#   CertificateSigningRequests, webhook configurations, ClusterRoles, IPAddresses …; apiGroups
#   "*" included) and nonResourceURLs grant nothing through it, except the verbs Kubernetes
#   checks in the binding's namespace (bind on ClusterRoles, which delegates binding them in
#   that namespace; get/update on the Namespace object itself). A CustomResource named like a
#   built-in (nodes in example.com) may be namespaced, and is not reported. Such a binding
#   misleads reviewers and tools into seeing access that does not exist.
#   Informational (a binding that grants nothing is unused RBAC, seed S42); the default ClusterRoles (admin, edit, view) are meant for both uses and
#   are not reported.
# custom:
#   id: KRB-0017
#   severity: info
#   frameworks:
#     seed-2020: ["S42"]
#   remediation: >-
#     Use a ClusterRoleBinding if cluster-wide access is intended, or drop the cluster-scoped
#     rules from the ClusterRole if it is only bound in namespaces.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.rolebindings_grant_namespaced_only

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# Custom ClusterRoles with a rule that a RoleBinding cannot grant.
# Per distinct rule: the built-in cluster-scoped resources of its API groups (data.kubecis.rbac.
# cluster_scoped: a CustomResource named like a built-in of another group is not one) and the
# nonResourceURLs it names.
_cluster_only_rules[id] := resources if {
	some id, rule in input.rules
	resources := {r |
		some r in array.concat(
			[res |
				some res in rule.resources
				some group in rule.apiGroups
				rbac.granted_nowhere_in_namespace(group, res, rule.verbs)
			],
			rule.nonResourceURLs,
		)
	}
	count(resources) > 0
}

_cluster_only_roles[key] := resources if {
	some id, _ in _cluster_only_rules
	some key in input.rolesByRule[id]
	startswith(key, "ClusterRole:")
	role := input.roles[key]
	role.provenance == "user"
	resources := sort({r | some j in role.rules; some r in _cluster_only_rules[j]})
}

_findings contains finding if {
	some key, resources in _cluster_only_roles
	some binding in object.get(input.bindingsByRole, key, [])
	startswith(binding.name, "RoleBinding:")
	finding := {"binding": binding.name, "role": key, "namespace": rbac.binding_scope(binding.name), "ineffective": resources}
}

_evidence := rbac.findings_evidence(_findings, {})

result := rbac.judged_pass(_chain, {"bindings", "grants"}, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
}

result := verdict.new(
	_chain,
	"warn",
	concat("", [
		format_int(count(_findings), 10), " RoleBinding(s) reference ClusterRoles whose cluster-scoped rules they cannot grant (riskiest: ",
		_first.binding, " → ", _first.role, ": ", concat(", ", _first.ineffective), ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}

_first := rbac.riskiest(_findings, {})
