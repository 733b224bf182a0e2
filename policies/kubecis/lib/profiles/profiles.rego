# METADATA
# title: The active profile
# description: >-
#   The benchmark profile a target is judged against: the one requested in
#   data.kubecis.options.profile, else the CIS benchmark kube-bench maps the target's
#   Kubernetes minor to (data.kubecis.profiles), else the fallback, with the reason.
package kubecis.lib.profiles

import data.kubecis.lib.params
import data.kubecis.lib.versions

active := {"name": data.kubecis.options.profile, "reason": "requested with --profile"}

active := {"name": name, "reason": reason} if {
	not data.kubecis.options.profile
	name := mapped
	reason := concat("", ["Kubernetes ", versions.target, " maps to ", name])
}

active := {"name": data.kubecis.profiles.fallback, "reason": reason} if {
	not data.kubecis.options.profile
	not mapped
	reason := concat("", [_unmapped, "; using the newest benchmark, ", data.kubecis.profiles.fallback, _beside])
}

# range_profiles are, for an unknown version that the evidence (the flags:
# input.kubernetesVersion.range) bounds away from every minor the fallback benchmark covers,
# the profiles of the minors it may run. Their controls gate beside the fallback's (includes):
# --insecure-port=8080 bounds the version below 1.24, where every benchmark has that control,
# and cis-1.12 judges none of those versions. A range that may still be a version the fallback
# covers (no bound, or only "1.13 or later") gates on the fallback alone, as a known version
# of that range would.
range_profiles contains entry.profile if {
	not data.kubecis.options.profile
	not versions.known
	not _fallback_possible
	some minor in versions.possible
	some entry in data.kubecis.profiles.cis
	minor >= entry.from
	minor <= entry.to
}

_fallback_possible if {
	some minor in versions.possible
	some entry in data.kubecis.profiles.cis
	entry.profile == data.kubecis.profiles.fallback
	minor >= entry.from
	minor <= entry.to
}

_beside := concat("", [
	"; the controls of ", concat(", ", others), " (the benchmarks of the versions the flags allow) gate too",
]) if {
	others := [e.profile | some e in data.kubecis.profiles.cis; e.profile in range_profiles; e.profile != data.kubecis.profiles.fallback]
	count(others) > 0
} else := ""

# unknown_request says why a requested profile cannot be used: it is not one kubecis has (the
# CLI refuses it; OPA and conftest users set data.kubecis.options.profile themselves). Every
# result is then an error (lib.verdict), never a pass outside a profile that does not exist.
unknown_request := concat("", [
	"data.kubecis.options.profile ", json.marshal(data.kubecis.options.profile),
	" is not a profile kubecis knows (", concat(", ", sort(_profile_names)), ")",
]) if {
	_requested
	not data.kubecis.options.profile in _profile_names
}

_requested if data.kubecis.options.profile != false

_profile_names contains entry.profile if some entry in data.kubecis.profiles.cis

_profile_names contains data.kubecis.profiles.fallback

# _unmapped says why no CIS benchmark is mapped to the target's version.
_unmapped := concat("", ["Kubernetes ", versions.target, " has no CIS mapping"]) if versions.known

_unmapped := "the Kubernetes version is unknown, so no CIS benchmark is mapped to it" if not versions.known

# mapped is the profile the target's Kubernetes minor maps to, whatever was requested.
mapped := entry.profile if {
	versions.known
	some entry in data.kubecis.profiles.cis
	versions.minor >= entry.from
	versions.minor <= entry.to
}

# benchmark is the CIS benchmark whose data (cipher list, wording) applies: the active
# profile when it is a CIS benchmark, else the one the version maps to, else the fallback.
# Every profile gets one for every version, known or not, mapped or not: a profile's data
# never comes out undefined (a check reading it would return no result).
benchmark := active.name if _active_is_cis

benchmark := mapped if {
	not _active_is_cis
	_mapped_is_cis
}

benchmark := data.kubecis.profiles.fallback if {
	not _active_is_cis
	not _mapped_is_cis
}

# The two tests are rules so that `not` negates the whole test: written inline,
# `not startswith(mapped, "cis-")` is undefined (not true) when mapped is undefined.
_active_is_cis if startswith(active.name, "cis-")

_mapped_is_cis if startswith(mapped, "cis-")

# includes(chain) holds when the control annotated in chain gates under the active profile:
# it belongs to the profile, or to a framework that gates beside every profile (companions).
includes(chain) if {
	some entry in chain
	entry.annotations.custom.frameworks[active.name]
}

includes(chain) if {
	some entry in chain
	some name in companions
	entry.annotations.custom.frameworks[name]
}

includes(chain) if {
	some entry in chain
	some name in range_profiles
	entry.annotations.custom.frameworks[name]
}

# companions are the frameworks of kubecis's own controls that gate beside any profile: the
# RBAC risks peer tools flag and no CIS benchmark names, unless the gate-rbac-risks parameter
# is false (only false: a value of another shape, which the CLI refuses, still gates).
companions contains "rbac-risks" if not params.value("gate-rbac-risks") == false

# kubecis-startup (KAS-0045: kube-apiserver starts with this configuration on the target's
# version) gates beside every profile: a configuration the version refuses is a finding
# whatever the benchmark (DESIGN decision 1).
companions contains "kubecis-startup"
