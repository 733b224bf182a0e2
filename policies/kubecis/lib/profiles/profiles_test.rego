package kubecis.lib.profiles_test

import data.kubecis.lib.profiles
import data.kubecis.lib.testing

# Every profile the bundle knows (each CIS mapping entry, the fallback) and every
# Kubernetes minor from 1.0 to 1.40, plus an unknown version: a benchmark is always picked.
_names contains entry.profile if some entry in data.kubecis.profiles.cis

_names contains data.kubecis.profiles.fallback

_versions contains {"version": concat(".", ["1", format_int(m, 10)]), "major": 1, "minor": m} if some m in numbers.range(0, 40)

_versions contains {"version": null}

_missing contains [name, v] if {
	some name in _names
	some v in _versions
	not _benchmark_defined(name, v)
}

_benchmark_defined(name, v) if {
	b := profiles.benchmark with data.kubecis.options.profile as name with input.kubernetesVersion as v
	startswith(b, "cis-")
}

_missing_unrequested contains v if {
	some v in _versions
	not _benchmark_unrequested(v)
}

_benchmark_unrequested(v) if {
	b := profiles.benchmark with input.kubernetesVersion as v
	startswith(b, "cis-")
}

test_every_profile_and_version_picks_a_benchmark if {
	count(_names) > 10
	count(_missing) == 0
	count(_missing_unrequested) == 0
}

test_seed_2020_unknown_version_uses_fallback if {
	profiles.benchmark == "cis-1.12" with data.kubecis.options.profile as "seed-2020"
		with input.kubernetesVersion as {"version": null}
}

test_seed_2020_old_version_uses_fallback if {
	profiles.benchmark == "cis-1.12" with data.kubecis.options.profile as "seed-2020"
		with input.kubernetesVersion as {"version": "1.10", "major": 1, "minor": 10}
}

test_seed_2020_mapped_version_uses_its_benchmark if {
	profiles.benchmark == "cis-1.6" with data.kubecis.options.profile as "seed-2020"
		with input.kubernetesVersion as {"version": "1.17", "major": 1, "minor": 17}
}

# The reason reads as a sentence whether the version is known or not.
test_unknown_version_reason_says_the_version_is_unknown if {
	a := profiles.active with input.kubernetesVersion as {"version": null}
	a.name == "cis-1.12"
	a.reason == "the Kubernetes version is unknown, so no CIS benchmark is mapped to it; using the newest benchmark, cis-1.12"
}

test_unmapped_version_reason_names_the_version if {
	a := profiles.active with input.kubernetesVersion as {"version": "1.40", "major": 1, "minor": 40}
	a.reason == "Kubernetes 1.40 has no CIS mapping; using the newest benchmark, cis-1.12"
}

# kubecis's own rbac-risks controls gate beside every profile unless gate-rbac-risks is false;
# a value of another shape (which the CLI refuses) still gates: fail closed.
_risk_chain := [{"annotations": {"custom": {"frameworks": {"rbac-risks": ["pods-exec"]}}}}]

_cis_chain := [{"annotations": {"custom": {"frameworks": {"cis-1.12": ["5.1.1"]}}}}]

test_rbac_risks_gate_beside_every_profile if {
	every name in _names | {"seed-2020"} {
		profiles.includes(_risk_chain) with data.kubecis.options.profile as name
	}
	profiles.includes(_risk_chain) with data.kubecis.options.profile as "seed-2020"
		with data.kubecis.options.params as {"gate-rbac-risks": "no"}
}

test_rbac_risks_shown_apart_when_not_gated if {
	not profiles.includes(_risk_chain) with data.kubecis.options.profile as "cis-1.12"
		with data.kubecis.options.params as {"gate-rbac-risks": false}

	# The switch moves only kubecis's own controls: a CIS control stays in its profile.
	profiles.includes(_cis_chain) with data.kubecis.options.profile as "cis-1.12"
		with data.kubecis.options.params as {"gate-rbac-risks": false}
	not profiles.includes(_cis_chain) with data.kubecis.options.profile as "seed-2020"
}

# A profile kubecis does not have (OPA and conftest users set it themselves) makes every result
# an error that gates, never a pass outside a profile that does not exist.
test_unknown_requested_profile_is_an_error_for_every_control if {
	every name in ["cis-1.13", "CIS-1.12", "rbac-risks", null] {
		_unknown_profile_error(name)
	}
}

_unknown_profile_error(name) if {
	r := data.kubecis.checks.apiserver.profiling_disabled.result with input as testing.apiserver({"profiling": false})
		with data.kubecis.options.profile as name
	r.status == "error"
	not r.outside
	contains(r.reason, "is not a profile kubecis knows")
}

test_known_requested_profile_is_used if {
	not profiles.unknown_request with data.kubecis.options.profile as "seed-2020"
	not profiles.unknown_request
}

# An unknown version that the flags bound: the benchmarks of every minor it may run gate
# beside the fallback, named in the reason in version order.
test_bounded_unknown_version_gates_the_benchmarks_of_its_range if {
	v := {"version": null, "range": {"from": 20, "below": 24}}
	profiles.range_profiles == {"cis-1.20", "cis-1.23"} with input.kubernetesVersion as v
	a := profiles.active with input.kubernetesVersion as v
	a.name == "cis-1.12"
	endswith(a.reason, "; the controls of cis-1.20, cis-1.23 (the benchmarks of the versions the flags allow) gate too")
}

# Unbounded, or a known version, or a requested profile: the one profile alone.
test_no_range_profiles_without_a_bounded_unknown_version if {
	count(profiles.range_profiles) == 0 with input.kubernetesVersion as {"version": null}
	count(profiles.range_profiles) == 0 with input.kubernetesVersion as {"version": null, "range": {"from": 13}}
	count(profiles.range_profiles) == 0 with input.kubernetesVersion as {"version": "1.22", "major": 1, "minor": 22, "range": {"below": 24}}
	count(profiles.range_profiles) == 0 with input.kubernetesVersion as {"version": null, "range": {"below": 24}}
		with data.kubecis.options.profile as "cis-1.12"
	a := profiles.active with input.kubernetesVersion as {"version": null}
	not contains(a.reason, "gate too")
}

# A range that may be a version the fallback covers gates on the fallback alone.
test_range_reaching_the_fallback_names_no_other_benchmark if {
	v := {"version": null, "range": {"from": 29, "below": 33}}
	count(profiles.range_profiles) == 0 with input.kubernetesVersion as v
	a := profiles.active with input.kubernetesVersion as v
	not contains(a.reason, "gate too")
}
