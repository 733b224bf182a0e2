# METADATA
# title: The API server verifies etcd's certificate (--etcd-cafile)
# description: >-
#   Without --etcd-cafile the API server does not verify etcd's serving certificate, so it
#   could send all cluster state to an impostor.
# custom:
#   id: KAS-0035
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.32"]
#     cis-1.6: ["1.2.32"]
#     cis-1.20: ["1.2.31"]
#     cis-1.23: ["1.2.29"]
#     cis-1.24: ["1.2.28"]
#     cis-1.7: ["1.2.28"]
#     cis-1.8: ["1.2.27"]
#     cis-1.9: ["1.2.26"]
#     cis-1.10: ["1.2.26"]
#     cis-1.11: ["1.2.26"]
#     cis-1.12: ["1.2.26"]
#     seed-2020: ["S29"]
#   remediation: >-
#     Set --etcd-cafile to the CA that signs etcd's serving certificate (kubeadm:
#     /etc/kubernetes/pki/etcd/ca.crt).
#   flags: [etcd-cafile]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.etcd_cafile_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("etcd-cafile")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.set

result := verdict.new(_chain, "fail", "--etcd-cafile is not set: etcd's serving certificate is not verified", {"flag": _flag}) if not _flag.set
