package kubecis.checks.apiserver.configuration_starts_on_version_test

import data.kubecis.checks.apiserver.configuration_starts_on_version as check
import data.kubecis.lib.testing

_with_diagnostics(doc, ds) := object.union(doc, {"diagnostics": ds})

test_nothing_refused_passes if {
	r := check.result with input as testing.apiserver_at({"profiling": false}, 30)
	r.status == "pass"
}

test_a_removed_flag_no_control_reads_fails_under_any_profile if {
	r := check.result with input as testing.apiserver_at({"logtostderr": true}, 30)
	r.status == "fail"
	r.reason == "kube-apiserver 1.30 does not start with --logtostderr (removed in 1.26): the version or the configuration is wrong"
	not r.outside
	r2 := check.result with input as testing.apiserver_at({"logtostderr": true}, 30)
		with data.kubecis.options.profile as "seed-2020"
	r2.status == "fail"
	not r2.outside
}

test_a_plugin_the_version_lacks_fails if {
	r := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["DenyEscalatingExec"]}, 21)
	r.reason == "kube-apiserver 1.21 does not start with DenyEscalatingExec named by --enable-admission-plugins (removed in 1.21): the version or the configuration is wrong"
	a := check.result with input as testing.apiserver_at({"enable-admission-plugins": ["DenyServiceExternalIPs"]}, 20)
	a.status == "fail"
	contains(a.reason, "(added in 1.21)")
	d := check.result with input as testing.apiserver_at({"authentication-config": "/etc/a.yaml"}, 28)
	contains(d.reason, "--authentication-config (added in 1.29)")
}

test_crossed_bounds_fail if {
	doc := json.patch(testing.apiserver_at({"insecure-port": 0, "encryption-provider-config-automatic-reload": true}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"from": 26, "below": 24, "reasons": ["below 1.24 (--insecure-port is set; removed in 1.24)", "1.26 or later (--encryption-provider-config-automatic-reload is set; added in 1.26)"]}}])
	r := check.result with input as doc
	r.status == "fail"
	startswith(r.reason, "no Kubernetes version accepts these flags together: below 1.24")
	contains(r.reason, "kube-apiserver 1.24-1.26 does not start with --insecure-port (removed in 1.24)")
}

test_a_gated_refusal_on_a_known_version_fails if {
	r := check.result with input as testing.apiserver_at({"authorization-config": "/etc/a.yaml"}, 29)
	r.status == "fail"
	r.evidence.contradictions == ["kube-apiserver 1.29 does not start with --authorization-config unless --feature-gates=StructuredAuthorizationConfiguration=true (off by default there): the version or the configuration is wrong"]
}

test_unknown_flags_and_partial_refusals_warn if {
	r := check.result with input as testing.apiserver_at({"profilng": false}, 30)
	r.status == "warn"
	contains(r.reason, "kubecis does not know --profilng: check the spelling")
	not r.outside
	w := check.result with input as testing.apiserver_at({"authorization-config": "/etc/a.yaml"}, null)
	w.status == "warn"
	contains(w.reason, "kube-apiserver 1.29 does not start with --authorization-config")
}

test_hidden_flags_are_no_pass if {
	r := check.result with input as _with_diagnostics(testing.apiserver_at({}, 30), [{"code": "incomplete-flags", "message": "cut short", "origin": {"file": "ps.txt", "line": 2}}])
	r.status == "error"
}
