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
package kubecis.checks.apiserver.advanced_auditing_not_disabled

import data.kubecis.lib.flags
import data.kubecis.lib.result
import data.kubecis.lib.versions

# _chain is this check's METADATA (id, frameworks) for lib.result.new. A complete rule is
# evaluated once per input; rego.metadata.chain() written in each result clause builds the
# whole annotation literal before that clause's body runs, once per clause.
_chain := rego.metadata.chain()

_flag := flags.effective("feature-gates")

_removed_in := data.kubecis.features.removed.AdvancedAuditing

result := result.new(
	_chain,
	"not-applicable",
	concat("", [
		"the AdvancedAuditing feature gate was removed in ", _removed_in, " (the target runs ",
		versions.target, "; naming it stops kube-apiserver)",
	]),
	{"flag": _flag},
) if versions.at_least(_removed_in)

result := result.new(_chain, "pass", "", {"flag": _flag}) if {
	not versions.at_least(_removed_in)
	not _flag.value.AdvancedAuditing == false
	not _flag.error
}

result := result.new(
	_chain,
	"fail",
	"--feature-gates sets AdvancedAuditing=false: audit policies are not applied",
	{"flag": _flag},
) if {
	not versions.at_least(_removed_in)
	_flag.value.AdvancedAuditing == false
}

result := result.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if {
	not versions.at_least(_removed_in)
	_flag.error
}
