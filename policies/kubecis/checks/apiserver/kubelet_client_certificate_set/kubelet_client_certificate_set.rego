# METADATA
# title: The API server authenticates to kubelets with a client certificate
# description: >-
#   Without --kubelet-client-certificate and --kubelet-client-key the API server calls
#   kubelets anonymously, so kubelets must either allow anonymous requests or reject the API
#   server's exec, logs and port-forward calls.
# custom:
#   id: KAS-0011
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.5"]
#     cis-1.6: ["1.2.5"]
#     cis-1.20: ["1.2.4"]
#     cis-1.23: ["1.2.5"]
#     cis-1.24: ["1.2.4"]
#     cis-1.7: ["1.2.4"]
#     cis-1.8: ["1.2.4"]
#     cis-1.9: ["1.2.4"]
#     cis-1.10: ["1.2.4"]
#     cis-1.11: ["1.2.4"]
#     cis-1.12: ["1.2.4"]
#     seed-2020: ["S21"]
#   remediation: >-
#     Set --kubelet-client-certificate and --kubelet-client-key to a client certificate and key
#     that the kubelets trust (kubeadm: apiserver-kubelet-client.crt/.key).
#   flags: [kubelet-client-certificate, kubelet-client-key]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.kubelet_client_certificate_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flags := [flags.effective(name) | some name in ["kubelet-client-certificate", "kubelet-client-key"]]

_missing := [concat("", ["--", f.flag]) | some f in _flags; not f.set]

result := verdict.new(_chain, "pass", "", {"flags": _flags}) if count(_missing) == 0

result := verdict.new(
	_chain,
	"fail",
	concat("", [concat(" and ", _missing), " not set: the API server calls kubelets without a client certificate"]),
	{"flags": _flags},
) if count(_missing) > 0
