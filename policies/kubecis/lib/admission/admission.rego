# METADATA
# title: Effective admission plugins
# description: >-
#   The admission plugins kube-apiserver really runs: the target version's default-on set
#   (data.kubecis.admission) plus --enable-admission-plugins minus
#   --disable-admission-plugins; the legacy --admission-control replaces the whole list.
#   For an unknown version the newest default-on set is used.
package kubecis.lib.admission

import data.kubecis.lib.flags
import data.kubecis.lib.versions

enable_flag := flags.effective("enable-admission-plugins")

disable_flag := flags.effective("disable-admission-plugins")

legacy_flag := flags.effective("admission-control")

# legacy holds when --admission-control gives the whole plugin list.
legacy if legacy_flag.set

default_on contains plugin if {
	some entry in data.kubecis.admission.default_on
	_reached(entry.from)
	some plugin in entry.plugins
}

_reached(from) if versions.at_least(from)

_reached(_) if not versions.known

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
