# METADATA
# title: No binding beyond the bootstrap one names the system:masters group
# description: >-
#   Members of system:masters bypass RBAC entirely, with or without bindings, and cannot
#   be revoked short of rotating the cluster CA. Bindings naming the group, other than the
#   bootstrap cluster-admin binding, show the group is in use. Membership itself is set
#   by client certificates and is not visible in RBAC objects: review how credentials are
#   issued as well.
# custom:
#   id: KRB-0010
#   severity: high
#   frameworks:
#     cis-1.20: ["5.1.7"]
#     cis-1.23: ["5.1.7"]
#     cis-1.24: ["5.1.7"]
#     cis-1.7: ["5.1.7"]
#     cis-1.8: ["5.1.7"]
#     cis-1.9: ["5.1.7"]
#     cis-1.10: ["5.1.7"]
#     cis-1.11: ["5.1.7"]
#     cis-1.12: ["5.1.7"]
#   remediation: >-
#     Remove Group system:masters from the binding and issue users credentials in groups
#     bound to the roles they need.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.system_masters_not_bound

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# system:masters is among the subjects the host indexes by name (bindingsBySpecialSubject).
_findings contains finding if {
	some binding in object.get(input.bindingsBySpecialSubject, "Group:system:masters", [])
	binding.provenance != "bootstrap"
	finding := {"subject": "Group:system:masters", "binding": binding.name, "role": binding.role, "namespace": rbac.binding_scope(binding.name)}
}

_evidence := rbac.findings_evidence(_findings, {"note": "system:masters membership comes from client certificates and is not visible in RBAC objects"})

result := rbac.judged_pass(_chain, {"bindings"}, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [format_int(count(_findings), 10), " non-bootstrap binding(s) name Group system:masters (riskiest: ", rbac.riskiest(_findings, {}).binding, ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}
