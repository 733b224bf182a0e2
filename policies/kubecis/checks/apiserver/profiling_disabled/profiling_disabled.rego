# METADATA
# title: Profiling endpoints are disabled
# description: >-
#   --profiling=true (the default) serves /debug/pprof on the API server, exposing
#   performance data about the program and its host. Set --profiling=false.
# custom:
#   id: KAS-0005
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.21"]
#     cis-1.6: ["1.2.21"]
#     cis-1.20: ["1.2.20"]
#     cis-1.23: ["1.2.18"]
#     cis-1.24: ["1.2.17"]
#     cis-1.7: ["1.2.17"]
#     cis-1.8: ["1.2.16"]
#     cis-1.9: ["1.2.15"]
#     cis-1.10: ["1.2.15"]
#     cis-1.11: ["1.2.15"]
#     cis-1.12: ["1.2.15"]
#     seed-2020: ["S08"]
#   remediation: Add --profiling=false to the kube-apiserver command.
#   flags: [profiling]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.profiling_disabled

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("profiling")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.value == false

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": /debug/pprof is served"]),
	{"flag": _flag},
) if _flag.value == true

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error
