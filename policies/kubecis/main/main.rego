# METADATA
# title: kubecis entrypoints
# description: >-
#   report is the aggregate entrypoint: every check that applies to the input document's
#   kind, evaluated in one call. deny and warn expose the same verdicts to conftest and
#   OPA users (conftest's default namespace is main).
package kubecis.main

import data.kubecis.lib.document
import data.kubecis.lib.pod
import data.kubecis.lib.profiles
import data.kubecis.lib.verdict

# Which check component judges which input document kind.
_components := {"ApiServerConfig": "apiserver", "RbacSnapshot": "rbac"}

# METADATA
# entrypoint: true
# description: Every applicable check's result, the profile in force and the target's version.
report := {
	"kind": input.kind,
	"component": object.get(_components, input.kind, null),
	"profile": profile,
	"kubernetesVersion": object.get(input, "kubernetesVersion", {"version": null, "source": "unknown"}),
	"results": results,
}

results := [_not_whole] if {
	document.problem
} else := [r | some name; r := data.kubecis.checks[_components[input.kind]][name].result]

# A document given to OPA or conftest without a field kubecis writes is not judged: one error
# result says why (lib.document), where the checks would read a missing index as "none".
_not_whole := {"id": "input", "status": "error", "reason": _not_whole_reason, "evidence": {}}

_not_whole_reason := concat("", ["this ", input.kind, " is not a whole kubecis document: ", document.problem, "; write it with `kubecis normalize`"])

# profile is the one the results were judged against (lib.profiles): the requested one,
# else the CIS benchmark that kube-bench maps the target's Kubernetes minor to.
profile := profiles.active

# conftest: a failing or unjudgeable control is a failure, a manual-review control a warning.
# Results outside the active profile (lib.verdict: "outside") are neither: profiles gate.
# The input is an ApiServerConfig (kubecis normalize), or a raw static Pod manifest that
# lib.pod turns into the same documents the TypeScript normalizer makes.
deny contains _message(r) if {
	not document.problem
	some r in _conftest_results
	not verdict.outside(r)
	not _skipped(r)
	r.status in {"fail", "error"}
}

# Fail closed under conftest and OPA: nothing is judged without the bundle's data (conftest
# --data forgotten), and an input this bundle cannot judge is a failure, never a pass.
deny contains _refusal(concat("", ["kubecis: ", _not_whole_reason])) if {
	_data_loaded
	document.problem
}

deny contains _refusal("kubecis: the bundle's data is not loaded, so nothing was judged (conftest: --data <bundle>/data.json; opa: load the whole bundle)") if {
	not _data_loaded
}

deny contains _refusal(concat("", [
	"kubecis: RBAC objects (", input.kind, ") are judged as one inventory: ",
	"write it with `kubecis normalize <exports> -o json` and give conftest that RbacSnapshot",
])) if {
	_data_loaded
	_rbac_objects
}

deny contains _refusal(concat("", ["kubecis: no kube-apiserver in this ", _kind_text, ": this bundle judges kube-apiserver static Pods, ApiServerConfig and RbacSnapshot documents"])) if {
	_data_loaded
	not _rbac_objects
	not input.kind in {"ApiServerConfig", "RbacSnapshot"}
	count(pod.documents) == 0
	count(pod.malformed) == 0
}

_refusal(msg) := {"msg": msg, "id": "input", "status": "error"}

_data_loaded if {
	is_object(data.kubecis.flags)
	is_object(data.kubecis.params)
	is_object(data.kubecis.profiles)
}

_rbac_kinds := {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"}

_rbac_objects if input.kind in _rbac_kinds

_rbac_objects if {
	input.kind in {"List", "RoleList", "ClusterRoleList", "RoleBindingList", "ClusterRoleBindingList", "ServiceAccountList"}
	some item in input.items
	item.kind in _rbac_kinds
}

_kind_text := concat("", ["document of kind ", input.kind]) if is_string(input.kind)

_kind_text := "document without a kind" if not is_string(input.kind)

# Per-control waivers for conftest and OPA users: data.kubecis.options.skip lists control ids
# whose findings are left out of deny and warn (conftest's own `exception` rules act on whole
# rules, and this bundle has one deny and one warn rule). report still judges them.
_skipped(r) if r.id in data.kubecis.options.skip

# A Pod of a shape kubelet refuses (lib.pod.malformed) is judged by nothing: a failure.
deny contains {"msg": concat("", ["input: ", m]), "id": "input", "status": "error"} if {
	input.kind in {"Pod", "List", "PodList"}
	some m in pod.malformed
}

warn contains _message(r) if {
	some r in _conftest_results
	not verdict.outside(r)
	not _skipped(r)
	r.status == "warn"
}

_conftest_results := results if input.kind in {"ApiServerConfig", "RbacSnapshot"}

_conftest_results := [r |
	some doc in pod.documents
	some r in _results_of(doc)
] if input.kind in {"Pod", "List", "PodList"}

_results_of(doc) := [r |
	some name
	r := data.kubecis.checks[_components[doc.kind]][name].result with input as doc
]

_message(r) := object.union({"msg": concat("", [r.id, ": ", r.reason]), "id": r.id, "status": r.status}, _loc(r))

# _loc is where the offending flag was set (conftest lifts it to the result's `loc`).
_loc(r) := {"_loc": {"file": origin.file, "line": origin.line}} if {
	origin := r.evidence.flag.origin
	is_string(origin.file)
	is_number(origin.line)
} else := {}
