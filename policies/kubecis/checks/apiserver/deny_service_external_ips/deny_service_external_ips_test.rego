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
