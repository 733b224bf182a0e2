# METADATA
# title: Service-account tokens are verified with their own key (--service-account-key-file)
# description: >-
#   --service-account-key-file names the public keys that verify service-account tokens.
#   Without it the API server falls back to its TLS serving key, so the token key cannot be
#   rotated on its own.
# custom:
#   id: KAS-0031
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.28"]
#     cis-1.6: ["1.2.28"]
#     cis-1.20: ["1.2.27"]
#     cis-1.23: ["1.2.25"]
#     cis-1.24: ["1.2.24"]
#     cis-1.7: ["1.2.24"]
#     cis-1.8: ["1.2.23"]
#     cis-1.9: ["1.2.22"]
#     cis-1.10: ["1.2.22"]
#     cis-1.11: ["1.2.22"]
#     cis-1.12: ["1.2.22"]
#     seed-2020: ["S24"]
#   remediation: >-
#     Set --service-account-key-file to the public key of a key pair used only for
#     service-account tokens (kubeadm: /etc/kubernetes/pki/sa.pub), matching
#     --service-account-signing-key-file.
#   flags: [service-account-key-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.service_account_key_file_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("service-account-key-file")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.set

result := verdict.new(_chain, "fail", "--service-account-key-file is not set: service-account tokens are verified with the TLS serving key", {"flag": _flag}) if not _flag.set
