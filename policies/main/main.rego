# METADATA
# title: kubecis entrypoints
# description: >-
#   report is the aggregate entrypoint: every check that applies to the input document's
#   kind, evaluated in one call. deny and warn expose the same verdicts to conftest and
#   OPA users (conftest's default namespace is main).
package main

import data.lib.profiles

# Which check component judges which input document kind.
_components := {"ApiServerConfig": "apiserver"}

# METADATA
# entrypoint: true
# description: Every applicable check's result, the profile in force and the target's version.
report := {
	"kind": input.kind,
	"profile": profile,
	"kubernetesVersion": object.get(input, "kubernetesVersion", {"version": null, "source": "unknown"}),
	"results": results,
}

results := [r | some name; r := data.checks[_components[input.kind]][name].result]

# profile is the one the results were judged against (lib.profiles): the requested one,
# else the CIS benchmark that kube-bench maps the target's Kubernetes minor to.
profile := profiles.active

# conftest: a failing or unjudgeable control is a failure, a manual-review control a warning.
deny contains _message(r) if {
	some r in results
	r.status in {"fail", "error"}
}

warn contains _message(r) if {
	some r in results
	r.status == "warn"
}

_message(r) := {"msg": concat("", [r.id, ": ", r.reason]), "id": r.id, "status": r.status}
