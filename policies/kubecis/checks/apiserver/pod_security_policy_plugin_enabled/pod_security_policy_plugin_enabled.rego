# METADATA
# title: The PodSecurityPolicy admission plugin is enabled (Kubernetes 1.24 and earlier)
# description: >-
#   PodSecurityPolicy enforced pod security rules on Kubernetes up to 1.24; it was deprecated
#   in 1.21 and removed in 1.25, replaced by the PodSecurity admission plugin (on by default
#   from 1.23).
# custom:
#   id: KAS-0019
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.16"]
#     cis-1.6: ["1.2.16"]
#     cis-1.20: ["1.2.15"]
#     seed-2020: ["S23"]
#   remediation: >-
#     On Kubernetes 1.24 and earlier, create PodSecurityPolicy objects and add PodSecurityPolicy
#     to --enable-admission-plugins, or migrate to Pod Security Admission. From 1.25 the plugin
#     no longer exists: use Pod Security Admission and never name PodSecurityPolicy.
#   flags: [enable-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.pod_security_policy_plugin_enabled

import data.kubecis.lib.admission
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_evidence := admission.evidence("PodSecurityPolicy")

result := verdict.new(_chain, "not-applicable", admission.removed_reason("PodSecurityPolicy"), _evidence) if {
	admission.removed("PodSecurityPolicy")
}

# Version unknown: judged on every minor the target may run (warn with the split when it differs).
result := verdict.new(
	_chain,
	admission.range_status(_statuses),
	admission.range_reason("PodSecurityPolicy", _statuses, "no pod security policy is enforced"),
	admission.range_evidence(_evidence),
) if admission.over_range

_statuses := admission.required_statuses("PodSecurityPolicy", "fail")

result := verdict.new(_chain, "pass", "", _evidence) if {
	versions.known
	_evidence.enabled
	not admission.removed("PodSecurityPolicy")
}

result := verdict.new(
	_chain,
	"fail",
	concat("", ["the PodSecurityPolicy admission plugin is ", _evidence.source, ": no pod security policy is enforced"]),
	_evidence,
) if {
	versions.known
	not _evidence.enabled
	not admission.removed("PodSecurityPolicy")
}
