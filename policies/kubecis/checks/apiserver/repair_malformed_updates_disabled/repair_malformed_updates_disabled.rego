# METADATA
# title: Malformed updates are not repaired (--repair-malformed-updates=false)
# description: >-
#   --repair-malformed-updates made the API server try to fix malformed update requests
#   instead of rejecting them. It had become a no-op and was removed in Kubernetes 1.14.
# custom:
#   id: KAS-0024
#   severity: low
#   frameworks:
#     seed-2020: ["S09"]
#   remediation: >-
#     On Kubernetes 1.13 and earlier set --repair-malformed-updates=false. From 1.14 the flag no
#     longer exists and must not be set.
#   flags: [repair-malformed-updates]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.repair_malformed_updates_disabled

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("repair-malformed-updates")

# A version that removed the flag: not-applicable when it is not set; set, that
# kube-apiserver does not start (a contradiction is a finding, never hidden).
result := verdict.new(_chain, "not-applicable", flags.removed_reason("repair-malformed-updates"), {"flag": _flag}) if {
	flags.removed("repair-malformed-updates")
	not _flag.set
}

result := verdict.contradiction(_chain, flags.contradiction_reason("repair-malformed-updates"), {"flag": _flag}) if flags.contradicted("repair-malformed-updates")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	flags.judged_directly("repair-malformed-updates")
	_flag.value == false
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": malformed updates may be repaired instead of rejected"]),
	{"flag": _flag},
) if {
	flags.judged_directly("repair-malformed-updates")
	not _flag.value == false
	not _flag.error
}

# Not set, version unknown: never the default of a version the target may not run; the
# verdict over every version it may run (warn with the split when it differs).
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("repair-malformed-updates", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("repair-malformed-updates")

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error

_statuses := flags.absent_statuses("repair-malformed-updates", false)
