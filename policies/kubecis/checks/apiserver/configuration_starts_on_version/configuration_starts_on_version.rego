# METADATA
# title: kube-apiserver starts with this configuration on the target's version
# description: >-
#   kube-apiserver refuses to start with a flag its version does not have (removed, or not
#   yet added), with flags no single version has together, with an admission plugin or a
#   feature gate its version does not know, with a plugin, flag or config-file field whose
#   feature gate is off, and with a flag it does not know at all. A configuration that does
#   not start is not the one running: the version kubecis was given, or the configuration,
#   is wrong. The controls of the flags concerned fail too; this one lists every
#   contradiction, including those no other control reads (--logtostderr on 1.26 and later,
#   DenyEscalatingExec on 1.21 and later), and gates beside every profile.
# custom:
#   id: KAS-0045
#   severity: high
#   frameworks:
#     kubecis-startup: ["starts"]
#   remediation: >-
#     Give the target's real version (--kubernetes-version, or the image tag), or remove or
#     rename the flags, plugins and gates its kube-apiserver does not accept; for a gated one,
#     set the gate the reason names in --feature-gates. Check the spelling of a flag kubecis
#     does not know.
#   flags: []
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.configuration_starts_on_version

import data.kubecis.lib.features
import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

# The normalizer's contradictions (flags, plugin and gate names against the known version;
# flags no version accepts together) and lib.features' refusals on every minor it may run.
_contradictions := [d.message | some d in input.diagnostics; d.code == "version-contradiction"]

_refused := [features.all_refusals | features.refused_everywhere]

_unknown := sort([concat("", ["--", d.flag]) | some d in input.diagnostics; d.code == "unknown-flag"; d.flag])

_evidence := {
	"contradictions": array.concat(_contradictions, _refused),
	"unknownFlags": _unknown,
	"versions": {"lowest": versions.lowest, "highest": versions.highest},
}

result := verdict.contradiction(_chain, concat("; ", _evidence.contradictions), _evidence) if {
	flags.applies
	count(_evidence.contradictions) > 0
}

result := verdict.new(_chain, "warn", _warn_reason, _evidence) if {
	flags.applies
	count(_evidence.contradictions) == 0
	_warned
}

_warned if count(_unknown) > 0

_warned if features.refused_somewhere

_warn_reason := concat("; ", [r | some r in [_unknown_reason, _some_reason]; r != ""])

_unknown_reason := concat("", [
	"kube-apiserver does not start with a flag it does not know, and kubecis does not know ",
	concat(", ", _unknown), ": check the spelling, or whether the target's version has it",
]) if count(_unknown) > 0

else := ""

_some_reason := concat("", [features.all_refusals, "; give --kubernetes-version"]) if features.refused_somewhere

else := ""

result := verdict.new(_chain, "pass", "", _evidence) if {
	flags.applies
	count(_evidence.contradictions) == 0
	not _warned
	not flags.hidden
}

# Flags the document may not show could be ones the version refuses: no pass rests on those seen.
result := verdict.new(_chain, "error", concat("", ["flags may be missing or overridden: ", flags.hidden, "; no verdict can rest on the flags seen"]), _evidence) if {
	flags.applies
	count(_evidence.contradictions) == 0
	not _warned
	flags.hidden
}
