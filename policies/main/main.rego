# METADATA
# title: kubecis entrypoints
# description: >-
#   report is the aggregate entrypoint: every check that applies to the input document's
#   kind, evaluated in one call. deny and warn expose the same verdicts to conftest and
#   OPA users (conftest's default namespace is main).
package main

import data.lib.versions

# Which check component judges which input document kind.
_components := {"ApiServerConfig": "apiserver", "RbacSnapshot": "rbac"}

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

# profile is the CIS benchmark that matches the target's Kubernetes minor (kube-bench's
# mapping); a requested profile in data.kubecis.options.profile takes precedence.
profile := {"name": data.kubecis.options.profile, "reason": "requested with --profile"}

profile := {"name": name, "reason": reason} if {
	not data.kubecis.options.profile
	versions.known
	some entry in data.kubecis.profiles.cis
	versions.minor >= entry.from
	versions.minor <= entry.to
	name := entry.profile
	reason := concat("", ["Kubernetes ", versions.target, " maps to ", name])
}

profile := {"name": data.kubecis.profiles.fallback, "reason": reason} if {
	not data.kubecis.options.profile
	not _mapped
	reason := concat("", [
		"Kubernetes ", versions.target, " has no CIS mapping; using the newest benchmark, ",
		data.kubecis.profiles.fallback,
	])
}

_mapped if {
	some entry in data.kubecis.profiles.cis
	versions.minor >= entry.from
	versions.minor <= entry.to
}

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
