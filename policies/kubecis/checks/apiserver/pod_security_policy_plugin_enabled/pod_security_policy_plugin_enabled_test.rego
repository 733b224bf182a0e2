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
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector"]}, 25) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "admission plugin was removed in")
}

# Named on a version that removed it, it stops kube-apiserver: a finding (lib.admission.named_absent).
test_removed_plugin_named_is_a_finding if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodNodeSelector", "PodSecurityPolicy"]}, 25) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	contains(r.reason, "does not start with PodSecurityPolicy")
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "the PodSecurityPolicy admission plugin is not named by --enable-admission-plugins or --disable-admission-plugins and the version is unknown: fail below 1.25, not-applicable from 1.25; give --kubernetes-version"
	r.evidence.versions == {"lowest": 0, "highest": 36}
}

test_unknown_version_enabled_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodSecurityPolicy"]}, null)
	r.status == "warn"
	r.reason == "the PodSecurityPolicy admission plugin is enabled by --enable-admission-plugins and the version is unknown: pass below 1.25, not-applicable from 1.25; give --kubernetes-version"
}

test_unknown_version_range_with_one_verdict_gets_it if {
	r := check.result with input as _ranged({}, {"below": 25})
	r.status == "fail"
	r.reason == "the PodSecurityPolicy admission plugin runs on no version the target may run (1.0-1.24; not named by --enable-admission-plugins or --disable-admission-plugins): no pod security policy is enforced"
	r2 := check.result with input as _ranged({"enable-admission-plugins": ["PodSecurityPolicy"]}, {"below": 25})
	r2.status == "pass"
	r3 := check.result with input as _ranged({}, {"from": 29})
	r3.status == "not-applicable"
	r3.reason == "the PodSecurityPolicy admission plugin does not exist on any version the target may run (1.29-1.36)"
}
