# METADATA
# title: Default ServiceAccounts do not mount tokens and hold no grants
# description: >-
#   Every Pod that names no ServiceAccount runs as its namespace's default ServiceAccount.
#   It should not automatically mount a token (automountServiceAccountToken false; unset
#   counts as true) and no non-platform binding should grant it anything. Judged only when
#   ServiceAccounts were collected.
# custom:
#   id: KRB-0009
#   severity: medium
#   inventory: whole
#   frameworks:
#     cis-1.5: ["5.1.5"]
#     cis-1.6: ["5.1.5"]
#     cis-1.20: ["5.1.5"]
#     cis-1.23: ["5.1.5"]
#     cis-1.24: ["5.1.5"]
#     cis-1.7: ["5.1.5"]
#     cis-1.8: ["5.1.5"]
#     cis-1.9: ["5.1.5"]
#     cis-1.10: ["5.1.5"]
#     cis-1.11: ["5.1.5"]
#     cis-1.12: ["5.1.5"]
#   remediation: >-
#     Set automountServiceAccountToken false on every default ServiceAccount, create a
#     dedicated ServiceAccount for workloads that need API access, and bind roles to it
#     instead of to default.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.default_service_accounts_unused

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_automount contains finding if {
	some key, sa in input.serviceAccounts
	endswith(key, "/default")
	automount := object.get(sa, "automountServiceAccountToken", null)
	automount != false
	finding := {"kind": "automount", "serviceAccount": key, "automountServiceAccountToken": automount}
}

# Default ServiceAccounts are among the subjects the host indexes by name
# (bindingsBySpecialSubject), so no scan of every binding.
_granted contains finding if {
	some subject, bindings in input.bindingsBySpecialSubject
	endswith(subject, "/default")
	startswith(subject, "ServiceAccount:")
	some binding in bindings
	binding.provenance == "user"
	finding := {"kind": "grant", "subject": subject, "binding": binding.name, "role": binding.role, "namespace": rbac.binding_scope(binding.name)}
}

_findings := _automount | _granted

_evidence := rbac.findings_evidence(_findings, {"serviceAccounts": count(input.serviceAccounts)})

result := verdict.new(
	_chain,
	"warn",
	"the input holds no ServiceAccounts; export them too (kubectl get serviceaccounts -A -o yaml)",
	{"collected": input.collected},
) if {
	input.kind == "RbacSnapshot"
	input.collected.ServiceAccount == 0
}

result := verdict.new(_chain, "pass", "", _evidence) if {
	input.kind == "RbacSnapshot"
	input.collected.ServiceAccount > 0
	count(_findings) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		format_int(count(_automount), 10), " default ServiceAccount(s) mount tokens automatically, ",
		format_int(count(_granted), 10), " grant(s) to default ServiceAccounts",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	input.collected.ServiceAccount > 0
	count(_findings) > 0
}
