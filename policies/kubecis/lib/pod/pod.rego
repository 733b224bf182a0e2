# METADATA
# title: Pod manifest adapter
# description: >-
#   Turns a raw static Pod manifest (what conftest hands a policy for kube-apiserver.yaml) into
#   the ApiServerConfig documents that the TypeScript normalizer (src/normalizers/argv.ts)
#   builds, so conftest and OPA users can judge manifests without `kubecis normalize`. It
#   mirrors kube-apiserver's flag semantics as argv.ts does, reading each flag's type from
#   data.kubecis.flags: --f=v and --f v for valued flags, booleans only --f or --f=v, Go
#   strconv.ParseBool and ParseInt, scalars last-wins, slices accumulate, maps merge, `--`
#   ends flags; an alias (data `alias`) is read as its canonical flag, in argv order.
#   test/adapter.test.ts proves it agrees with the normalizer on every fixture.
#   Not mirrored: line numbers (conftest's parser has none) and diagnostics. Not read: `sh -c`
#   scripts and kubelet's $(VAR) expansion; such containers are denied (malformed), not judged.
package kubecis.lib.pod

import data.kubecis.lib.durations

# documents holds one ApiServerConfig per kube-apiserver container of the input's Pods.
documents := [doc |
	some pod in _pods
	not _malformed(pod)
	some container in pod.spec.containers
	argv := _argv(container)
	count(argv) > 0
	_is_apiserver(argv[0])
	not _kubelet_references(argv)
	doc := _document(container, argv)
]

# malformed holds a message for each Pod of a shape kubelet refuses (containers not a list, a
# container not a mapping, command or args not a list of strings), as the normalizer's input
# errors say (without line numbers). Such a Pod gives no document; main.deny reports it, so a
# conftest run fails closed instead of judging nothing.
malformed contains concat("", [field, ": ", what, "; kubelet does not run this Pod, so it is not judged"]) if {
	some pod in _pods
	some [field, what] in _shape_errors(pod)
}

# A container that starts kube-apiserver through a shell (`sh -c "exec kube-apiserver ..."`)
# is read by the TypeScript normalizer, which expands the script; the adapter does not, so it
# says so (main.deny) rather than judge nothing.
malformed contains concat("", [
	"spec.containers[", format_int(i, 10),
	"]: starts kube-apiserver through a shell script, which this Rego adapter does not read; judge `kubecis normalize` output instead",
]) if {
	some pod in _pods
	not _malformed(pod)
	some i, container in pod.spec.containers
	argv := _argv(container)
	count(argv) > 1
	_is_shell(argv[0])
	some word in argv
	contains(word, "kube-apiserver")
}

# A container that starts kube-apiserver through a wrapper the TypeScript normalizer peels off
# (src/readers/command.ts findApiServerCommand: `hyperkube kube-apiserver`, go-runner, env,
# exec, nice) is read there; the adapter does not, so it names the wrapper (main.deny) rather
# than call the Pod one without kube-apiserver.
malformed contains concat("", [
	"spec.containers[", format_int(i, 10), "]: runs kube-apiserver through ", wrapper,
	", which this Rego adapter does not read; judge `kubecis normalize` output instead",
]) if {
	some pod in _pods
	not _malformed(pod)
	some i, container in pod.spec.containers
	wrapper := _wrapper(_argv(container))
}

_wrapper(argv) := "hyperkube" if {
	count(argv) > 1
	_basename(argv[0]) == "hyperkube"
	argv[1] in {"apiserver", "kube-apiserver"}
}

_wrapper(argv) := _basename(argv[0]) if {
	_basename(argv[0]) in {"go-runner", "env", "exec", "nice"}
	some word in array.slice(argv, 1, count(argv))
	_basename(word) in {"kube-apiserver", "hyperkube"}
}

_basename(path) := parts[count(parts) - 1] if parts := split(path, "/")

# kubelet expands $(NAME) references (and $$) in command and args from the container's env
# before kube-apiserver starts; the TypeScript normalizer applies that expansion, the adapter
# does not, so such a container is not judged here but denied (main.deny) with this message.
malformed contains concat("", [
	"spec.containers[", format_int(i, 10),
	"]: its command or args use kubelet's $(VAR) expansion, which this Rego adapter does not apply; judge `kubecis normalize` output instead",
]) if {
	some pod in _pods
	not _malformed(pod)
	some i, container in pod.spec.containers
	argv := _argv(container)
	count(argv) > 0
	_is_apiserver(argv[0])
	_kubelet_references(argv)
}

_kubelet_references(argv) if {
	some word in argv
	regex.match(`\$[$(]`, word)
}

_is_shell(executable) if {
	parts := split(executable, "/")
	parts[count(parts) - 1] in {"sh", "bash", "ash", "dash", "busybox"}
}

_malformed(pod) if count(_shape_errors(pod)) > 0

_shape_errors(pod) := ({["spec.containers", "expected a list of containers"] |
	containers := pod.spec.containers
	not is_array(containers)
} | {[concat("", ["spec.containers[", format_int(i, 10), "]"]), "expected a container (a mapping)"] |
	some i, c in _list(pod.spec.containers)
	not is_object(c)
}) | {[concat("", ["spec.containers[", format_int(i, 10), "].", field]), "expected a list of strings"] |
	some i, c in _list(pod.spec.containers)
	is_object(c)
	some field in ["command", "args"]
	not _strings(object.get(c, field, []))
}

_list(x) := x if is_array(x)

_list(x) := [] if not is_array(x)

_strings(v) if {
	is_array(v)
	every x in v {
		is_string(x)
	}
}

_pods := [input] if input.kind == "Pod"

_pods := [item | some item in input.items; item.kind == "Pod"] if input.kind == "List"

_pods := input.items if input.kind == "PodList"

# command + args; _malformed has made sure both are lists of strings.
_argv(container) := array.concat(object.get(container, "command", []), object.get(container, "args", []))

_is_apiserver(executable) if {
	parts := split(executable, "/")
	parts[count(parts) - 1] == "kube-apiserver"
}

_document(container, argv) := {
	"apiVersion": "kubecis.dev/v1alpha1",
	"kind": "ApiServerConfig",
	"metadata": {"source": object.union(
		{"path": _path, "format": "pod-manifest"},
		{"container": container.name | is_string(container.name)},
	)},
	"kubernetesVersion": _with_range(_version(object.get(container, "image", "")), flags(argv)),
	"flags": flags(argv),
	"diagnostics": [],
}

_path := data.conftest.file.name

_path := "-" if not data.conftest.file.name

# --- versions (src/normalizers/version.ts) ---------------------------------------------

_unknown_version := {
	"version": null,
	"source": "unknown: no image tag, kubeadm kubernetesVersion, distribution release or --kubernetes-version; judged over every version it may run",
}

_version(image) := v if {
	is_string(image)
	tags := regex.find_all_string_submatch_n(`(?:^|/)(?:kube-apiserver|hyperkube)(?:-[a-z0-9]+)?:(v?\d+\.\d+(?:\.\d+)?[^@\s]*)`, image, 1)
	count(tags) > 0
	parts := regex.find_all_string_submatch_n(`^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-((?:alpha|beta|rc)\.?\d*))?(?:[-+_].*)?$`, trim_space(tags[0][1]), 1)
	count(parts) > 0
	v := _version_of(parts[0], _image_source(image))
} else := _unknown_version

# _with_range(v, fs): an unknown version gets the range its set flags allow, with every
# reason (versionEvidence in src/normalizers/version.ts): a flag removed in R means below R,
# one added in I means I or later. A known version is kept (its contradictions are the
# normalizer's diagnostics; the checks of the flag fail on their own).
_with_range(v, _) := v if v.minor

_with_range(v, fs) := v if {
	not v.minor
	count(_removed_bounds(fs)) + count(_added_bounds(fs)) == 0
}

_with_range(v, fs) := {"version": null, "source": concat("", ["unknown; ", _describe_range(range), ", from the flags: ", concat("; ", range.reasons)]), "range": range} if {
	not v.minor
	removed := _removed_bounds(fs)
	added := _added_bounds(fs)
	count(removed) + count(added) > 0
	reasons := array.concat(
		[concat("", ["below 1.", format_int(b[0], 10), " (", b[2], "; removed in 1.", format_int(b[0], 10), ")"]) | some b in removed],
		[concat("", ["1.", format_int(0 - b[0], 10), " or later (", b[2], "; added in 1.", format_int(0 - b[0], 10), ")"]) | some b in added],
	)
	range := object.union(object.union({"reasons": reasons}, _below(removed)), _from(added))
}

_below(removed) := {"below": removed[0][0]} if count(removed) > 0

else := {}

_from(added) := {"from": 0 - added[0][0]} if count(added) > 0

else := {}

# [removed minor, key, what was set] tightest first; [-added minor, key, what] tightest first
# (ties by key: the flag's name, or the named plugin/gate's text). Each name written bounds the
# version by its own added/removed (an alias is not its canonical flag's age); so do admission
# plugins named by the plugin flags and gates named by --feature-gates (namedBounds in
# src/normalizers/version.ts: data.kubecis.admission, data.kubecis.features).
_removed_bounds(fs) := sort(array.concat(
	[[_minor(data.kubecis.flags[name].removed), name, concat("", ["--", name, " is set"])] | some name in _written_names(fs); data.kubecis.flags[name].removed],
	[[_minor(n.removed), n.text, n.text] | some n in _named(fs); n.removed],
))

_added_bounds(fs) := sort(array.concat(
	[[0 - _minor(data.kubecis.flags[name].added), name, concat("", ["--", name, " is set"])] | some name in _written_names(fs); data.kubecis.flags[name].added],
	[[0 - _minor(n.added), n.text, n.text] | some n in _named(fs); n.added],
))

_named(fs) := {_bound(concat("", [p, " named by --", f]), object.get(data.kubecis.admission.removed, p, null), object.get(data.kubecis.admission.added, p, null)) |
	some f in ["enable-admission-plugins", "disable-admission-plugins", "admission-control"]
	some p in object.get(fs, [f, "value"], [])
	is_string(p)
} | {_bound(concat("", [g, " named by --feature-gates"]), object.get(data.kubecis.features.removed, g, null), object.get(data.kubecis.features, ["gates", g, "defaults", 0, "from"], null)) |
	some k, _ in object.get(fs, ["feature-gates", "value"], {})
	g := _plain_gate(k)
}

_bound(text, removed, added) := object.union({"text": text}, object.union(_fact("removed", removed), _fact("added", added)))

_fact(_, null) := {}

_fact(k, v) := {k: v} if v != null

_plain_gate(k) := substring(k, 5, -1) if startswith(k, "kube:")

else := k

_written_names(fs) := {n | some name, f in fs; some n in _names_of(name, f)}

_names_of(_, f) := object.keys(f.spellings) if f.spellings

_names_of(name, f) := {name} if not f.spellings

_minor(text) := to_number(split(text, ".")[1])

_describe_range(range) := concat("", ["1.", format_int(range.from, 10), " to 1.", format_int(range.below - 1, 10)]) if {
	range.from
	range.below
}

_describe_range(range) := concat("", ["below 1.", format_int(range.below, 10)]) if not range.from

_describe_range(range) := concat("", ["1.", format_int(range.from, 10), " or later"]) if not range.below

_image_source(image) := concat("", ["image tag ", _strip_digest(image)])

_strip_digest(image) := substring(image, 0, indexof(image, "@sha256:")) if {
	regex.match(`@sha256:[0-9a-f]+$`, image)
} else := image

_version_of(m, source) := {
	"version": concat(".", [format_int(to_number(m[1]), 10), format_int(to_number(m[2]), 10)]),
	"major": to_number(m[1]), "minor": to_number(m[2]), "source": source,
} if {
	m[3] == ""
	m[4] == ""
}

_version_of(m, source) := {
	"version": concat(".", [format_int(to_number(m[1]), 10), format_int(to_number(m[2]), 10), format_int(to_number(m[3]), 10)]),
	"major": to_number(m[1]), "minor": to_number(m[2]), "source": source,
} if {
	m[3] != ""
	m[4] == ""
}

# A pre-release of 1.Y.Z (-alpha.N, -beta.N, -rc.N) runs 1.Y but comes before 1.Y.Z: its patch
# is not kept (parseVersion in src/normalizers/version.ts).
_version_of(m, source) := {
	"version": concat(".", [format_int(to_number(m[1]), 10), format_int(to_number(m[2]), 10)]),
	"major": to_number(m[1]), "minor": to_number(m[2]),
	"source": concat("", [source, ", a pre-release (", m[4], ") of ", _release_of(m), ": before that release, so its patch is not known"]),
} if m[4] != ""

_release_of(m) := concat(".", [format_int(to_number(m[1]), 10), format_int(to_number(m[2]), 10)]) if m[3] == ""

_release_of(m) := concat(".", [format_int(to_number(m[1]), 10), format_int(to_number(m[2]), 10), format_int(to_number(m[3]), 10)]) if m[3] != ""

# --- argv (src/normalizers/argv.ts) -----------------------------------------------------

# flags(argv) is the effective flag map of an argv whose element 0 is the executable, with the
# flag pairs kube-apiserver refuses marked refused (argv.ts / flag-table.ts checkCombinations).
# Key material is redacted first (redact.rego), as argv.ts parseArgv does.
flags(argv) := _combined(_parsed(redacted_argv(argv)))

_parsed(argv) := {name: _effective(argv, name) | some name in {o.name | some o in _occurrences(argv)}}

# --- refused combinations (data `excludes`, `disjoint`) -----------------------------------

_combined(fs) := {name: _refused_pair(name, f, fs) | some name, f in fs}

_refused_pair(name, f, fs) := object.union(object.filter(f, {"origin", "occurrences", "writtenAs", "spellings"}), {
	"raw": _rendered(f.value),
	"error": concat("; ", sort(why)),
}) if {
	not f.error
	why := _pair_reasons(name, fs)
	count(why) > 0
} else := f

_pair_reasons(name, fs) := {concat("", ["kube-apiserver refuses it together with --", other, why]) |
	some [a, b, why] in _refused_pairs(fs)
	some [self, other] in [[a, b], [b, a]]
	self == name
}

# [a, b, why] for every refused pair of given flags.
_refused_pairs(fs) := {[a, b, " (mutually exclusive)"] |
	some a, _ in fs
	_given(a, fs)
	some b in object.get(data.kubecis.flags[a], "excludes", [])
	_given(b, fs)
} | {[a, b, concat("", [" naming the same ", concat(", ", sort(both))])] |
	some a, fa in fs
	_given(a, fs)
	some b in object.get(data.kubecis.flags[a], "disjoint", [])
	is_array(fa.value)
	is_array(fs[b].value)
	both := {x | some x in fa.value; x in fs[b].value}
	count(both) > 0
}

# A string flag given empty is not given (kube-apiserver reads it as not set).
_given(name, fs) if {
	fs[name]
	not _empty_string(name, fs[name])
}

_empty_string(name, f) if {
	data.kubecis.flags[name].type == "string"
	f.value == ""
}

_rendered(value) := concat(",", value) if is_array(value)

_rendered(value) := value if is_string(value)

_rendered(value) := json.marshal(value) if {
	not is_array(value)
	not is_string(value)
}

# A token that looks like a flag: --name[=v], or -v (the only shorthand kube-apiserver has:
# -v, -v=3, or -v3, which pflag reads as -v=3).
_flag_like(text) if startswith(text, "--")

_flag_like(text) if startswith(text, "-v")

# _name is the name as written; _canonical the flag it stands for (an alias names another flag
# kube-apiserver registers on the same variable).
_name(text) := replace(split(_body(text), "=")[0], "_", "-")

_canonical(name) := data.kubecis.flags[name].alias if data.kubecis.flags[name].alias

else := name

# argv.ts strips two leading dashes; the shorthand -v reads as v, -v=3 as v=3, and -v3 as v=3
# (shorthandBody).
_body(text) := substring(text, 2, -1) if startswith(text, "--")

_body(text) := concat("", ["v", _shorthand_value(text)]) if not startswith(text, "--")

_shorthand_value(text) := rest if {
	rest := substring(text, 2, -1)
	_shorthand_plain(rest)
} else := concat("", ["=", substring(text, 2, -1)])

_shorthand_plain("")

_shorthand_plain(rest) if startswith(rest, "=")

_spec(text) := data.kubecis.flags[_canonical(_name(text))]

# _takes_next(argv, j) holds when token j, read as a flag, would take token j+1 as its value.
_takes_next(argv, j) if {
	text := argv[j]
	text != "--"
	_flag_like(text)
	not contains(_body(text), "=")
	j + 1 < count(argv)
	_spec(text).type != "bool"
}

_takes_next(argv, j) if {
	text := argv[j]
	text != "--"
	_flag_like(text)
	not contains(_body(text), "=")
	j + 1 < count(argv)
	not _spec(text)
	not startswith(argv[j + 1], "-")
}

# Token i is a value when an odd run of value-taking tokens ends just before it.
_consumed(argv, i) if {
	i > 1
	run := [j | some j in numbers.range(1, i - 1); _all_take(argv, j, i - 1)]
	count(run) % 2 == 1
}

_all_take(argv, from, to) if {
	every k in numbers.range(from, to) {
		_takes_next(argv, k)
	}
}

# The first `--` that is not a value ends the flags.
_end(argv) := min([i | some i in numbers.range(1, count(argv) - 1); argv[i] == "--"; not _consumed(argv, i)])

_before_end(argv, i) if i < _end(argv)

_before_end(argv, _) if count([i | some i in numbers.range(1, count(argv) - 1); argv[i] == "--"; not _consumed(argv, i)]) == 0

# One entry per flag occurrence, in argv order: {index, name (canonical), written, entry}.
_occurrences(argv) := [o |
	some i in numbers.range(1, count(argv) - 1)
	count(argv) > 1
	text := argv[i]
	text != "--"
	_flag_like(text)
	not _consumed(argv, i)
	_before_end(argv, i)
	o := {"index": i, "name": _canonical(_name(text)), "written": _name(text), "entry": _entry(argv, i, text)}
]

# _entry is what argv.ts's record() receives for one occurrence.
_entry(argv, i, text) := {"value": _raw_value(argv, i, text), "unknown": true} if not _spec(text)

_entry(argv, i, text) := {"raw": "", "error": "flag needs an argument", "missing": true} if {
	_spec(text)
	not contains(_body(text), "=")
	_spec(text).type != "bool"
	i + 1 >= count(argv)
}

_entry(argv, i, text) := _parse(_spec(text), _raw_value(argv, i, text)) if {
	_spec(text)
	_has_value(argv, i, text)
}

_has_value(_, _, text) if contains(_body(text), "=")

_has_value(_, _, text) if _spec(text).type == "bool"

_has_value(argv, i, _) if i + 1 < count(argv)

_raw_value(_, _, text) := substring(_body(text), indexof(_body(text), "=") + 1, -1) if contains(_body(text), "=")

_raw_value(_, _, text) := "true" if {
	not contains(_body(text), "=")
	_spec(text).type == "bool"
}

_raw_value(argv, i, text) := argv[i + 1] if {
	not contains(_body(text), "=")
	_spec(text).type != "bool"
	i + 1 < count(argv)
}

_raw_value(argv, i, text) := argv[i + 1] if {
	not contains(_body(text), "=")
	not _spec(text)
	_takes_next(argv, i)
}

_raw_value(argv, i, text) := "" if {
	not contains(_body(text), "=")
	not _spec(text)
	not _takes_next(argv, i)
}

# The effective flag: the first occurrence that failed to parse, if any (pflag stops there);
# else the last occurrence decides and values accumulate by type (argv.ts record/accumulate).
_effective(argv, name) := object.union_n([
	{
		"raw": first.entry.raw,
		"error": first.entry.error,
		"origin": {"argIndex": first.index},
		"occurrences": count(mine),
	},
	_as(first, name), _spellings(mine, name),
]) if {
	mine := [o | some o in _occurrences(argv); o.name == name]
	failed := [o | some o in mine; o.entry.error]
	count(failed) > 0
	first := failed[0]
}

_effective(argv, name) := object.union_n([
	object.filter(last.entry, {"value", "raw", "error", "unknown"}),
	{"origin": {"argIndex": last.index}, "occurrences": count(mine)},
	_as(last, name), _spellings(mine, name),
]) if {
	mine := [o | some o in _occurrences(argv); o.name == name]
	count([o | some o in mine; o.entry.error]) == 0
	last := mine[count(mine) - 1]
	not _accumulates(last)
}

_effective(argv, name) := object.union_n([
	_checked(name, {
		"value": _accumulate(data.kubecis.flags[name].type, [o.entry.value | some k, o in mine; k >= start]),
		"origin": {"argIndex": last.index},
		"occurrences": count(mine),
	}),
	_as(last, name), _spellings(mine, name),
]) if {
	mine := [o | some o in _occurrences(argv); o.name == name]
	count([o | some o in mine; o.entry.error]) == 0
	last := mine[count(mine) - 1]
	_accumulates(last)
	failed := [k | some k, o in mine; not _has_parsed_value(o)]
	start := max([_after_last(failed), max(_firsts_of_names(mine))])
}

# pflag keeps one Value per name: the first occurrence under each name replaces a list value,
# so accumulation starts at the last such occurrence.
_firsts_of_names(mine) := [k |
	some k, o in mine
	count([j | some j, p in mine; j < k; p.written == o.written]) == 0
]

# _as is the alias an occurrence was written as ({} under the canonical name).
_as(o, name) := {"writtenAs": o.written} if o.written != name

else := {}

# _spellings: when any occurrence used an alias, every name written, with its last place.
_spellings(mine, name) := {"spellings": {w: {"argIndex": max([o.index | some o in mine; o.written == w])} |
	some w in {o.written | some o in mine}
}} if {
	some o in mine
	o.written != name
} else := {}

# _checked applies a list flag's whole-list rules to its accumulated value (argv.ts checkLists).
_checked(name, flag) := {
	"raw": concat(",", flag.value),
	"error": error,
	"origin": flag.origin,
	"occurrences": flag.occurrences,
} if {
	is_array(flag.value)
	error := _list_error(data.kubecis.flags[name].items, flag.value)
} else := flag

_accumulates(o) if {
	data.kubecis.flags[o.name]
	_has_parsed_value(o)
}

_has_parsed_value(o) if {
	not o.entry.error
	not o.entry.unknown
}

_after_last(failed) := 0 if count(failed) == 0

_after_last(failed) := max(failed) + 1 if count(failed) > 0

_accumulate(type, values) := [x | some v in values; some x in v] if type in {"stringSlice", "stringArray"}

_accumulate(type, values) := object.union_n(values) if type in {"mapStringBool", "mapStringString"}

_accumulate(type, values) := values[count(values) - 1] if not type in {"stringSlice", "stringArray", "mapStringBool", "mapStringString"}

# --- values (argv.ts parseValue) --------------------------------------------------------

_parse(spec, text) := {"value": b} if {
	spec.type == "bool"
	b := _go_bool(text)
}

_parse(spec, text) := {"raw": text, "error": concat("", ["invalid boolean \"", text, "\" (Go strconv.ParseBool)"])} if {
	spec.type == "bool"
	not _is_go_bool(text)
}

_parse(spec, text) := {"value": n} if {
	spec.type == "int"
	n := _go_int(text)
}

_parse(spec, text) := {"value": n} if {
	spec.type == "port"
	n := _go_int(text)
	n >= 0
	n <= 65535
}

_parse(spec, text) := {"raw": text, "error": concat("", ["port ", format_int(n, 10), " is out of range 0-65535"])} if {
	spec.type == "port"
	n := _go_int(text)
	not _in_port_range(n)
}

_parse(spec, text) := {"raw": text, "error": concat("", ["invalid integer \"", text, "\""])} if {
	spec.type in {"int", "port"}
	not _is_go_int(text)
}

_parse(spec, text) := _check_items(spec, text, _read_csv(text)) if spec.type == "stringSlice"

# _read_csv is pflag's readAsCSV as argv.ts readCsvRecord reads it: one Go encoding/csv record.
_read_csv("") := {"value": []}

_read_csv(text) := {"raw": text, "error": "a line break in a list value"} if {
	text != ""
	regex.match(`[\r\n]`, text)
}

_read_csv(text) := {"raw": text, "error": "not one CSV record (a bare or unbalanced \" quote)"} if {
	text != ""
	not regex.match(`[\r\n]`, text)
	not regex.match(_csv_record, text)
}

_read_csv(text) := {"value": split(text, ",")} if {
	text != ""
	not contains(text, "\"")
	not regex.match(`[\r\n]`, text)
}

# With quotes: tokens (a quoted field, an unquoted field, a comma); token i belongs to the
# field numbered by the commas before it.
_read_csv(text) := {"value": [field |
	some k in numbers.range(0, count(commas))
	parts := [_unquote(t) | some i, t in tokens; t != ","; count([c | some c in commas; c < i]) == k]
	field := concat("", parts)
]} if {
	contains(text, "\"")
	not regex.match(`[\r\n]`, text)
	regex.match(_csv_record, text)
	tokens := [m[0] | some m in regex.find_all_string_submatch_n(`"(?:[^"]|"")*"|[^,"]+|,`, text, -1)]
	commas := [i | some i, t in tokens; t == ","]
}

_csv_field := `(?:"(?:[^"]|"")*"|[^,"]*)`

_csv_record := concat("", ["^", _csv_field, "(?:,", _csv_field, ")*$"])

_unquote(t) := strings.replace_n({`""`: `"`}, substring(t, 1, count(t) - 2)) if startswith(t, `"`)

_unquote(t) := t if not startswith(t, `"`)

# The items rules of data.kubecis.flags (argv.ts checkItems / checkList).
_check_items(spec, _, parsed) := parsed if not spec.items

_check_items(_, _, parsed) := parsed if parsed.error

_check_items(spec, text, parsed) := {"raw": text, "error": errors[0]} if {
	not parsed.error
	errors := [e | some item in parsed.value; e := _item_error(spec.items, item)]
	count(errors) > 0
}

_check_items(spec, _, parsed) := parsed if {
	spec.items
	not parsed.error
	count([e | some item in parsed.value; e := _item_error(spec.items, item)]) == 0
}

_item_error(_, "") := "an empty item in the list; kube-apiserver refuses it"

_item_error(_, item) := concat("", ["\"", item, "\" has spaces around it, which kube-apiserver keeps and refuses"]) if {
	item != ""
	trim_space(item) != item
}

_item_error(rules, item) := concat("", ["\"", item, "\" is not one of ", concat(", ", rules.oneOf)]) if {
	item != ""
	trim_space(item) == item
	rules.oneOf
	not item in rules.oneOf
}

# _list_error is the whole-list rule an accumulated value breaks, if any.
_list_error(rules, values) := "at least one value must be passed; kube-apiserver refuses an empty list" if {
	rules.required
	count(values) == 0
}

_list_error(rules, values) := concat("", ["\"", dups[0], "\" is given more than once; kube-apiserver refuses a repeated value"]) if {
	rules.unique
	dups := [item | some i, item in values; count([j | some j, x in values; j < i; x == item]) > 0]
	count(dups) > 0
}

_parse(spec, text) := {"value": [text]} if spec.type == "stringArray"

_parse(spec, text) := _parse_map(spec.type, text) if spec.type in {"mapStringBool", "mapStringString"}

_parse(spec, text) := {"value": text} if {
	spec.type == "duration"
	durations.valid(text)
}

_parse(spec, text) := {"raw": text, "error": concat("", [
	"invalid duration \"", text,
	"\" (Go time.ParseDuration: a number and a unit, e.g. 60s, 1m0s)",
])} if {
	spec.type == "duration"
	not durations.valid(text)
}

_parse(spec, text) := {"value": to_number(text)} if {
	spec.type == "float"
	_is_go_float(text)
}

_parse(spec, text) := {"raw": text, "error": concat("", ["\"", text, "\" is not a finite decimal number (Go strconv.ParseFloat)"])} if {
	spec.type == "float"
	not _is_go_float(text)
}

# IP values stay text here; argv.ts also checks them with node:net (not mirrored).
_parse(spec, text) := {"value": text} if not spec.type in _parsed_types

_parsed_types := {"bool", "int", "port", "duration", "float", "stringSlice", "stringArray", "mapStringBool", "mapStringString"}

_is_go_float(text) if regex.match(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`, text)

_in_port_range(n) if {
	n >= 0
	n <= 65535
}

_go_true := {"1", "t", "T", "TRUE", "true", "True"}

_go_false := {"0", "f", "F", "FALSE", "false", "False"}

_is_go_bool(text) if text in _go_true

_is_go_bool(text) if text in _go_false

_go_bool(text) if text in _go_true

_go_bool(text) := false if text in _go_false

_int_pattern := `^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([1-9][0-9]*|0))$`

_is_go_int(text) if regex.match(_int_pattern, text)

# _go_int is Go's strconv.ParseInt(text, 0, 64) for decimal, 0x, 0o, 0b and leading-0 octal.
_go_int(text) := n if {
	m := regex.find_all_string_submatch_n(_int_pattern, text, 1)[0]
	sign := _sign(m[1])
	n := sign * _digits_value(m)
}

_sign("-") := -1

_sign(s) := 1 if s != "-"

_digits_value(m) := _in_base(m[2], 16) if m[2] != ""

_digits_value(m) := _in_base(m[3], 8) if m[3] != ""

_digits_value(m) := _in_base(m[4], 2) if m[4] != ""

_digits_value(m) := _in_base(m[5], 8) if m[5] != ""

_digits_value(m) := to_number(m[6]) if m[6] != ""

_hex := {"0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "a": 10, "b": 11, "c": 12, "d": 13, "e": 14, "f": 15}

_in_base(digits, base) := sum(values) if {
	chars := split(lower(digits), "")
	values := [v |
		some i, d in chars
		v := _hex[d] * product([base | some _ in array.slice(chars, i + 1, count(chars))])
	]
}

_parse_map(type, text) := {"raw": text, "error": errors[0]} if {
	errors := [e | some pair in split(text, ","); trim_space(pair) != ""; e := _pair_error(type, pair)]
	count(errors) > 0
}

_parse_map(type, text) := {"value": object.union_n([{trim_space(k): _map_value(type, trim_space(v))} |
	some pair in split(text, ",")
	trim_space(pair) != ""
	at := indexof(pair, "=")
	k := substring(pair, 0, at)
	v := substring(pair, at + 1, -1)
])} if {
	count([e | some pair in split(text, ","); trim_space(pair) != ""; e := _pair_error(type, pair)]) == 0
}

_pair_error(_, pair) := concat("", ["\"", pair, "\" is not key=value"]) if not contains(pair, "=")

_pair_error("mapStringBool", pair) := concat("", ["invalid boolean \"", raw, "\" for ", key]) if {
	contains(pair, "=")
	at := indexof(pair, "=")
	key := trim_space(substring(pair, 0, at))
	raw := trim_space(substring(pair, at + 1, -1))
	not _is_go_bool(raw)
}

_map_value("mapStringBool", raw) := _go_bool(raw)

_map_value("mapStringString", raw) := raw
