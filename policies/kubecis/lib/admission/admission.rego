# METADATA
# title: Effective admission plugins
# description: >-
#   The admission plugins kube-apiserver really runs: the target version's default-on set
#   (data.kubecis.admission) plus --enable-admission-plugins minus
#   --disable-admission-plugins; the legacy --admission-control replaces the whole list.
#   For an unknown version the newest default-on set is used (the admission controls judge
#   an unknown version per minor, see over_range). The admission-plugin controls
#   are built by the family helpers at the end (required, forbidden, judge).
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.lib.admission

import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

enable_flag := flags.effective("enable-admission-plugins")

disable_flag := flags.effective("disable-admission-plugins")

legacy_flag := flags.effective("admission-control")

# legacy holds when --admission-control gives the whole plugin list.
legacy if legacy_flag.set

default_on contains plugin if {
	some entry in data.kubecis.admission.default_on
	_reached(entry)
	some plugin in entry.plugins
}

# _reached(entry): the target's version is in the entry's [from, below) window; an unknown
# version takes the newest set (the entries without an end).
_reached(entry) if {
	versions.at_least(entry.from)
	not versions.at_least(object.get(entry, "below", "1.999"))
}

_reached(entry) if {
	not versions.known
	not entry.below
}

plugins := {p | some p in legacy_flag.value} if legacy

plugins := (default_on | _enabled_by_flag) - _disabled_by_flag if not legacy

# The plugins --enable-admission-plugins and --disable-admission-plugins name, as sets, so
# that every check looks a plugin up by key instead of scanning the flag's list.
_enabled_by_flag := {p | some p in object.get(enable_flag, "value", [])}

_disabled_by_flag := {p | some p in object.get(disable_flag, "value", [])}

# enabled(name) holds when the plugin runs.
enabled(name) if plugins[name]

# source(name) says why the plugin is or is not in the effective set, for reasons. The
# branches are tried in order: the legacy list decides alone, then disabling wins over
# enabling, which wins over the version's default.
source(name) := "listed in --admission-control" if {
	legacy
	enabled(name)
} else := "not listed in --admission-control (which replaces the default plugins)" if {
	legacy
} else := "disabled by --disable-admission-plugins" if {
	_disabled_by_flag[name]
} else := "enabled by --enable-admission-plugins" if {
	_enabled_by_flag[name]
} else := concat("", ["on by default in ", versions.target]) if {
	default_on[name]
} else := "not enabled (not in --enable-admission-plugins and not on by default)"

# removed(name) holds when the target's version no longer has the plugin.
removed(name) if versions.at_least(data.kubecis.admission.removed[name])

removed_reason(name) := concat("", [
	"the ", name, " admission plugin was removed in ", data.kubecis.admission.removed[name],
	" (the target runs ", versions.target, "; naming it stops kube-apiserver)",
])

# missing(name) holds when the target's version predates the plugin.
missing(name) if {
	versions.known
	not versions.at_least(data.kubecis.admission.added[name])
}

missing_reason(name) := concat("", [
	"the ", name, " admission plugin was added in ", data.kubecis.admission.added[name],
	" (the target runs ", versions.target, ")",
])

# named_absent(name) says why a known version's kube-apiserver does not start: a plugin flag
# names a plugin that version does not have (removed, or not yet added). kube-apiserver
# refuses a plugin list naming an unregistered plugin (k8s.io/apiserver
# pkg/server/options/admission.go Validate: "enable-admission-plugins plugin %q is unknown").
# As a removed flag (DESIGN decision 1), that is a finding of the plugin's own control, never
# a quiet not-applicable.
named_absent(name) := concat("", [
	"kube-apiserver ", versions.target, " does not start with ", name, " named by ", _naming_flag(name),
	": the plugin was removed in ", data.kubecis.admission.removed[name],
]) if {
	versions.known
	removed(name)
}

named_absent(name) := concat("", [
	"kube-apiserver ", versions.target, " does not start with ", name, " named by ", _naming_flag(name),
	": the plugin was added in ", data.kubecis.admission.added[name],
]) if missing(name)

# _naming_flag(name): the flag that names the plugin, if one does.
_naming_flag(name) := "--admission-control" if {
	legacy
	name in legacy_flag.value
} else := "--disable-admission-plugins" if {
	_disabled_by_flag[name]
} else := "--enable-admission-plugins" if {
	_enabled_by_flag[name]
}

# evidence for every admission-plugin check.
evidence(name) := {
	"plugin": name,
	"enabled": _enabled_bool(name),
	"source": source(name),
	"flags": _set_flags,
}

_enabled_bool(name) if plugins[name]

else := false

_set_flags := [f | some f in [enable_flag, disable_flag, legacy_flag]; f.set]

# --- judging over the range (DESIGN decision 1) ------------------------------------------
# With the version unknown, a plugin's default, its removal and its addition are looked up
# on every minor the target may run (versions.possible); a check gets one status per minor.

# over_range holds when the version is unknown: admission checks are judged per minor.
over_range if {
	flags.applies
	not versions.known
}

_default_on_at(m) := {p |
	some entry in data.kubecis.admission.default_on
	m >= versions.minor_of(entry.from)
	m < versions.minor_of(object.get(entry, "below", "1.999"))
	some p in entry.plugins
}

# enabled_at(name, m) holds when the plugin runs on Kubernetes minor m with these flags.
enabled_at(name, _) if {
	legacy
	plugins[name]
}

enabled_at(name, m) if {
	not legacy
	not _disabled_by_flag[name]
	_default_on_at(m)[name]
}

enabled_at(name, _) if {
	not legacy
	not _disabled_by_flag[name]
	_enabled_by_flag[name]
}

# removed_at(name, m) holds when minor m no longer has the plugin; missing_at when m predates it.
removed_at(name, m) if m >= versions.minor_of(data.kubecis.admission.removed[name])

missing_at(name, m) if m < versions.minor_of(data.kubecis.admission.added[name])

# absent_at(name, m): minor m has no such plugin.
absent_at(name, m) if removed_at(name, m)

absent_at(name, m) if missing_at(name, m)

# required_statuses(name, bad) is, per possible minor, the status of a check that wants the
# plugin on: not-applicable where the minor has no such plugin, pass where it runs, else bad.
required_statuses(name, bad) := [_required_status_at(name, m, bad) | some m in versions.possible]

_required_status_at(name, m, bad) := "not-applicable" if {
	absent_at(name, m)
} else := "pass" if {
	enabled_at(name, m)
} else := bad

# range_status(statuses) is the one status of a uniform range, else warn.
range_status(statuses) := statuses[0] if versions.uniform(statuses)

range_status(statuses) := "warn" if not versions.uniform(statuses)

# range_reason(name, statuses, why) is the reason of an admission check judged over the
# range; `why` is what the check's failure means ("kubelets can modify other nodes' objects").
range_reason(name, statuses, _) := concat("", [
	"the ", name, " admission plugin is ", _flag_source(name), " and the version is unknown: ",
	versions.split_reason(statuses),
]) if not versions.uniform(statuses)

range_reason(_, statuses, _) := "" if {
	versions.uniform(statuses)
	statuses[0] == "pass"
}

range_reason(name, statuses, why) := concat("", [
	"the ", name, " admission plugin runs on no version the target may run (", _span_text, "; ",
	_flag_source(name), "): ", why,
]) if {
	versions.uniform(statuses)
	not statuses[0] in {"pass", "not-applicable"}
}

range_reason(name, statuses, _) := concat("", [
	"the ", name, " admission plugin does not exist on any version the target may run (", _span_text, ")",
]) if {
	versions.uniform(statuses)
	statuses[0] == "not-applicable"
}

# _flag_source says what the flags alone say of the plugin (no version's defaults).
_flag_source(name) := source(name) if {
	legacy
} else := source(name) if {
	_disabled_by_flag[name]
} else := source(name) if {
	_enabled_by_flag[name]
} else := "not named by --enable-admission-plugins or --disable-admission-plugins"

_span_text := concat("", ["1.", format_int(versions.lowest, 10), "-1.", format_int(versions.highest, 10)])

# range_evidence(ev) is a check's evidence with the minors it was judged on.
range_evidence(ev) := object.union(ev, {"versions": {"lowest": versions.lowest, "highest": versions.highest}})

# --- results: the family helpers of the admission-plugin controls -------------------------

# required(chain, name, why) is the result of a control that wants plugin `name` running
# unless the organisation takes it off the required-admission-plugins parameter: pass where
# it runs, fail where it does not, warn (review the exemption) where it does not and is not
# required. `why` says what its absence allows ("kubelets can modify other nodes' objects").
required(chain, name, why) := judge(
	chain,
	name,
	required_evidence(name),
	required_statuses(name, _not_running(name)),
	{
		"fail": says(name, ": ", why),
		"warn": says(name, "; ", "the required-admission-plugins parameter does not require it: review that exemption"),
		"why": why,
	},
)

# required_evidence(name): evidence(name) and the required-admission-plugins parameter.
required_evidence(name) := object.union(evidence(name), {"required": _required})

_required := params.used("required-admission-plugins")

_not_running(name) := "fail" if name in _required.value

_not_running(name) := "warn" if not name in _required.value

# forbidden(chain, name, why) is the result of a control that wants plugin `name` not running.
forbidden(chain, name, why) := judge(chain, name, evidence(name), forbidden_statuses(name), {"fail": says(name, ": ", why), "why": why})

forbidden_statuses(name) := [_forbidden_status_at(name, m) | some m in versions.possible]

_forbidden_status_at(name, m) := "not-applicable" if {
	absent_at(name, m)
} else := "fail" if {
	enabled_at(name, m)
} else := "pass"

# says(name, sep, why): "the <name> admission plugin is <source(name)><sep><why>".
says(name, sep, why) := concat("", ["the ", name, " admission plugin is ", source(name), sep, why])

# judge(chain, name, ev, statuses, reasons) is the result of an admission-plugin control from
# its status on each minor the target may run (statuses: one per versions.possible, so one
# for a known version). A plugin whose presence or default the version decides (an entry in
# data.kubecis.admission) is judged over the range when the version is unknown (warn with the
# split when the statuses differ); otherwise the status is the one status. reasons.fail and
# reasons.warn are the reasons of those statuses; reasons.why what a failure means, for the
# range's reason; a not-applicable result says why the plugin does not exist.
judge(chain, name, ev, statuses, reasons) := verdict.new(
	chain,
	range_status(statuses),
	range_reason(name, statuses, reasons.why),
	range_evidence(ev),
) if {
	over_range
	versioned(name)
} else := verdict.contradiction(chain, named_absent(name), ev) if {
	named_absent(name)
} else := verdict.new(chain, statuses[0], _reason(name, statuses[0], reasons), ev)

_reason(_, "pass", _) := ""

_reason(name, "not-applicable", _) := removed_reason(name) if removed(name)

_reason(name, "not-applicable", _) := missing_reason(name) if missing(name)

_reason(_, status, reasons) := reasons[status] if status in {"fail", "warn"}

# versioned(name) holds when a Kubernetes minor decides the plugin's default or existence.
versioned(name) if data.kubecis.admission.removed[name]

versioned(name) if data.kubecis.admission.added[name]

versioned(name) if {
	some entry in data.kubecis.admission.default_on
	name in entry.plugins
}
