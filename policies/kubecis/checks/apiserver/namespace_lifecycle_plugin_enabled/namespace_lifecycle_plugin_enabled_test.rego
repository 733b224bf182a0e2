package kubecis.checks.apiserver.namespace_lifecycle_plugin_enabled_test

import data.kubecis.checks.apiserver.namespace_lifecycle_plugin_enabled as check
import data.kubecis.lib.testing

test_secure_setting_passes if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "pass"
	r.id == "KAS-0017"
	r.evidence.plugin == "NamespaceLifecycle"
}

test_insecure_setting_fails if {
	r := check.result with input as testing.apiserver_at({"disable-admission-plugins": ["NamespaceLifecycle"]}, 33)
	r.status == "fail"
	startswith(r.reason, "the NamespaceLifecycle admission plugin is ")
}

test_legacy_admission_control_replaces_defaults if {
	r := check.result with input as testing.apiserver_at({"admission-control": ["NamespaceLifecycle", "NamespaceLifecycle"]}, 33)
	r.status == "pass"
	r.evidence.source == "listed in --admission-control"
}

test_exempted_by_parameter_warns if {
	r := check.result with input as testing.apiserver_at({"disable-admission-plugins": ["NamespaceLifecycle"]}, 33) with data.kubecis.options.params as {"required-admission-plugins": []}
	r.status == "warn"
	r.evidence.required == {"parameter": "required-admission-plugins", "value": [], "cisDefault": false}
}
