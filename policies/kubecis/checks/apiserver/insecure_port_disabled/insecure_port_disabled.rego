# METADATA
# title: The unauthenticated HTTP port is disabled (--insecure-port=0)
# description: >-
#   Before Kubernetes 1.20 the API server served an unauthenticated, unauthorized HTTP port,
#   8080 by default, unless --insecure-port=0. From 1.20 only 0 is accepted, and the flag was
#   removed in 1.24 (setting it there stops kube-apiserver).
# custom:
#   id: KAS-0022
#   severity: critical
#   frameworks:
#     cis-1.5: ["1.2.19"]
#     cis-1.6: ["1.2.19"]
#     cis-1.20: ["1.2.18"]
#     seed-2020: ["S06"]
#   remediation: >-
#     On Kubernetes 1.19 and earlier set --insecure-port=0; on 1.20-1.23 leave it unset or 0.
#     From 1.24 the flag no longer exists: remove it.
#   flags: [insecure-port]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.insecure_port_disabled

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("insecure-port")

# A known version that removed the flag: not-applicable when it is not set; when it is set,
# that kube-apiserver does not start, so the configuration is wrong (fail, never hidden).
result := verdict.new(_chain, "not-applicable", flags.removed_reason("insecure-port"), {"flag": _flag}) if {
	flags.removed("insecure-port")
	not _flag.set
}

result := verdict.contradiction(_chain, flags.contradiction_reason("insecure-port"), {"flag": _flag}) if {
	flags.contradicted("insecure-port")
}

# A set flag is judged by its real value (an unknown version's range is then below 1.24).
result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	flags.judged_directly("insecure-port")
	_flag.value == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": the API server serves unauthenticated HTTP requests"]),
	{"flag": _flag},
) if {
	flags.judged_directly("insecure-port")
	_flag.value != 0
}

# Not set, version unknown: the default over every version the target may run. The same
# verdict everywhere is that verdict; otherwise warn, with the split spelled out.
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("insecure-port", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("insecure-port")

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error

_statuses := flags.absent_statuses("insecure-port", 0)
