# METADATA
# title: No binding references a missing role or ServiceAccount
# description: >-
#   A binding whose Role or ClusterRole does not exist grants nothing now, but whoever
#   creates a role of that name activates it for its subjects; the same holds for a
#   ServiceAccount subject that does not exist. A binding to a missing role is judged only
#   when roles of that kind were collected, and to a missing ServiceAccount only when
#   ServiceAccounts were collected (platform bindings to missing ServiceAccounts are counted,
#   not failed).
# custom:
#   id: KRB-0005
#   severity: medium
#   inventory: whole
#   frameworks:
#     seed-2020: ["S42"]
#   remediation: >-
#     A binding whose role is missing: delete it (or create the role, if the binding is meant
#     to grant it). A missing ServiceAccount: remove it from the binding's subjects, or delete
#     the binding if it names no one else.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.no_dangling_bindings

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_collected(role_key) if {
	startswith(role_key, "ClusterRole:")
	input.collected.ClusterRole > 0
}

_collected(role_key) if {
	startswith(role_key, "Role:")
	input.collected.Role > 0
}

# Missing roles are listed by the host (missingRoles: referenced role keys the input lacks);
# bindingsByRole lists the bindings that reference each.
_missing_roles contains finding if {
	some role in input.missingRoles
	not input.roles[role]
	not _assumed[role]
	_collected(role)
	some binding in input.bindingsByRole[role]
	finding := {"kind": "missing-role", "binding": binding.name, "role": role, "provenance": binding.provenance}
}

_assumed := {role | some role in input.assumedRoles}

_missing_subjects contains finding if {
	some subject, bindings in input.missingServiceAccounts
	some binding in bindings
	finding := {"kind": "missing-serviceaccount", "binding": binding.name, "subject": subject, "provenance": binding.provenance}
}

_findings := _missing_roles | {f | some f in _missing_subjects; f.provenance == "user"}

_not_judged := count([1 |
	some role in input.missingRoles
	not input.roles[role]
	not _collected(role)
	some _ in input.bindingsByRole[role]
])

_evidence := rbac.findings_evidence(_findings, {
	"platformMissingServiceAccounts": count(_missing_subjects) - count({f | some f in _missing_subjects; f.provenance == "user"}),
	"notJudged": _not_judged,
	"assumedBootstrapRoles": count([1 | some role in input.assumedRoles; some _ in input.bindingsByRole[role]]),
})

result := rbac.judged_pass(_chain, {"bindings"}, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
	_not_judged == 0
}

result := verdict.new(
	_chain,
	"warn",
	concat("", [format_int(_not_judged, 10), " binding(s) reference roles of a kind the input does not hold; export Roles and ClusterRoles too"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
	_not_judged > 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [format_int(count(_findings), 10), " dangling binding reference(s) (riskiest: ", _describe(rbac.riskiest(_findings, {})), ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}

_describe(f) := concat("", [f.binding, " references missing ", f.role]) if f.kind == "missing-role"

_describe(f) := concat("", [f.binding, " names missing ", f.subject]) if f.kind == "missing-serviceaccount"
