# METADATA
# title: The secure port is not disabled (--secure-port is 1-65535)
# description: >-
#   --secure-port=0 would turn off the API server's HTTPS port; current kube-apiserver
#   versions refuse 0. The default is 6443. CIS 1.7 marked the control obsolete and 1.8
#   dropped it.
# custom:
#   id: KAS-0023
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.20"]
#     cis-1.6: ["1.2.20"]
#     cis-1.20: ["1.2.19"]
#     cis-1.23: ["1.2.17"]
#     cis-1.24: ["1.2.16"]
#     cis-1.7: ["1.2.16"]
#     seed-2020: ["S07"]
#   remediation: >-
#     Remove --secure-port or set it to a port from 1 to 65535 (6443 by default).
#   flags: [secure-port]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.secure_port_enabled

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("secure-port")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	_flag.value > 0
	_flag.value <= 65535
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": the HTTPS port is switched off"]),
	{"flag": _flag},
) if _flag.value == 0

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error
