package kubecis.checks.apiserver.node_restriction_plugin_enabled_test

import data.kubecis.checks.apiserver.node_restriction_plugin_enabled as check
import data.kubecis.lib.testing

test_secure_setting_passes if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector", "NodeRestriction"]}, 33)
	r.status == "pass"
	r.id == "KAS-0018"
	r.evidence.plugin == "NodeRestriction"
}

test_insecure_setting_fails if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 33)
	r.status == "fail"
	startswith(r.reason, "the NodeRestriction admission plugin is ")
}

test_legacy_admission_control_replaces_defaults if {
	r := check.result with input as testing.apiserver_at({"admission-control": ["NamespaceLifecycle", "NodeRestriction"]}, 33)
	r.status == "pass"
	r.evidence.source == "listed in --admission-control"
}

test_exempted_by_parameter_warns if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 33) with data.kubecis.options.params as {"required-admission-plugins": []}
	r.status == "warn"
	r.evidence.required == {"parameter": "required-admission-plugins", "value": [], "cisDefault": false}
}
