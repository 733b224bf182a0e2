package kubecis.main_test

import data.kubecis.lib.pod
import data.kubecis.lib.testing
import data.kubecis.main

test_report_has_every_apiserver_check if {
	r := main.report with input as testing.apiserver({})
	ids := {x.id | some x in r.results}
	count(ids) == count(r.results)
	ids == {id | some name; id := data.kubecis.checks.apiserver[name].result.id} with input as testing.apiserver({})
	count(ids) == 45
	r.profile.name == "cis-1.12"
	r.component == "apiserver"
	r.profile.reason == "Kubernetes 1.33 maps to cis-1.12"
}

test_profile_follows_version if {
	main.profile.name == "seed-2020" with input as testing.apiserver_at({}, 13)
	main.profile.name == "cis-1.20" with input as testing.apiserver_at({}, 19)
	main.profile.name == "cis-1.24" with input as testing.apiserver_at({}, 24)
	main.profile.name == "cis-1.11" with input as testing.apiserver_at({}, 30)
}

test_unmapped_version_falls_back_and_says_so if {
	p := main.profile with input as testing.apiserver_at({}, null)
	p.name == "cis-1.12"
	contains(p.reason, "the Kubernetes version is unknown")
	q := main.profile with input as testing.apiserver_at({}, 40)
	q.name == "cis-1.12"
	contains(q.reason, "1.40 has no CIS mapping")
}

test_requested_profile_wins if {
	p := main.profile with input as testing.apiserver({}) with data.kubecis.options.profile as "seed-2020"
	p == {"name": "seed-2020", "reason": "requested with --profile"}
}

# An input that cannot be judged is an input error in report, as in deny: never results: [].
test_unknown_kind_is_an_input_error if {
	r := main.report with input as {"kind": "ConfigMap"}
	r.results == [{"id": "input", "status": "error", "reason": "no kube-apiserver in this document of kind ConfigMap: this bundle judges kube-apiserver static Pods, ApiServerConfig and RbacSnapshot documents", "evidence": {}}]
	r.component == null
}

# Every shape of input, kind or not (open-policy-agent/opa#1877: `not input.kind in {...}` is
# undefined, not true, when kind is missing), gives one deny and one report error.
test_every_input_shape_is_denied if {
	shapes := [{}, {"apiVersion": "v1"}, {"kind": 5}, {"kind": null}, {"kind": ["Pod"]}, [], [{"kind": "ApiServerConfig"}], null, "x", 1, true, {"kind": "Widget"}]
	every shape in shapes {
		denied := main.deny with input as shape
		count(denied) == 1
		some d in denied
		d.id == "input"
		d.status == "error"
		r := main.report with input as shape
		[x.id | some x in r.results] == ["input"]
	}
}

test_skip_never_waives_an_error if {
	doc := object.union(testing.apiserver({}), {"flags": {"profiling": testing.invalid("off", "invalid boolean")}})
	some d in main.deny with input as doc with data.kubecis.options.skip as ["KAS-0005"]
	d.id == "KAS-0005"
	d.status == "error"
}

test_conftest_rules_follow_statuses if {
	denied := main.deny with input as testing.apiserver({"authorization-mode": ["Node", "RBAC"]})
	{"KAS-0001", "KAS-0005"} - {d.id | some d in denied} == set()
	not "KAS-0002" in {d.id | some d in denied}
	some d in denied
	d.msg == "KAS-0005: --profiling=true (default): /debug/pprof is served"
	warned := main.warn with input as testing.apiserver({"authorization-config": "/x.yaml", "anonymous-auth": false})
	{"KAS-0002", "KAS-0003", "KAS-0004"} - {w.id | some w in warned} == set()
}

test_conftest_messages_locate_the_offending_flag if {
	denied := main.deny with input as testing.apiserver({"profiling": true, "anonymous-auth": false, "authorization-mode": ["Node", "RBAC"]})
	some d in denied
	d.id == "KAS-0005"
	d._loc == {"file": "test.yaml", "line": 7}
	d.msg == "KAS-0005: --profiling=true: /debug/pprof is served"
}

test_conftest_messages_for_defaults_have_no_location if {
	denied := main.deny with input as testing.apiserver({"authorization-mode": ["Node", "RBAC"]})
	every d in denied {
		not d._loc
	}
}

test_conftest_rules_judge_a_raw_pod_manifest if {
	manifest := {"kind": "Pod", "spec": {"containers": [{
		"name": "kube-apiserver",
		"image": "registry.k8s.io/kube-apiserver:v1.33.0",
		"command": ["kube-apiserver", "--anonymous-auth=false", "--authorization-mode=Node,RBAC"],
	}]}}
	denied := main.deny with input as manifest
	"KAS-0005: --profiling=true (default): /debug/pprof is served" in {d.msg | some d in denied}
	not "KAS-0001" in {d.id | some d in denied}

	# the same verdicts as for the document the adapter makes
	document := pod.documents[0] with input as manifest
	results := main.results with input as document
	{d.id | some d in denied} == {r.id | some r in results; r.status in {"fail", "error"}}
	{w.id | some w in main.warn} == {r.id | some r in results; r.status == "warn"} with input as manifest
}

test_conftest_denies_a_malformed_pod if {
	denied := main.deny with input as {"kind": "Pod", "spec": {"containers": [null]}}
	denied == {{
		"msg": "input: spec.containers[0]: expected a container (a mapping); kubelet does not run this Pod, so it is not judged",
		"id": "input",
		"status": "error",
	}}
}

# Profiles gate; they never hide: under cis-1.12, --secure-port=0 (a control outside it) keeps
# its real status in the report and is neither a deny nor a warn.
test_outside_results_are_shown_but_never_deny_or_warn if {
	doc := testing.apiserver({"secure-port": 0})
	r := main.report with input as doc
	some shown in r.results
	shown.outside == "cis-1.12"
	shown.status == "fail"
	denied := main.deny with input as doc
	every d in denied {
		d.id != shown.id
	}
	inside := main.deny with input as doc with data.kubecis.options.profile as "seed-2020"
	some d in inside
	d.id == shown.id
}

# Fail closed under conftest and OPA (DESIGN decision 10).
test_conftest_denies_everything_when_the_bundle_data_is_missing if {
	denied := main.deny with input as testing.apiserver({}) with data.kubecis.flags as "missing"
	some d in denied
	startswith(d.msg, "kubecis: the bundle's data is not loaded")
}

test_conftest_denies_raw_rbac_objects if {
	role := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "x"}, "rules": []}
	denied := main.deny with input as {"apiVersion": "v1", "kind": "List", "items": [role]}
	some d in denied
	contains(d.msg, "are judged as one inventory")
	denied_one := main.deny with input as role
	count(denied_one) == 1
}

test_conftest_denies_a_document_without_an_api_server if {
	denied := main.deny with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
	{d.msg | some d in denied} == {"kubecis: no kube-apiserver in this document of kind ConfigMap: this bundle judges kube-apiserver static Pods, ApiServerConfig and RbacSnapshot documents"}
}

test_conftest_judges_an_rbac_snapshot if {
	roles := {"ClusterRole:wild": {"rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}}
	bindings := {"ClusterRoleBinding:wild": {"roleRef": "ClusterRole:wild", "subjects": ["Group:system:authenticated"]}}
	doc := testing.snapshot(roles, bindings, {})
	denied := main.deny with input as doc
	report := main.report with input as doc
	failing := {r.id | some r in report.results; r.status in {"fail", "error"}; not r.outside}
	count(failing) > 0
	{d.id | some d in denied} == failing
}

test_conftest_skips_the_controls_listed_in_options if {
	doc := testing.apiserver({"profiling": true})
	some d in main.deny with input as doc
	d.id == "KAS-0005"
	skipped := main.deny with input as doc with data.kubecis.options.skip as ["KAS-0005"]
	count(skipped) > 0
	every s in skipped {
		s.id != "KAS-0005"
	}
}

test_a_document_that_is_not_whole_is_refused_not_judged if {
	partial := object.remove(testing.apiserver({}), ["flags"])
	r := main.report with input as partial
	r.results == [{"id": "input", "status": "error", "reason": "this ApiServerConfig is not a whole kubecis document: it lacks flags; write it with `kubecis normalize`", "evidence": {}}]
	denied := main.deny with input as partial
	[d.msg | some d in denied] == ["kubecis: this ApiServerConfig is not a whole kubecis document: it lacks flags; write it with `kubecis normalize`"]
	other := object.union(testing.apiserver({}), {"apiVersion": "kubecis.dev/v2"})
	o := main.report with input as other
	contains(o.results[0].reason, `its apiVersion is "kubecis.dev/v2", not kubecis.dev/v1alpha1`)
}

test_the_kubecis_host_checks_documents_itself if {
	# The host judges parts of a large RbacSnapshot apart (src/engine/split.ts): no field is required then.
	partial := object.remove(testing.apiserver({}), ["diagnostics"])
	r := main.report with input as partial with data.kubecis.options.documents as "checked"
	count(r.results) > 10
	every x in r.results { x.id != "input" }
}
