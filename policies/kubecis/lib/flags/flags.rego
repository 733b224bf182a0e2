# METADATA
# title: Effective kube-apiserver flags
# description: >-
#   Looks up a flag in an ApiServerConfig document. A flag that is not set takes its
#   default for the target's Kubernetes version from data.kubecis.flags, so checks judge
#   the value kube-apiserver really runs with. The normalizer has already applied
#   kube-apiserver's parsing rules (valued and boolean flags, last-wins, accumulating slices).
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.lib.flags

import data.kubecis.lib.versions

# applies holds when the input is an API-server configuration document.
applies if input.kind == "ApiServerConfig"

# effective(name) is {"flag", "set", "value", "origin"} for a flag that is set, or
# {"flag", "set": false, "value", "default": true} when it takes its default.
# "value" is absent when the flag has no default and is not set; "error" is present when
# the normalizer could not parse the value.
# A string flag without a default given an empty value ("--audit-log-path=") is what
# kube-apiserver reads as not set: {"flag", "set": false, "empty": true, "origin"}.
# A flag written under an alias (another name kube-apiserver registers on the same variable)
# carries "writtenAs", the name the deciding occurrence used; describe() shows it.
# The cases are tried in order (else), so a set flag costs one lookup.
effective(name) := object.union(
	{"flag": name, "set": false, "empty": true, "origin": input.flags[name].origin},
	object.filter(input.flags[name], {"writtenAs"}),
) if {
	applies
	input.flags[name].value == ""
	_reads_empty_as_unset(name)
} else := object.union(
	{"flag": name, "set": true, "origin": input.flags[name].origin},
	object.filter(input.flags[name], _parsed_keys),
) if {
	applies
	input.flags[name]
} else := {"flag": name, "set": false, "value": default_value(name), "default": true} if {
	applies
	not input.flags[name]
	has_default(name)
} else := {"flag": name, "set": false} if {
	applies
	not input.flags[name]
}

# _parsed_keys are what the normalizer says about a set flag's value (a rule: built once).
_parsed_keys := {"value", "error", "raw", "writtenAs"}

# A flag the version removed is unknown to kube-apiserver whatever its value: an empty one
# is set (and contradicts the version), never "not set".
_reads_empty_as_unset(name) if {
	_spec(name).type == "string"
	not has_default(name)
	not removed(name)
}

has_default(name) if _spec(name).default != null

has_default(name) if count(object.get(_spec(name), "defaults", [])) > 0

# default_value(name) is the flag's default for the target version: the last entry of
# `defaults` whose `from` the target reaches, else `default` (used for unknown versions too).
default_value(name) := _versioned_default(name) if versions.known

default_value(name) := _spec(name).default if not versions.known

_versioned_default(name) := value if {
	applicable := [d.value | some d in object.get(_spec(name), "defaults", []); versions.at_least(d.from)]
	count(applicable) > 0
	value := applicable[count(applicable) - 1]
} else := _spec(name).default

_spec(name) := object.get(data.kubecis.flags, name, {})

# removed_in(name) is the minor ("1.24") whose kube-apiserver no longer accepts the flag.
removed_in(name) := _spec(name).removed

# removed(name) holds when the target's version no longer has the flag.
removed(name) if versions.at_least(removed_in(name))

# given(f) is the text a set flag was given: its value when it parsed, else the raw text
# kube-apiserver refused (so a message about it never goes undefined).
given(f) := _render(f.value) if "value" in object.keys(f)

given(f) := f.raw if {
	not "value" in object.keys(f)
	f.raw
}

# describe(f) renders an effective flag for messages: "--profiling=true (default)". Whether
# f has a value is looked up once.
describe(f) := _describe(f, "value" in object.keys(f))

_describe(f, true) := concat("", ["--", f.flag, "=", _render(f.value), " (default)"]) if not f.set

# _name_as_written(f) is the name the flag was written under; with _alias_note, an alias
# reads "--port=8080 (an alias of --insecure-port)".
_name_as_written(f) := f.writtenAs if f.writtenAs

else := f.flag

_alias_note(f) := concat("", [" (an alias of --", f.flag, ")"]) if f.writtenAs

else := ""

_describe(f, false) := concat("", ["--", f.flag, " is not set"]) if {
	not f.set
	not f.empty
}

_describe(f, false) := concat("", ["--", _name_as_written(f), "= is empty", _alias_note(f), ", which kube-apiserver reads as not set"]) if f.empty

_describe(f, true) := concat("", ["--", _name_as_written(f), "=", _render(f.value), _alias_note(f)]) if f.set

_describe(f, _) := concat("", ["--", _name_as_written(f), "=", f.raw, _alias_note(f), " (invalid: ", f.error, ")"]) if {
	f.set
	f.error
}

_render(value) := value if is_string(value)

_render(value) := concat(",", value) if is_array(value)

_render(value) := json.marshal(value) if {
	not is_string(value)
	not is_array(value)
}

# removed_reason(name) says why a check of a removed flag does not apply:
# "--insecure-port was removed in 1.24 (the target runs 1.33)".
removed_reason(name) := concat("", [
	"--", name, " was removed in ", removed_in(name), " (the target runs ", versions.target,
	"; setting it stops kube-apiserver)",
])

# refused(names) explains, for the named flags that are set to a value kube-apiserver refuses
# (the normalizer's `error`), why the controls reading them cannot be judged; undefined when
# none is. lib.verdict.new asks it with the flags a control declares.
refused(names) := concat("; ", sort(reasons)) if {
	reasons := {concat("", [refusal(n), "; kube-apiserver does not start with it, so this cannot be judged"]) |
		some n in names
		input.flags[n].raw
	}
	count(reasons) > 0
}

# refusal(name) says what kube-apiserver refuses in a flag's value, as written:
# `--secure-port=abc: invalid integer "abc"`; undefined when the value is not refused.
refusal(name) := concat("", ["--", object.get(f, "writtenAs", name), _written(object.get(f, "raw", "")), ": ", f.error]) if {
	f := input.flags[name]
	f.error
}

# hidden(names) says where and why kube-apiserver may get flags the document does not show
# (the normalizer's incomplete-flags diagnostics: "ps.txt:2: the line looks cut short: ..."),
# for a control reading the named flags: a diagnostic without `flag` concerns every flag, one
# with `flag` (a flag RKE2 adds after its journal line) only that one; undefined when none
# does. lib.verdict.new turns the controls it concerns into error with it.
hidden(names) := concat("; ", places) if {
	places := [concat("", [_place(d.origin), ": ", d.message]) |
		some d in input.diagnostics
		d.code == "incomplete-flags"
		_concerns(d, names)
	]
	count(places) > 0
}

_concerns(d, _) if not "flag" in object.keys(d)

_concerns(d, names) if d.flag in names

# release_dependent(names) says, for the named flags that a distribution sets only on some of
# the releases the target may run (the normalizer's release-dependent diagnostics: the
# release's patch, or the version, is unknown), which releases set them; undefined when none
# is. lib.verdict.new makes the controls reading such a flag warn with it (DESIGN decision 1).
release_dependent(names) := concat("; ", sort(reasons)) if {
	reasons := {concat("", ["--", d.flag, ": ", d.message]) |
		some d in input.diagnostics
		d.code == "release-dependent"
		d.flag in names
	}
	count(reasons) > 0
}

_place(origin) := concat("", [origin.file, ":", format_int(origin.line, 10)]) if origin.line

_place(origin) := origin.file if not origin.line

# renamed_away(names) says, for the named flags written under an alias that the target's known
# version no longer has while the flag itself still exists (--experimental-encryption-provider-config
# on 1.24), that this kube-apiserver does not start; undefined when none is. A contradiction of
# the version is a finding: lib.verdict.new makes the controls reading the flag fail. (Where
# the flag itself is removed too, its control fails on contradicted.)
renamed_away(names) := concat("; ", sort(reasons)) if {
	reasons := {concat("", [
		"kube-apiserver ", versions.target, " does not start with --", s, " (removed in ", removed_in(s),
		"; the flag's name there is --", n, "): the version or the flags are wrong",
	]) |
		some n in names
		some s, _ in object.get(input.flags, [n, "spellings"], {})
		s != n
		removed(s)
		not removed(n)
	}
	count(reasons) > 0
}

_written(raw) := "" if raw == ""

_written(raw) := concat("", ["=", raw]) if raw != ""

# default_at(name, m) is the flag's default on Kubernetes minor m (for judging over a range).
default_at(name, m) := value if {
	applicable := [d.value | some d in object.get(_spec(name), "defaults", []); m >= versions.minor_of(d.from)]
	count(applicable) > 0
	value := applicable[count(applicable) - 1]
} else := _spec(name).default

# removed_at(name, m) holds when Kubernetes minor m no longer has the flag.
removed_at(name, m) if m >= versions.minor_of(removed_in(name))

# contradicted(name) holds when the flag is set although the target's known version removed
# it: that kube-apiserver does not start. The control of the flag fails (never a quiet
# not-applicable); the normalizer adds a version-contradiction diagnostic on the target.
contradicted(name) if {
	input.flags[name]
	removed(name)
}

# contradiction_reason(name): "kube-apiserver 1.30 does not start with --insecure-port (removed in 1.24)".
contradiction_reason(name) := concat("", [
	"kube-apiserver ", versions.target, " does not start with --", object.get(input.flags[name], "writtenAs", name), " (removed in ", removed_in(name),
	"): the version or the flags are wrong",
])

# judged_directly(name) holds when a check judges the flag's effective value as it is: the
# flag is set (an unknown version's range then already excludes the versions without it),
# or the version is known; and the version has the flag.
judged_directly(name) if {
	input.flags[name]
	not removed(name)
}

judged_directly(name) if {
	versions.known
	not removed(name)
}

# over_range(name) holds when the flag is not set and the version is unknown: the check is
# judged on the flag's default over every version the target may run (absent_statuses).
over_range(name) if {
	applies
	not versions.known
	not input.flags[name]
}

# absent_statuses(name, good) is, for each possible minor, the status of a check that
# passes when the flag's value is `good`: not-applicable where the flag is removed, else
# pass or fail on that minor's default.
absent_statuses(name, good) := [_absent_status_at(name, m, good) | some m in versions.possible]

_absent_status_at(name, m, _) := "not-applicable" if removed_at(name, m)

_absent_status_at(name, m, good) := "pass" if {
	not removed_at(name, m)
	default_at(name, m) == good
}

_absent_status_at(name, m, good) := "fail" if {
	not removed_at(name, m)
	default_at(name, m) != good
}

# range_reason(name, statuses) is the reason of a check judged over the range.
range_reason(name, statuses) := concat("", ["--", name, " is not set and the version is unknown: ", versions.split_reason(statuses)]) if {
	not versions.uniform(statuses)
}

range_reason(name, statuses) := concat("", ["--", name, " is not set: its default fails on every version the target may run (", _span_text, ")"]) if {
	versions.uniform(statuses)
	statuses[0] == "fail"
}

range_reason(name, statuses) := concat("", ["--", name, " is removed on every version the target may run (", _span_text, ")"]) if {
	versions.uniform(statuses)
	statuses[0] == "not-applicable"
}

range_reason(_, statuses) := "" if {
	versions.uniform(statuses)
	statuses[0] == "pass"
}

# range_status(statuses) is the one status of a uniform range, else warn.
range_status(statuses) := statuses[0] if versions.uniform(statuses)

range_status(statuses) := "warn" if not versions.uniform(statuses)

_span_text := concat("", ["1.", format_int(versions.lowest, 10), "-1.", format_int(versions.highest, 10)])

# unset_statuses(name) is, for each possible minor, the status of a check that passes when
# the flag (which has no default) is not set: not-applicable where the flag is removed, else pass.
unset_statuses(name) := [_unset_status_at(name, m) | some m in versions.possible]

_unset_status_at(name, m) := "not-applicable" if removed_at(name, m)

_unset_status_at(name, m) := "pass" if not removed_at(name, m)
