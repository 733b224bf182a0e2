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

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "the SecurityContextDeny admission plugin is not named by --enable-admission-plugins or --disable-admission-plugins and the version is unknown: fail below 1.30, not-applicable from 1.30; give --kubernetes-version"
}

test_unknown_version_psp_counts_only_where_it_exists if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodSecurityPolicy"]}, null)
	r.status == "warn"
	r.reason == "the SecurityContextDeny admission plugin is not named by --enable-admission-plugins or --disable-admission-plugins and the version is unknown: pass below 1.25, fail 1.25-1.29, not-applicable from 1.30; give --kubernetes-version"
	r2 := check.result with input as _ranged({"enable-admission-plugins": ["SecurityContextDeny"]}, {"below": 27})
	r2.status == "pass"

	# 1.27-1.29 refuse the plugin without its feature gate (lib.features): warn with the split.
	r3 := check.result with input as _ranged({"enable-admission-plugins": ["SecurityContextDeny"]}, {"below": 30})
	r3.status == "warn"
	startswith(r3.reason, "kube-apiserver 1.27-1.29 does not start with the SecurityContextDeny admission plugin unless --feature-gates=SecurityContextDeny=true")
	r4 := check.result with input as _ranged({"enable-admission-plugins": ["SecurityContextDeny"], "feature-gates": {"SecurityContextDeny": true}}, {"below": 30})
	r4.status == "pass"
}
