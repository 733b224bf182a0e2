package kubecis.checks.apiserver.service_account_plugin_enabled_test

import data.kubecis.checks.apiserver.service_account_plugin_enabled as check
import data.kubecis.lib.testing

test_secure_setting_passes if {
	r := check.result with input as testing.apiserver_at({}, 33)
	r.status == "pass"
	r.id == "KAS-0016"
	r.evidence.plugin == "ServiceAccount"
}

test_insecure_setting_fails if {
	r := check.result with input as testing.apiserver_at({"disable-admission-plugins": ["ServiceAccount"]}, 33)
	r.status == "fail"
	startswith(r.reason, "the ServiceAccount admission plugin is ")
}

test_legacy_admission_control_replaces_defaults if {
	r := check.result with input as testing.apiserver_at({"admission-control": ["NamespaceLifecycle", "ServiceAccount"]}, 33)
	r.status == "pass"
	r.evidence.source == "listed in --admission-control"
}

test_exempted_by_parameter_warns if {
	r := check.result with input as testing.apiserver_at({"disable-admission-plugins": ["ServiceAccount"]}, 33) with data.kubecis.options.params as {"required-admission-plugins": []}
	r.status == "warn"
	r.evidence.required == {"parameter": "required-admission-plugins", "value": [], "cisDefault": false}
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "the ServiceAccount admission plugin is not named by --enable-admission-plugins or --disable-admission-plugins and the version is unknown: fail below 1.10, pass from 1.10; give --kubernetes-version"
}

test_unknown_version_range_with_one_verdict_gets_it if {
	r := check.result with input as _ranged({}, {"from": 10})
	r.status == "pass"
	r2 := check.result with input as testing.apiserver_at({"disable-admission-plugins": ["ServiceAccount"]}, null)
	r2.status == "fail"
	r2.reason == "the ServiceAccount admission plugin runs on no version the target may run (1.0-1.36; disabled by --disable-admission-plugins): pods are admitted without service-account handling"
}
