package kubecis.checks.apiserver.configuration_starts_on_version_test

import data.kubecis.checks.apiserver.configuration_starts_on_version as check
import data.kubecis.lib.testing

_with_diagnostics(doc, ds) := object.union(doc, {"diagnostics": ds})

_contradiction := {"code": "version-contradiction", "message": "kube-apiserver 1.30 does not start with --logtostderr (removed in 1.26); the version (test) or the flags are wrong", "flag": "logtostderr", "origin": {"file": "test.yaml"}}

test_nothing_refused_passes if {
	r := check.result with input as testing.apiserver_at({"profiling": false}, 30)
	r.status == "pass"
}

test_a_contradiction_fails_under_any_profile if {
	r := check.result with input as _with_diagnostics(testing.apiserver_at({"logtostderr": true}, 30), [_contradiction])
	r.status == "fail"
	r.reason == _contradiction.message
	not r.outside
	r2 := check.result with input as _with_diagnostics(testing.apiserver_at({"logtostderr": true}, 30), [_contradiction])
		with data.kubecis.options.profile as "seed-2020"
	r2.status == "fail"
	not r2.outside
}

test_a_gated_refusal_on_a_known_version_fails if {
	r := check.result with input as testing.apiserver_at({"authorization-config": "/etc/a.yaml"}, 29)
	r.status == "fail"
	r.evidence.contradictions == ["kube-apiserver 1.29 does not start with --authorization-config unless --feature-gates=StructuredAuthorizationConfiguration=true (off by default there): the version or the configuration is wrong"]
}

test_unknown_flags_and_partial_refusals_warn if {
	r := check.result with input as _with_diagnostics(testing.apiserver_at({}, 30), [{"code": "unknown-flag", "message": "x", "flag": "profilng", "origin": {"file": "test.yaml"}}])
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
