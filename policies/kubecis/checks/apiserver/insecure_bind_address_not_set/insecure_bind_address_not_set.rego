# METADATA
# title: The insecure HTTP listener has no bind address (no --insecure-bind-address)
# description: >-
#   --insecure-bind-address chose the interface of the API server's unauthenticated,
#   unauthorized HTTP port. Binding it to anything reachable exposes full cluster control. It
#   had no effect from Kubernetes 1.20 and was removed in 1.24.
# custom:
#   id: KAS-0021
#   severity: critical
#   frameworks:
#     cis-1.5: ["1.2.18"]
#     cis-1.6: ["1.2.18"]
#     cis-1.20: ["1.2.17"]
#     seed-2020: ["S05"]
#   remediation: >-
#     Remove --insecure-bind-address on Kubernetes 1.23 and earlier. From 1.24 the flag no
#     longer exists and must not be set.
#   flags: [insecure-bind-address]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.insecure_bind_address_not_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("insecure-bind-address")

# A version that removed the flag: not-applicable when it is not set; set, that
# kube-apiserver does not start (a contradiction is a finding, never hidden).
result := verdict.new(_chain, "not-applicable", flags.removed_reason("insecure-bind-address"), {"flag": _flag}) if {
	flags.removed("insecure-bind-address")
	not _flag.set
}

result := verdict.contradiction(_chain, flags.contradiction_reason("insecure-bind-address"), {"flag": _flag}) if flags.contradicted("insecure-bind-address")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	not _flag.set
	not flags.removed("insecure-bind-address")
	not flags.over_range("insecure-bind-address")
}

# Not set, version unknown: judged on every minor the target may run (the flag exists only
# below 1.24): the same verdict everywhere is that verdict, otherwise warn with the split.
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("insecure-bind-address", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("insecure-bind-address")

_statuses := flags.unset_statuses("insecure-bind-address")

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": the unauthenticated HTTP port is bound to an address"]),
	{"flag": _flag},
) if {
	_flag.set
	not flags.removed("insecure-bind-address")
}
