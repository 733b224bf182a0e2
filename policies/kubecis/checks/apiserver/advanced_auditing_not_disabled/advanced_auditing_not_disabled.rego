# METADATA
# title: Advanced auditing is not turned off (no AdvancedAuditing=false feature gate)
# description: >-
#   AdvancedAuditing=false in --feature-gates fell back to the legacy audit log without
#   policies. The gate went GA in 1.12, was locked to true in 1.27 and removed in 1.28 (naming
#   it there stops kube-apiserver).
# custom:
#   id: KAS-0036
#   severity: medium
#   frameworks:
#     seed-2020: ["S36"]
#   remediation: >-
#     Remove AdvancedAuditing=false from --feature-gates on Kubernetes 1.27 and earlier. From
#     1.28 the gate no longer exists and must not be named.
#   flags: [feature-gates]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.advanced_auditing_not_disabled

import data.kubecis.lib.features
import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("feature-gates")

_removed_in := data.kubecis.features.removed.AdvancedAuditing

result := verdict.new(
	_chain,
	"not-applicable",
	concat("", [
		"the AdvancedAuditing feature gate was removed in ", _removed_in, " (the target runs ",
		versions.target, "; naming it stops kube-apiserver)",
	]),
	{"flag": _flag},
) if versions.at_least(_removed_in)

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	versions.known
	not versions.at_least(_removed_in)
	not features.given.AdvancedAuditing == false
	not _flag.error
}

result := verdict.new(
	_chain,
	"fail",
	"--feature-gates sets AdvancedAuditing=false: audit policies are not applied",
	{"flag": _flag},
) if {
	versions.known
	not versions.at_least(_removed_in)
	features.given.AdvancedAuditing == false
}

# Version unknown: the gate exists only below its removal, so the check is judged on every
# minor the target may run; the same verdict everywhere is that verdict, else warn with the split.
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	_range_reason,
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if {
	flags.applies
	not versions.known
	not _flag.error
}

_statuses := [_status_at(m) | some m in versions.possible]

_status_at(m) := "not-applicable" if {
	m >= versions.minor_of(_removed_in)
} else := "fail" if {
	features.given.AdvancedAuditing == false
} else := "pass"

_range_reason := concat("", [
	"the AdvancedAuditing feature gate is ", _gate_text, " and the version is unknown: ",
	versions.split_reason(_statuses),
]) if not versions.uniform(_statuses)

_range_reason := "" if {
	versions.uniform(_statuses)
	_statuses[0] == "pass"
}

_range_reason := "--feature-gates sets AdvancedAuditing=false: audit policies are not applied" if {
	versions.uniform(_statuses)
	_statuses[0] == "fail"
}

_range_reason := concat("", [
	"the AdvancedAuditing feature gate was removed in ", _removed_in,
	", before every version the target may run",
]) if {
	versions.uniform(_statuses)
	_statuses[0] == "not-applicable"
}

_gate_text := "set to false by --feature-gates" if features.given.AdvancedAuditing == false

else := "not disabled by --feature-gates"

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if {
	not versions.at_least(_removed_in)
	_flag.error
}
