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

# Which check component judges which input document kind; which kinds lib.pod reads.
_components := {"ApiServerConfig": "apiserver", "RbacSnapshot": "rbac"}

_pod_kinds := {"Pod", "List", "PodList"}

# _kind is the input's kind, or "" when it has none (lib.document.kind): every membership
# test and negation on it is true or false, never undefined.
_kind := document.kind

# METADATA
# entrypoint: true
# description: >-
#   Every applicable check's result, the profile in force and the target's version. An input
#   that cannot be judged, wholly or in part, has an `input` error result saying why: report
#   and deny judge the same things, and nothing judged is never an empty, clean list.
report := {
	"kind": _report_kind,
	"component": _component,
	"profile": profile,
	"kubernetesVersion": _version,
	"results": results,
}

_report_kind := _kind if _kind != ""

else := null

_component := c if {
	c := _components[_kind]
} else := "apiserver" if count(_pod_documents) > 0

else := null

# results: the input errors (_refusals, as deny has them), then every judged check result.
results := array.concat([_input_error(msg) | some msg in sort(_refusals)], _judged)

_input_error(msg) := {"id": "input", "status": "error", "reason": trim_prefix(msg, "kubecis: "), "evidence": {}}

# _judged: every check result of every document this input holds: the input itself when it is
# a whole kubecis document, or the ApiServerConfig documents lib.pod makes from a raw Pod.
_judged := [r | some name; r := data.kubecis.checks[_components[_kind]][name].result] if {
	_components[_kind]
	not document.problem
} else := [r |
	some doc in _pod_documents
	some r in _results_of(doc)
]

_pod_documents := pod.documents if _kind in _pod_kinds

else := []

_version := object.get(input, "kubernetesVersion", _unknown_version) if _components[_kind]

else := _pod_documents[0].kubernetesVersion if count(_pod_documents) == 1

else := {"version": null, "source": concat("", ["unknown: ", format_int(count(_pod_documents), 10), " kube-apiservers in this input, each with its own version (data.kubecis.lib.pod.documents)"])} if count(_pod_documents) > 1

else := _unknown_version

_unknown_version := {"version": null, "source": "unknown"}

_not_whole_reason := concat("", ["this ", _kind, " is not a whole kubecis document: ", document.problem, "; write it with `kubecis normalize`"])

# profile is the one the results were judged against (lib.profiles): the requested one,
# else the CIS benchmark that kube-bench maps the target's Kubernetes minor to. A raw Pod's
# is its kube-apiserver's (each document of several is judged under its own).
profile := p if {
	count(_pod_documents) == 1
	p := profiles.active with input as _pod_documents[0]
} else := profiles.active

# conftest: a failing or unjudgeable control is a failure, a manual-review control a warning.
# Results outside the active profile (lib.verdict: "outside") are neither: profiles gate.
# data.kubecis.options.skip waives fail and warn only: an error (input not judged) never is.
deny contains _message(r) if {
	some r in _judged
	not verdict.outside(r)
	r.status in {"fail", "error"}
	not _skipped(r)
}

# Fail closed under conftest and OPA (DESIGN decision 10): every input this bundle cannot
# judge, wholly or in part, is a failure, never a pass, and an input error in report.
deny contains _refusal(msg) if some msg in _refusals

# Nothing is judged without the bundle's data (conftest --data forgotten).
_refusals contains "kubecis: the bundle's data is not loaded, so nothing was judged (conftest: --data <bundle>/data.json; opa: load the whole bundle)" if {
	not _data_loaded
}

_refusals contains concat("", ["kubecis: ", _not_whole_reason]) if {
	_data_loaded
	document.problem
}

_refusals contains concat("", [
	"kubecis: RBAC objects (", _kind, ") are judged as one inventory: ",
	"write it with `kubecis normalize <exports> -o json` and give conftest that RbacSnapshot",
]) if {
	_data_loaded
	_rbac_objects
}

# A Pod of a shape kubelet refuses (lib.pod.malformed) is judged by nothing: a failure.
_refusals contains concat("", ["input: ", m]) if {
	_kind in _pod_kinds
	some m in pod.malformed
}

_refusals contains concat("", ["kubecis: no kube-apiserver in this ", document.described, ": this bundle judges kube-apiserver static Pods, ApiServerConfig and RbacSnapshot documents"]) if {
	_data_loaded
	not _rbac_objects
	not _components[_kind]
	count(_pod_documents) == 0
	count(_malformed) == 0
}

_malformed := pod.malformed if _kind in _pod_kinds

else := set()

_refusal(msg) := {"msg": msg, "id": "input", "status": "error"}

_data_loaded if {
	is_object(data.kubecis.flags)
	is_object(data.kubecis.params)
	is_object(data.kubecis.profiles)
	is_object(data.kubecis.documents.required)
}

_rbac_kinds := {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"}

_rbac_objects if _kind in _rbac_kinds

_rbac_objects if {
	_kind in {"List", "RoleList", "ClusterRoleList", "RoleBindingList", "ClusterRoleBindingList", "ServiceAccountList"}
	some item in input.items
	item.kind in _rbac_kinds
}

# Per-control waivers for conftest and OPA users: data.kubecis.options.skip lists control ids
# whose fail and warn findings are left out of deny and warn (conftest's own `exception` rules
# act on whole rules, and this bundle has one deny and one warn rule). An `error` is never
# waived (docs/waivers.md, as the CLI's --skip); report still judges every control.
_skipped(r) if {
	r.status != "error"
	r.id in data.kubecis.options.skip
}

warn contains _message(r) if {
	some r in _judged
	not verdict.outside(r)
	r.status == "warn"
	not _skipped(r)
}

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
