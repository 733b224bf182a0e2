# METADATA
# title: kubecis entrypoints
# description: >-
#   report is the aggregate entrypoint: every check that applies to the input document's
#   kind, evaluated in one call. deny and warn expose the same verdicts to conftest and
#   OPA users (conftest's default namespace is main).
package kubecis.main

import data.kubecis.lib.pod
import data.kubecis.lib.profiles
import data.kubecis.lib.result

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

results := [r | some name; r := data.kubecis.checks[_components[input.kind]][name].result] if not _earlier_rbac_shape

# An RbacSnapshot of the shape before bindings were listed under bindingsByRole (it has a
# `bindings` map, and bindingsByRole names bindings by key) would be misread by the RBAC
# checks, which would find nothing and pass: each of them reports error instead.
results := [r |
	some name
	r := {
		"id": data.kubecis.checks.rbac[name].result.id,
		"status": "error",
		"reason": "this RbacSnapshot has the earlier shape (a `bindings` map): write it again with this kubecis (normalizeInputs) and judge that",
		"evidence": {"documentShape": "earlier"},
	}
] if _earlier_rbac_shape

_earlier_rbac_shape if {
	input.kind == "RbacSnapshot"
	is_object(input.bindings)
}

# profile is the one the results were judged against (lib.profiles): the requested one,
# else the CIS benchmark that kube-bench maps the target's Kubernetes minor to.
profile := profiles.active

# conftest: a failing or unjudgeable control is a failure, a manual-review control a warning.
# Results outside the active profile (lib.result: "outside") are neither: profiles gate.
# The input is an ApiServerConfig (kubecis normalize), or a raw static Pod manifest that
# lib.pod turns into the same documents the TypeScript normalizer makes.
deny contains _message(r) if {
	some r in _conftest_results
	not result.outside(r)
	r.status in {"fail", "error"}
}

# A Pod of a shape kubelet refuses (lib.pod.malformed) is judged by nothing: a failure.
deny contains {"msg": concat("", ["input: ", m]), "id": "input", "status": "error"} if {
	input.kind in {"Pod", "List", "PodList"}
	some m in pod.malformed
}

warn contains _message(r) if {
	some r in _conftest_results
	not result.outside(r)
	r.status == "warn"
}

_conftest_results := results if input.kind == "ApiServerConfig"

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
