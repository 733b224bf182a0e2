package kubecis.checks.apiserver.event_rate_limit_enabled_test

import data.kubecis.checks.apiserver.event_rate_limit_enabled as check
import data.kubecis.lib.testing

_with_admission(flags, plugins) := object.union(testing.apiserver_at(flags, 33), {"files": {"admission-control-config-file": {
	"path": "/etc/kubernetes/admission.yaml",
	"status": "read",
	"content": {"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration", "plugins": plugins},
}}})

_erl(types) := {"name": "EventRateLimit", "configuration": {
	"apiVersion": "eventratelimit.admission.k8s.io/v1alpha1",
	"kind": "Configuration",
	"limits": [{"type": t, "qps": 10, "burst": 20} | some t in types],
}}

_on := {"enable-admission-plugins": ["PodNodeSelector", "EventRateLimit"], "admission-control-config-file": "/etc/kubernetes/admission.yaml"}

test_secure_setting_passes if {
	r := check.result with input as _with_admission(_on, [_erl(["Server", "Namespace", "User"])])
	r.status == "pass"
	r.id == "KAS-0013"
	r.evidence.plugin == "EventRateLimit"
	r.evidence.limitTypes == ["Namespace", "Server", "User"]
}

test_limits_missing_a_required_type_fail if {
	r := check.result with input as _with_admission(_on, [_erl(["Namespace", "User"])])
	r.status == "fail"
	r.reason == "EventRateLimit is enabled but its configuration sets no limit for Server: those event sources are not rate limited"
}

test_admission_configuration_without_the_plugin_fails if {
	r := check.result with input as _with_admission(_on, [{"name": "PodSecurity", "configuration": {}}])
	r.status == "fail"
}

test_enabled_without_its_configuration_warns if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["EventRateLimit"]}, 33)
	r.status == "warn"
	r.reason == "EventRateLimit is enabled; its configuration was not given to kubecis (--admission-control-config-file is not set), so its limits were not checked"
	r2 := check.result with input as testing.apiserver_at(_on, 33)
	r2.status == "warn"
	contains(r2.reason, "the AdmissionConfiguration was not given")
	r3 := check.result with input as _with_admission(_on, [{"name": "EventRateLimit", "path": "erl.yaml"}])
	r3.status == "warn"
	contains(r3.reason, "the file its path names (erl.yaml) was not given")
}

test_insecure_setting_fails if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 33)
	r.status == "fail"
	startswith(r.reason, "the EventRateLimit admission plugin is ")
}

test_legacy_admission_control_replaces_defaults if {
	r := check.result with input as testing.apiserver_at({"admission-control": ["NamespaceLifecycle", "EventRateLimit"]}, 33)
	r.status == "warn"
	r.evidence.source == "listed in --admission-control"
}

test_exempted_by_parameter_warns if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 33) with data.kubecis.options.params as {"required-admission-plugins": []}
	r.status == "warn"
	r.evidence.required == {"parameter": "required-admission-plugins", "value": [], "cisDefault": false}
}
