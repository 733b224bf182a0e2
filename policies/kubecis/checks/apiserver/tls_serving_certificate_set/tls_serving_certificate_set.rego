# METADATA
# title: The API server serves HTTPS with its own certificate (--tls-cert-file, --tls-private-key-file)
# description: >-
#   Without --tls-cert-file and --tls-private-key-file the API server generates a self-signed
#   certificate in --cert-dir, which clients cannot verify.
# custom:
#   id: KAS-0033
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.30"]
#     cis-1.6: ["1.2.30"]
#     cis-1.20: ["1.2.29"]
#     cis-1.23: ["1.2.27"]
#     cis-1.24: ["1.2.26"]
#     cis-1.7: ["1.2.26"]
#     cis-1.8: ["1.2.25"]
#     cis-1.9: ["1.2.24"]
#     cis-1.10: ["1.2.24"]
#     cis-1.11: ["1.2.24"]
#     cis-1.12: ["1.2.24"]
#     seed-2020: ["S27"]
#   remediation: >-
#     Set --tls-cert-file and --tls-private-key-file to a serving certificate signed by the
#     cluster CA and its key.
#   flags: [tls-cert-file, tls-private-key-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.tls_serving_certificate_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flags := [flags.effective(name) | some name in ["tls-cert-file", "tls-private-key-file"]]

_missing := [concat("", ["--", f.flag]) | some f in _flags; not f.set]

result := verdict.new(_chain, "pass", "", {"flags": _flags}) if count(_missing) == 0

result := verdict.new(
	_chain,
	"fail",
	concat("", [concat(" and ", _missing), " not set: the API server serves a self-signed certificate"]),
	{"flags": _flags},
) if count(_missing) > 0
