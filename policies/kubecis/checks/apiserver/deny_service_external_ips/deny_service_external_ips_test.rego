package kubecis.checks.apiserver.deny_service_external_ips_test

import data.kubecis.checks.apiserver.deny_service_external_ips as check
import data.kubecis.lib.testing

test_enabled_passes_for_current_benchmarks if {
	r := check.result with input as testing.apiserver({"enable-admission-plugins": ["NodeRestriction", "DenyServiceExternalIPs"]})
	r.status == "pass"
	r.id == "KAS-0009"
	r.evidence.wording == "set"
}

test_not_enabled_fails_for_current_benchmarks if {
	r := check.result with input as testing.apiserver({"enable-admission-plugins": ["NodeRestriction"]})
	r.status == "fail"
	endswith(r.reason, "cis-1.12 asks for it to be set")
}

test_meaning_flips_for_cis_1_24 if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["DenyServiceExternalIPs"]}, 24)
	r.status == "fail"
	endswith(r.reason, "cis-1.24 asks for it to be not set")
	s := check.result with input as testing.apiserver_at({}, 23)
	s.status == "pass"
	t := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["DenyServiceExternalIPs"]}, 24) with data.kubecis.options.profile as "cis-1.7"
	t.status == "pass"
}

test_before_the_plugin_existed_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 20) with data.kubecis.options.profile as "cis-1.23"
	r.status == "not-applicable"
	contains(r.reason, "was added in 1.21")
}

test_not_in_older_benchmarks if {
	r := check.result with input as testing.apiserver_at({}, 19)
	r.status == "not-applicable"
	r.outside == "cis-1.20"
	startswith(r.reason, "the DenyServiceExternalIPs admission plugin was added in 1.21")
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "the DenyServiceExternalIPs admission plugin is not named by --enable-admission-plugins or --disable-admission-plugins and the version is unknown: not-applicable below 1.21, fail from 1.21; give --kubernetes-version"
}

test_unknown_version_range_with_one_verdict_gets_it if {
	r := check.result with input as _ranged({"enable-admission-plugins": ["DenyServiceExternalIPs"]}, {"from": 21})
	r.status == "pass"
	r2 := check.result with input as _ranged({}, {"from": 21})
	r2.status == "fail"
	r2.reason == "the DenyServiceExternalIPs admission plugin runs on no version the target may run (1.21-1.36; not named by --enable-admission-plugins or --disable-admission-plugins): cis-1.12 asks for it to be set"
}
