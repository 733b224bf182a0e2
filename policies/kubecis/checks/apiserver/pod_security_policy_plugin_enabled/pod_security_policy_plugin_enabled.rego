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

_chain := rego.metadata.chain()

# Required on every version that has it (no exemption parameter): not-applicable from 1.25.
result := admission.judge(
	_chain,
	"PodSecurityPolicy",
	admission.evidence("PodSecurityPolicy"),
	admission.required_statuses("PodSecurityPolicy", "fail"),
	{"fail": admission.says("PodSecurityPolicy", ": ", _why), "why": _why},
)

_why := "no pod security policy is enforced"
