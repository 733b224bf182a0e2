# METADATA
# title: The DenyServiceExternalIPs admission plugin is set as the active CIS benchmark asks
# description: >-
#   Service externalIPs let anyone who can create a Service intercept traffic to any IP
#   address (CVE-2020-8554); the DenyServiceExternalIPs admission plugin (Kubernetes 1.21+)
#   rejects new externalIPs. CIS 1.23 and 1.24 asked for the plugin NOT to be set; CIS 1.7 and
#   later ask for it to be set. The result follows the active profile's wording.
# custom:
#   id: KAS-0009
#   severity: medium
#   frameworks:
#     cis-1.23: ["1.2.3"]
#     cis-1.24: ["1.2.3"]
#     cis-1.7: ["1.2.3"]
#     cis-1.8: ["1.2.3"]
#     cis-1.9: ["1.2.3"]
#     cis-1.10: ["1.2.3"]
#     cis-1.11: ["1.2.3"]
#     cis-1.12: ["1.2.3"]
#   remediation: >-
#     For CIS 1.7 and later (Kubernetes 1.25+): add DenyServiceExternalIPs to
#     --enable-admission-plugins unless the cluster relies on Service externalIPs. For CIS
#     1.23/1.24: leave it out of the enabled plugins. The plugin exists from Kubernetes 1.21.
#   flags: [enable-admission-plugins, disable-admission-plugins, admission-control]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.deny_service_external_ips

import data.kubecis.lib.admission
import data.kubecis.lib.profiles
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_evidence := object.union(admission.evidence("DenyServiceExternalIPs"), {"wording": _wording})

# CIS 1.23 and 1.24 worded the control "is not set"; every later benchmark "is set".
_wording := "not set" if profiles.active.name in {"cis-1.23", "cis-1.24"}

_wording := "set" if not profiles.active.name in {"cis-1.23", "cis-1.24"}

# Judged on the target's minor, or on every minor it may run (the plugin exists from 1.21).
result := admission.judge(
	_chain,
	"DenyServiceExternalIPs",
	_evidence,
	_statuses,
	{"fail": admission.says("DenyServiceExternalIPs", "; ", _asks), "why": _asks},
)

_asks := concat("", [profiles.active.name, " asks for it to be ", _wording])

_statuses := [_status_at(m) | some m in versions.possible]

_status_at(m) := "not-applicable" if {
	admission.absent_at("DenyServiceExternalIPs", m)
} else := "pass" if {
	_secure_at(m)
} else := "fail"

_secure_at(m) if {
	_wording == "set"
	admission.enabled_at("DenyServiceExternalIPs", m)
}

_secure_at(m) if {
	_wording == "not set"
	not admission.enabled_at("DenyServiceExternalIPs", m)
}
