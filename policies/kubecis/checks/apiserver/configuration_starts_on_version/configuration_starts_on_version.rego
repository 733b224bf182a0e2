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

# What each minor the target may run refuses, judged from the document itself (so conftest on
# a raw manifest, without the normalizer's diagnostics, agrees): lib.features' gated refusals,
# every name a flag was written under that the minor does not have yet or any more (not a
# distribution's own default), and admission plugins the minor does not register.
_refusals_at(m) := (features.refusals_at(m) | _flag_refusals_at(m)) | _plugin_refusals_at(m)

_written := {n: o |
	some name, f in input.flags
	some n, o in object.get(f, "spellings", {name: f.origin})
	not o.source
}

_flag_refusals_at(m) := {{"text": concat("", ["--", n, " (removed in ", data.kubecis.flags[n].removed, ")"])} |
	some n, _ in _written
	m >= versions.minor_of(data.kubecis.flags[n].removed)
} | {{"text": concat("", ["--", n, " (added in ", data.kubecis.flags[n].added, ")"])} |
	some n, _ in _written
	m < versions.minor_of(data.kubecis.flags[n].added)
}

_plugin_flags := ["enable-admission-plugins", "disable-admission-plugins", "admission-control"]

_plugin_refusals_at(m) := {{"text": concat("", [p, " named by --", f, " (removed in ", data.kubecis.admission.removed[p], ")"])} |
	some f in _plugin_flags
	some p in object.get(input.flags, [f, "value"], [])
	m >= versions.minor_of(data.kubecis.admission.removed[p])
} | {{"text": concat("", [p, " named by --", f, " (added in ", data.kubecis.admission.added[p], ")"])} |
	some f in _plugin_flags
	some p in object.get(input.flags, [f, "value"], [])
	m < versions.minor_of(data.kubecis.admission.added[p])
}

_refusing := {m: rs |
	some m in versions.possible
	rs := _refusals_at(m)
	count(rs) > 0
}

_everywhere if {
	count(_refusing) > 0
	count(_refusing) == count(versions.possible)
}

_somewhere if {
	count(_refusing) > 0
	count(_refusing) < count(versions.possible)
}

# Each refusal with the minors that refuse it: "kube-apiserver 1.33 does not start with
# --logtostderr (removed in 1.26)"; on a known version, the version or the configuration is wrong.
_reasons := sort([_says(text) |
	some text in {r.text | some rs in _refusing; some r in rs}
])

_says(text) := concat("", ["kube-apiserver ", versions.target, " does not start with ", text, ": the version or the configuration is wrong"]) if versions.known

_says(text) := concat("", ["kube-apiserver ", _span([m | some m, rs in _refusing; some r in rs; r.text == text]), " does not start with ", text]) if not versions.known

_span(ms) := concat("", ["1.", format_int(min(ms), 10)]) if min(ms) == max(ms)

_span(ms) := concat("", ["1.", format_int(min(ms), 10), "-1.", format_int(max(ms), 10)]) if min(ms) != max(ms)

# Flags no version accepts together: the two bounds cross (src/normalizers/version.ts says so
# in a version-contradiction diagnostic; the minors between them each refuse some flag).
_crossed := concat("", ["no Kubernetes version accepts these flags together: ", concat("; ", input.kubernetesVersion.range.reasons)]) if {
	versions.lowest > versions.highest
}

# Values kube-apiserver refuses on any version (one it cannot parse, a missing value, a list
# item or a pair of flags it rejects: lib.flags' `error`): it does not start. A value holding a
# variable kubecis could not expand is unknown, not refused: no verdict rests on it (_unjudged).
_unresolved contains d.flag if {
	some d in input.diagnostics
	d.code == "unresolved-variable"
}

_refused_values := sort([concat("", ["kube-apiserver does not start with ", flags.refusal(n)]) |
	some n, f in input.flags
	not _unresolved[object.get(f, "writtenAs", n)]
])

_unresolved_values := sort([flags.refusal(n) |
	some n, f in input.flags
	_unresolved[object.get(f, "writtenAs", n)]
])

_contradictions := array.concat(array.concat([_crossed | _crossed], _refused_values), [r | _everywhere; some r in _reasons])

_unknown := sort([concat("", ["--", n]) | some n, _ in input.flags; not data.kubecis.flags[n]])

_evidence := {
	"contradictions": _contradictions,
	"unknownFlags": _unknown,
	"versions": {"lowest": versions.lowest, "highest": versions.highest},
}

result := verdict.contradiction(_chain, concat("; ", _contradictions), _evidence) if {
	flags.applies
	count(_contradictions) > 0
}

# A warn (an unknown flag, a refusal on some minors) needs the flags seen to be all there is:
# a line cut short ends in a flag name cut short. A refusal seen stays a fail: no hidden
# argument makes kube-apiserver accept it.
result := verdict.new(_chain, "warn", _warn_reason, _evidence) if {
	flags.applies
	count(_contradictions) == 0
	_warned
	not _unjudged
}

_warned if count(_unknown) > 0

_warned if _somewhere

_warn_reason := concat("; ", [r | some r in [_unknown_reason, _some_reason]; r != ""])

_unknown_reason := concat("", [
	"kube-apiserver does not start with a flag it does not know, and kubecis does not know ",
	concat(", ", _unknown), ": check the spelling, or whether the target's version has it",
]) if count(_unknown) > 0

else := ""

_some_reason := concat("", [concat("; ", _reasons), "; give --kubernetes-version"]) if _somewhere

else := ""

result := verdict.new(_chain, "pass", "", _evidence) if {
	flags.applies
	count(_contradictions) == 0
	not _warned
	not _unjudged
}

# Every incomplete-flags diagnostic concerns this control, those scoped to one flag included:
# any flag may be one the version refuses.
_hidden := flags.hidden({d.flag | some d in input.diagnostics; d.code == "incomplete-flags"; d.flag})

# Flags the document may not show could be ones the version refuses: no pass rests on those seen.
_unjudged_parts contains concat("", ["flags may be missing or overridden: ", _hidden]) if _hidden

_unjudged_parts contains concat("", ["values kubecis could not expand: ", concat("; ", _unresolved_values)]) if {
	count(_unresolved_values) > 0
}

_unjudged := concat("; ", sort(_unjudged_parts)) if count(_unjudged_parts) > 0

result := verdict.new(_chain, "error", concat("", [_unjudged, "; no verdict can rest on the flags seen"]), _evidence) if {
	flags.applies
	count(_contradictions) == 0
	_unjudged
}
