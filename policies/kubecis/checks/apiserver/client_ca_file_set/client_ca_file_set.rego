# METADATA
# title: Client certificates are verified against a CA (--client-ca-file)
# description: >-
#   --client-ca-file enables client-certificate authentication against the cluster CA;
#   kubelets, controllers and administrators rely on it.
# custom:
#   id: KAS-0034
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.31"]
#     cis-1.6: ["1.2.31"]
#     cis-1.20: ["1.2.30"]
#     cis-1.23: ["1.2.28"]
#     cis-1.24: ["1.2.27"]
#     cis-1.7: ["1.2.27"]
#     cis-1.8: ["1.2.26"]
#     cis-1.9: ["1.2.25"]
#     cis-1.10: ["1.2.25"]
#     cis-1.11: ["1.2.25"]
#     cis-1.12: ["1.2.25"]
#     seed-2020: ["S28"]
#   remediation: >-
#     Set --client-ca-file to the cluster CA certificate (kubeadm: /etc/kubernetes/pki/ca.crt).
#   flags: [client-ca-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.client_ca_file_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("client-ca-file")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.set

result := verdict.new(_chain, "fail", "--client-ca-file is not set: client certificates are not verified", {"flag": _flag}) if not _flag.set
