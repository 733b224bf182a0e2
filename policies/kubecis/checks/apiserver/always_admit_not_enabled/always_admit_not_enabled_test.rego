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
