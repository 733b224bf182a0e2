# METADATA
# title: ServiceAccount tokens are mounted only where needed
# description: >-
#   A Pod that mounts its ServiceAccount's token hands API credentials to every process in
#   it. The token is mounted unless the Pod sets automountServiceAccountToken false, or
#   leaves it unset and its ServiceAccount sets it false (the Pod's setting wins; unset on
#   both means mounted). A token mounted because neither the Pod nor its ServiceAccount
#   says otherwise fails; one that the Pod or its ServiceAccount asks for is listed for
#   review (whether a Pod needs the API is for its owner to say). Judged only when Pods were
#   collected with the RBAC objects.
# custom:
#   id: KRB-0018
#   severity: medium
#   frameworks:
#     cis-1.5: ["5.1.6"]
#     cis-1.6: ["5.1.6"]
#     cis-1.20: ["5.1.6"]
#     cis-1.23: ["5.1.6"]
#     cis-1.24: ["5.1.6"]
#     cis-1.7: ["5.1.6"]
#     cis-1.8: ["5.1.6"]
#     cis-1.9: ["5.1.6"]
#     cis-1.10: ["5.1.6"]
#     cis-1.11: ["5.1.6"]
#     cis-1.12: ["5.1.6"]
#   remediation: >-
#     Set automountServiceAccountToken false on every ServiceAccount whose Pods do not call
#     the API, and on Pods that do not; where a Pod needs a token, set it true on that Pod
#     (or its template) only.
#   parameters: [rbac-max-findings]
package checks.rbac.service_account_tokens_mounted_where_needed

import data.lib.rbac
import data.lib.result

_findings contains finding if {
	some key, pod in input.pods
	namespace := split(key, "/")[0]
	account := concat("/", [namespace, pod.serviceAccount])
	decision := _mounts(pod, object.get(input.serviceAccounts, account, {}))
	decision.mounts
	finding := {"pod": key, "serviceAccount": account, "decidedBy": decision.by}
}

# Whether the token is mounted, and what decided it: the Pod's own setting, else its
# ServiceAccount's, else the default (mounted).
_mounts(pod, account) := {"mounts": pod.automountServiceAccountToken, "by": "pod"} if {
	is_boolean(pod.automountServiceAccountToken)
} else := {"mounts": account.automountServiceAccountToken, "by": "serviceAccount"} if {
	is_boolean(account.automountServiceAccountToken)
} else := {"mounts": true, "by": "default"}

_evidence := rbac.findings_evidence(_findings, {
	"pods": input.collected.Pod,
	"serviceAccountsCollected": input.collected.ServiceAccount > 0,
})

result := result.new(
	rego.metadata.chain(),
	"warn",
	"the input holds no Pods; export them too (kubectl get pods -A -o yaml)",
	{"collected": input.collected},
) if {
	input.kind == "RbacSnapshot"
	input.collected.Pod == 0
}

result := result.new(rego.metadata.chain(), "pass", "", _evidence) if {
	input.kind == "RbacSnapshot"
	input.collected.Pod > 0
	count(_findings) == 0
}

_by_default := {f | some f in _findings; f.decidedBy == "default"}

result := result.new(
	rego.metadata.chain(),
	"fail",
	concat("", [
		format_int(count(_by_default), 10), " of ", format_int(input.collected.Pod, 10),
		" Pod(s) mount a ServiceAccount token that neither they nor their ServiceAccount asked for (first: ",
		min(_by_default).pod, ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	input.collected.Pod > 0
	count(_by_default) > 0
}

result := result.new(
	rego.metadata.chain(),
	"warn",
	concat("", [
		format_int(count(_findings), 10), " of ", format_int(input.collected.Pod, 10),
		" Pod(s) mount a ServiceAccount token they or their ServiceAccount ask for; review that each needs the API (first: ",
		min(_findings).pod, ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	input.collected.Pod > 0
	count(_findings) > 0
	count(_by_default) == 0
}
