# METADATA
# title: The API server authenticates to etcd with a client certificate
# description: >-
#   Without --etcd-certfile and --etcd-keyfile the API server connects to etcd without a
#   client certificate, so etcd must accept unauthenticated clients that can read every
#   secret.
# custom:
#   id: KAS-0032
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.29"]
#     cis-1.6: ["1.2.29"]
#     cis-1.20: ["1.2.28"]
#     cis-1.23: ["1.2.26"]
#     cis-1.24: ["1.2.25"]
#     cis-1.7: ["1.2.25"]
#     cis-1.8: ["1.2.24"]
#     cis-1.9: ["1.2.23"]
#     cis-1.10: ["1.2.23"]
#     cis-1.11: ["1.2.23"]
#     cis-1.12: ["1.2.23"]
#     seed-2020: ["S25"]
#   remediation: >-
#     Set --etcd-certfile and --etcd-keyfile to a client certificate and key that etcd trusts
#     (kubeadm: apiserver-etcd-client.crt/.key).
#   flags: [etcd-certfile, etcd-keyfile]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.etcd_client_certificate_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flags := [flags.effective(name) | some name in ["etcd-certfile", "etcd-keyfile"]]

_missing := [concat("", ["--", f.flag]) | some f in _flags; not f.set]

result := verdict.new(_chain, "pass", "", {"flags": _flags}) if count(_missing) == 0

result := verdict.new(
	_chain,
	"fail",
	concat("", [concat(" and ", _missing), " not set: etcd is reached without a client certificate"]),
	{"flags": _flags},
) if count(_missing) > 0
