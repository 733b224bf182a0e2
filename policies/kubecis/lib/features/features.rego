# METADATA
# title: Feature gates and what the version refuses because of them
# description: >-
#   The target's feature gates (--feature-gates, read against data.kubecis.features) and the
#   configuration a Kubernetes minor refuses to start with because of them: a plugin, flag or
#   config-file field behind a gate that is off (data.kubecis.features.needs), a field the
#   minor does not have yet, a gate the minor does not have (removed, or not yet added), and
#   --anonymous-auth beside an anonymous: block. lib.verdict makes the controls that read the
#   refused flags fail as contradictions (DESIGN decision 1: a finding, never a quiet pass).
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.lib.features

import data.kubecis.lib.files
import data.kubecis.lib.versions

# given is what --feature-gates sets, by gate name. From 1.32 component-base also accepts
# "kube:Gate=true" (compatibility/registry.go: the component prefix); both spellings count.
# (Written both ways, the plain name wins: one value per gate, never a conflict.)
given := object.union(
	{substring(k, 5, -1): v | some k, v in _given_raw; startswith(k, "kube:")},
	{k: v | some k, v in _given_raw; not startswith(k, "kube:")},
)

_given_raw := v if {
	v := input.flags["feature-gates"].value
	is_object(v)
} else := {}

_spec(gate) := object.get(data.kubecis.features.gates, gate, {})

# exists_at(gate, m): Kubernetes minor m has the gate (from its first default, before its removal).
exists_at(gate, m) if {
	first := _spec(gate).defaults[0]
	m >= versions.minor_of(first.from)
	not removed_at(gate, m)
}

removed_at(gate, m) if m >= versions.minor_of(data.kubecis.features.removed[gate])

# default_at(gate, m): the gate's default on minor m.
default_at(gate, m) := ds[count(ds) - 1] if {
	ds := [d.value | some d in _spec(gate).defaults; m >= versions.minor_of(d.from)]
	count(ds) > 0
}

# enabled_at(gate, m): the gate is on for a kube-apiserver binary of minor m: as --feature-gates
# sets it, else its default at the feature level (the --emulated-version minor when given).
enabled_at(gate, m) := object.get(given, gate, default_at(gate, _level(m)))

# An emulating kube-apiserver (--emulated-version, component-base compatibility) evaluates
# its versioned gates at the emulated minor: "1.31" or "kube=1.31".
_level(m) := emulated if {
	emulated
} else := m

emulated := to_number(split(_emulated_texts[0], ".")[1]) if count(_emulated_texts) > 0

# The minors the flag names for kube, in order: the first is read (a list that names kube twice
# must not make the rule conflict; the bench floor reads the first too).
_emulated_texts := [t |
	some item in object.get(input.flags, ["emulated-version", "value"], [])
	parts := split(item, "=")
	_kube_part(parts)
	t := trim_space(parts[count(parts) - 1])
	regex.match(`^1\.[0-9]+$`, t)
]

_kube_part(parts) if count(parts) == 1

_kube_part(parts) if {
	count(parts) == 2
	trim_space(parts[0]) == "kube"
}

# uses[use]: the input uses something data.kubecis.features.needs lists.
uses contains "security-context-deny" if "SecurityContextDeny" in _enabled_plugins

uses contains "authentication-config" if _set("authentication-config")

uses contains "authorization-config" if _set("authorization-config")

uses contains "anonymous-field" if _anonymous

uses contains "kms-v2" if "v2" in _kms_versions

uses contains "kms-v1" if "v1" in _kms_versions

_enabled_plugins := {p |
	some f in ["enable-admission-plugins", "admission-control"]
	some p in object.get(input.flags, [f, "value"], [])
}

_set(flag) if object.get(input.flags, [flag, "value"], "") != ""

_anonymous if {
	_set("authentication-config")
	is_object(files.content("authentication-config").anonymous)
}

# A kms provider without apiVersion is v1 (kubernetes/apiserver pkg/apis/apiserver/v1
# KMSConfiguration: "apiVersion ... defaults to v1").
_kms_versions := {object.get(p.kms, "apiVersion", "v1") |
	some r in object.get(files.content("encryption-provider-config"), "resources", [])
	some p in object.get(r, "providers", [])
	is_object(p.kms)
}

# refusals_at(m) is what a kube-apiserver of minor m refuses in this configuration: each
# {"flags": the flags it is about, "text": what it does not start with}.
refusals_at(m) := {r |
	some r in ((_need_refusals(m) | _gate_refusals(m)) | _pair_refusals)
}

_need_refusals(m) := {{"flags": n.flags, "text": concat("", [n.what, " (added in ", n.added, ")"])} |
	some n in data.kubecis.features.needs
	uses[n.use]
	m < versions.minor_of(n.added)
} | {{"flags": n.flags, "text": concat("", [n.what, _unless(n.gate)])} |
	some n in data.kubecis.features.needs
	uses[n.use]
	not _before(n, m)
	not _gone(n, m)
	exists_at(n.gate, m)
	enabled_at(n.gate, m) == false
}

_before(n, m) if m < versions.minor_of(n.added)

_gone(n, m) if m >= versions.minor_of(data.kubecis.admission.removed[n.plugin])

_unless(gate) := concat("", [" while --feature-gates sets ", gate, "=false"]) if given[gate] == false

else := concat("", [" unless --feature-gates=", gate, "=true (off by default there)"])

# A gate named in --feature-gates that minor m does not have: removed, or not yet added.
_gate_refusals(m) := {{"flags": ["feature-gates"], "text": concat("", ["--feature-gates naming ", g, " (the gate was removed in ", data.kubecis.features.removed[g], ")"])} |
	some g, _ in given
	removed_at(g, m)
} | {{"flags": ["feature-gates"], "text": concat("", ["--feature-gates naming ", g, " (the gate was added in ", _spec(g).defaults[0].from, ")"])} |
	some g, _ in given
	m < versions.minor_of(_spec(g).defaults[0].from)
}

# kubernetes/kubernetes pkg/kubeapiserver/options/authentication.go ToAuthenticationConfig:
# "--anonymous-auth flag cannot be set when anonymous field is configured in authentication
# configuration file", on every minor that reads the field.
_pair_refusals := {{"flags": ["anonymous-auth", "authentication-config"], "text": "--anonymous-auth together with an anonymous: block in the --authentication-config file"} |
	_anonymous
	input.flags["anonymous-auth"]
}

# refusal(names, status, reason) is the verdict of a control that reads the flags `names`
# when the version refuses something about them (undefined when none is): on a known
# version, a contradiction (fail); on an unknown one, a contradiction when every minor it
# may run refuses, else warn with the split (a fail or error of the control's own stays).
refusal(names, _, _) := {"status": "fail", "reason": _known_reason(names), "contradicts": true} if {
	count(_refusing) > 0
	versions.known
	_known_reason(names)
}

refusal(names, _, _) := {"status": "fail", "reason": _range_reason(names), "contradicts": true} if {
	count(_refusing) > 0
	not versions.known
	count(_refused_minors(names)) == count(versions.possible)
	count(versions.possible) > 0
}

refusal(names, status, reason) := {"status": "warn", "reason": concat("", [
	_range_reason(names), "; on the other versions it may run: ", status, _then(reason),
	"; give --kubernetes-version",
])} if {
	count(_refusing) > 0
	not versions.known
	status in {"pass", "warn", "not-applicable"}
	count(_refused_minors(names)) > 0
	count(_refused_minors(names)) < count(versions.possible)
}

_then("") := ""

_then(reason) := concat("", [" (", trim_suffix(reason, "; give --kubernetes-version"), ")"]) if reason != ""

_about(r, names) if {
	some f in r.flags
	f in names
}

_known_reason(names) := concat("; ", sort([concat("", [_says(versions.target, r.text), ": the version or the configuration is wrong"]) |
	some r in refusals_at(versions.minor)
	_about(r, names)
])) if count([r | some r in refusals_at(versions.minor); _about(r, names)]) > 0

_says(who, text) := concat("", ["kube-apiserver ", who, " does not start with ", text])

_refused_minors(names) := {m |
	some m, rs in _refusing
	some r in rs
	_about(r, names)
}

# _refusing is what each minor the target may run refuses, for the minors that refuse
# something: computed once per input, and only when the input uses a gated thing or names a
# gate at all (every control's verdict asks).
_refusing := {m: rs |
	_anything
	some m in versions.possible
	rs := refusals_at(m)
	count(rs) > 0
}

_anything if count(uses) > 0

_anything if count(given) > 0

# Over a range, each refusal with the minors that refuse it: "kube-apiserver 1.29 does not start with ...".
_range_reason(names) := concat("; ", sort([_says(_span(ms), text) |
	some text in {r.text | some rs in _refusing; some r in rs; _about(r, names)}
	ms := [m | some m, rs in _refusing; some r in rs; r.text == text]
])) if count(_refused_minors(names)) > 0

_span(ms) := concat("", ["1.", format_int(min(ms), 10)]) if min(ms) == max(ms)

_span(ms) := concat("", ["1.", format_int(min(ms), 10), "-1.", format_int(max(ms), 10)]) if min(ms) != max(ms)
