package kubecis.checks.apiserver.security_context_deny_plugin_enabled_test

import data.kubecis.checks.apiserver.security_context_deny_plugin_enabled as check
import data.kubecis.lib.testing

test_enabled_passes if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["SecurityContextDeny"]}, 26)
	r.status == "pass"
	r.id == "KAS-0020"
}

test_pod_security_policy_instead_passes if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodSecurityPolicy"]}, 20)
	r.status == "pass"
}

test_neither_fails if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["NodeRestriction"]}, 26)
	r.status == "fail"
	contains(r.reason, "PodSecurityPolicy is not enabled either")
}

test_removed_plugin_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 30) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "was removed in 1.30")
}
