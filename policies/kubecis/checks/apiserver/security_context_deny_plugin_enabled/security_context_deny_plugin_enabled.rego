# METADATA
# title: SecurityContextDeny is enabled when PodSecurityPolicy is not (Kubernetes 1.29 and earlier)
# description: >-
#   SecurityContextDeny rejected pods that set privilege-related securityContext fields. CIS
#   asks for it when PodSecurityPolicy is not used. Kubernetes deprecated it in 1.27 and
#   removed it in 1.30; Pod Security Admission replaces both.
# custom:
#   id: KAS-0020
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.13"]
#     cis-1.6: ["1.2.13"]
#     cis-1.20: ["1.2.12"]
#     cis-1.23: ["1.2.13"]
#     cis-1.24: ["1.2.12"]
#     cis-1.7: ["1.2.12"]
#     cis-1.8: ["1.2.12"]
#     seed-2020: ["S12"]
#   remediation: >-
#     On Kubernetes 1.26 and earlier without PodSecurityPolicy, add SecurityContextDeny to
#     --enable-admission-plugins or rely on Pod Security Admission. On 1.27-1.29 the plugin
#     also needs --feature-gates=SecurityContextDeny=true (kube-apiserver does not start
#     without it); prefer Pod Security Admission. From 1.30 the plugin no longer exists and
#     must not be named.
#   flags: [enable-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.security_context_deny_plugin_enabled

import data.kubecis.lib.admission
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_evidence := object.union(admission.evidence("SecurityContextDeny"), {"podSecurityPolicy": admission.evidence("PodSecurityPolicy")})

result := verdict.new(_chain, "not-applicable", admission.removed_reason("SecurityContextDeny"), _evidence) if {
	admission.removed("SecurityContextDeny")
	not admission.named_absent("SecurityContextDeny")
}

result := verdict.contradiction(_chain, admission.named_absent("SecurityContextDeny"), _evidence) if {
	admission.named_absent("SecurityContextDeny")
}

result := verdict.new(_chain, "pass", "", _evidence) if {
	versions.known
	not admission.removed("SecurityContextDeny")
	_restricted
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"the SecurityContextDeny admission plugin is ", _evidence.source,
		" and PodSecurityPolicy is not enabled either: privileged security contexts are admitted",
	]),
	_evidence,
) if {
	versions.known
	not admission.removed("SecurityContextDeny")
	not _restricted
}

# Version unknown: judged on every minor the target may run (warn with the split when it differs).
result := verdict.new(
	_chain,
	admission.range_status(_statuses),
	admission.range_reason("SecurityContextDeny", _statuses, "PodSecurityPolicy is not enabled either: privileged security contexts are admitted"),
	admission.range_evidence(_evidence),
) if admission.over_range

_statuses := [_status_at(m) | some m in versions.possible]

_status_at(m) := "not-applicable" if {
	admission.absent_at("SecurityContextDeny", m)
} else := "pass" if {
	_restricted_at(m)
} else := "fail"

_restricted_at(m) if admission.enabled_at("SecurityContextDeny", m)

_restricted_at(m) if {
	admission.enabled_at("PodSecurityPolicy", m)
	not admission.removed_at("PodSecurityPolicy", m)
}

_restricted if _evidence.enabled

# PodSecurityPolicy counts only where the known version has it.
_restricted if {
	admission.enabled("PodSecurityPolicy")
	not admission.removed("PodSecurityPolicy")
}
