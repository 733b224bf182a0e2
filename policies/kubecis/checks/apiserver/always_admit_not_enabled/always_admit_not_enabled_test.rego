package kubecis.checks.apiserver.always_admit_not_enabled_test

import data.kubecis.checks.apiserver.always_admit_not_enabled as check
import data.kubecis.lib.testing

test_secure_setting_passes if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 33)
	r.status == "pass"
	r.id == "KAS-0014"
	r.evidence.plugin == "AlwaysAdmit"
}

test_insecure_setting_fails if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector", "AlwaysAdmit"]}, 33)
	r.status == "fail"
	startswith(r.reason, "the AlwaysAdmit admission plugin is ")
}

test_legacy_admission_control_replaces_defaults if {
	r := check.result with input as testing.apiserver_at({"admission-control": ["NamespaceLifecycle", "AlwaysAdmit"]}, 33)
	r.status == "fail"
	r.evidence.source == "listed in --admission-control"
}

# Before 1.10 AlwaysAdmit WAS the admission chain when no flag named one: 1.0-1.6
# AdmissionControl "AlwaysAdmit", 1.7-1.9 NewServerRunOptions Admission.PluginNames =
# ["AlwaysAdmit"] (cmd/kube-apiserver/app/options/options.go); 1.10 replaced it with the
# default-on set of --enable-admission-plugins.
test_default_chain_before_1_10_fails if {
	r := check.result with input as testing.apiserver_at({"authorization-mode": ["Node", "RBAC"]}, 9)
	r.status == "fail"
	contains(r.reason, "on by default in 1.9")
	s := check.result with input as testing.apiserver_at({"authorization-mode": ["Node", "RBAC"]}, 10)
	s.status == "pass"
}

test_unknown_version_reaching_below_1_10_warns if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	contains(r.reason, "fail below 1.10")
}

test_unknown_version_from_1_10_passes if {
	doc := json.patch(testing.apiserver_at({}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"from": 10}}])
	r := check.result with input as doc
	r.status == "pass"
}
