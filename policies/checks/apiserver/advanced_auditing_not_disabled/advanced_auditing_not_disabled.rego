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
package checks.apiserver.advanced_auditing_not_disabled

import data.lib.flags
import data.lib.result
import data.lib.versions

_flag := flags.effective("feature-gates")

_removed_in := data.kubecis.features.removed.AdvancedAuditing

result := result.new(
	rego.metadata.chain(),
	"not-applicable",
	concat("", [
		"the AdvancedAuditing feature gate was removed in ", _removed_in, " (the target runs ",
		versions.target, "; naming it stops kube-apiserver)",
	]),
	{"flag": _flag},
) if versions.at_least(_removed_in)

result := result.new(rego.metadata.chain(), "pass", "", {"flag": _flag}) if {
	not versions.at_least(_removed_in)
	not _flag.value.AdvancedAuditing == false
	not _flag.error
}

result := result.new(
	rego.metadata.chain(),
	"fail",
	"--feature-gates sets AdvancedAuditing=false: audit policies are not applied",
	{"flag": _flag},
) if {
	not versions.at_least(_removed_in)
	_flag.value.AdvancedAuditing == false
}

result := result.new(rego.metadata.chain(), "error", flags.describe(_flag), {"flag": _flag}) if _flag.error
