# METADATA
# title: The API server verifies kubelet serving certificates (--kubelet-certificate-authority)
# description: >-
#   Without --kubelet-certificate-authority the API server does not verify the kubelets'
#   serving certificates, so a man in the middle between the control plane and a node can read
#   or alter exec, logs and port-forward traffic.
# custom:
#   id: KAS-0012
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.6"]
#     cis-1.6: ["1.2.6"]
#     cis-1.20: ["1.2.5"]
#     cis-1.23: ["1.2.6"]
#     cis-1.24: ["1.2.5"]
#     cis-1.7: ["1.2.5"]
#     cis-1.8: ["1.2.5"]
#     cis-1.9: ["1.2.5"]
#     cis-1.10: ["1.2.5"]
#     cis-1.11: ["1.2.5"]
#     cis-1.12: ["1.2.5"]
#     seed-2020: ["S20"]
#   remediation: >-
#     Set --kubelet-certificate-authority to the CA bundle that signs the kubelets' serving
#     certificates (enable kubelet serving-certificate rotation with a CA the API server
#     trusts).
#   flags: [kubelet-certificate-authority]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.kubelet_certificate_authority_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("kubelet-certificate-authority")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.set

result := verdict.new(_chain, "fail", "--kubelet-certificate-authority is not set: kubelet serving certificates are not verified", {"flag": _flag}) if not _flag.set
