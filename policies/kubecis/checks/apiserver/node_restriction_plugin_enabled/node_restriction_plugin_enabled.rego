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

_chain := rego.metadata.chain()

result := admission.required(_chain, "NodeRestriction", "kubelets can modify other nodes' objects")
