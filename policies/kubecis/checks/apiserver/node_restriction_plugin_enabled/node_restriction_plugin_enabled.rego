# METADATA
# title: The NodeRestriction admission plugin is enabled
# description: >-
#   NodeRestriction limits each kubelet to modifying its own Node object and the pods bound to
#   it. Without it a compromised node can change other nodes and pods. It is not on by default
#   (kubeadm enables it).
# custom:
#   id: KAS-0018
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.17"]
#     cis-1.6: ["1.2.17"]
#     cis-1.20: ["1.2.16"]
#     cis-1.23: ["1.2.16"]
#     cis-1.24: ["1.2.15"]
#     cis-1.7: ["1.2.15"]
#     cis-1.8: ["1.2.15"]
#     cis-1.9: ["1.2.14"]
#     cis-1.10: ["1.2.14"]
#     cis-1.11: ["1.2.14"]
#     cis-1.12: ["1.2.14"]
#     seed-2020: ["S32"]
#   remediation: >-
#     Add NodeRestriction to --enable-admission-plugins, together with the Node authorizer
#     (--authorization-mode=Node,RBAC).
#   flags: [enable-admission-plugins]
#   parameters: [required-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.node_restriction_plugin_enabled

import data.kubecis.lib.admission
import data.kubecis.lib.params
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_evidence := object.union(admission.evidence("NodeRestriction"), {"required": _required})

_required := params.used("required-admission-plugins")

result := verdict.new(_chain, "pass", "", _evidence) if _evidence.enabled

result := verdict.new(
	_chain,
	"fail",
	concat("", ["the NodeRestriction admission plugin is ", _evidence.source, ": kubelets can modify other nodes' objects"]),
	_evidence,
) if {
	not _evidence.enabled
	"NodeRestriction" in _required.value
}

# The organisation may take the plugin off the required-admission-plugins parameter.
result := verdict.new(
	_chain,
	"warn",
	concat("", [
		"the NodeRestriction admission plugin is ", _evidence.source,
		"; the required-admission-plugins parameter does not require it: review that exemption",
	]),
	_evidence,
) if {
	not _evidence.enabled
	not "NodeRestriction" in _required.value
}
