package kubecis.checks.apiserver.pod_security_policy_plugin_enabled_test

import data.kubecis.checks.apiserver.pod_security_policy_plugin_enabled as check
import data.kubecis.lib.testing

test_secure_setting_passes if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector", "PodSecurityPolicy"]}, 20) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.id == "KAS-0019"
	r.evidence.plugin == "PodSecurityPolicy"
}

test_insecure_setting_fails if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 20) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	startswith(r.reason, "the PodSecurityPolicy admission plugin is ")
}

test_legacy_admission_control_replaces_defaults if {
	r := check.result with input as testing.apiserver_at({"admission-control": ["NamespaceLifecycle", "PodSecurityPolicy"]}, 20) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.evidence.source == "listed in --admission-control"
}

test_removed_plugin_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector", "PodSecurityPolicy"]}, 25) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "admission plugin was removed in")
}
