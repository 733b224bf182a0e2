# METADATA
# title: ServiceAccount tokens are mounted only where needed
# description: >-
#   A Pod that mounts its ServiceAccount's token hands API credentials to every process in
#   it. The token is mounted unless the Pod sets automountServiceAccountToken false, or
#   leaves it unset and its ServiceAccount sets it false (the Pod's setting wins; unset on
#   both means mounted). An exported Pod also shows the outcome (a volume at the token
#   path), which differs from the settings when the Pod predates them. A token mounted
#   because neither the Pod nor its ServiceAccount says otherwise, or one that the settings
#   no longer ask for, fails; one that the Pod or its ServiceAccount asks for, or whose
#   ServiceAccount is not in the input, is listed for review (whether a Pod needs the API is
#   for its owner to say). Pods in the platform namespaces (kube-system, kube-public,
#   kube-node-lease) are counted, not judged. Judged only when Pods were collected with the
#   RBAC objects.
# custom:
#   id: KRB-0018
#   severity: medium
#   inventory: whole
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
#     (or its template) only. Recreate Pods that hold a token their settings no longer ask
#     for.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.service_account_tokens_mounted_where_needed

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# Every Pod that mounts a token: the Pod, its ServiceAccount and what decided it.
_mounting contains finding if {
	some key, pod in input.pods
	namespace := split(key, "/")[0]
	account := concat("/", [namespace, pod.serviceAccount])
	decision := _mounts(pod, account)
	decision.mounts
	finding := {"pod": key, "serviceAccount": account, "decidedBy": decision.by}
}

# Whether the token is mounted, and what decided it. The settings decide (_setting) unless
# the Pod shows otherwise (tokenMounted): then it predates them ("stale").
_mounts(pod, account) := decision if {
	decision := _setting(pod, account)
	not _shows_otherwise(pod, decision)
}

_mounts(pod, account) := {"mounts": pod.tokenMounted, "by": "stale"} if _shows_otherwise(pod, _setting(pod, account))

_shows_otherwise(pod, decision) if {
	is_boolean(pod.tokenMounted)
	pod.tokenMounted != decision.mounts
}

# The Pod's own setting, else its ServiceAccount's, else the default (mounted); "unknown"
# when the ServiceAccount is not in the input (it may say false).
_setting(pod, account) := {"mounts": pod.automountServiceAccountToken, "by": "pod"} if {
	is_boolean(pod.automountServiceAccountToken)
} else := {"mounts": input.serviceAccounts[account].automountServiceAccountToken, "by": "serviceAccount"} if {
	is_boolean(input.serviceAccounts[account].automountServiceAccountToken)
} else := {"mounts": true, "by": "default"} if {
	input.serviceAccounts[account]
} else := {"mounts": true, "by": "unknown"}

_platform_namespaces := {ns | some ns in data.kubecis.rbac.platform_namespaces}

_platform := {f | some f in _mounting; _platform_namespaces[split(f.pod, "/")[0]]}

_findings := _mounting - _platform

# Tokens nobody asked for: by default, or held although the settings now say no.
_by_default := {f | some f in _findings; f.decidedBy in {"default", "stale"}}

_unknown := {f | some f in _findings; f.decidedBy == "unknown"}

_pods := count(input.pods)

_evidence := rbac.findings_evidence(_findings, {
	"pods": _pods,
	"platformPodsMounting": count(_platform),
	"serviceAccountsCollected": _collected("ServiceAccount") > 0,
})

_collected(kind) := object.get(input.collected, kind, 0)

result := verdict.new(
	_chain,
	"warn",
	"the input holds no Pods; export them too (kubectl get pods -A -o json > pods.json)",
	{"collected": input.collected},
) if {
	input.kind == "RbacSnapshot"
	_collected("Pod") == 0
}

result := verdict.new(_chain, "pass", "", _evidence) if {
	input.kind == "RbacSnapshot"
	_collected("Pod") > 0
	count(_findings) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		format_int(count(_by_default), 10), " of ", format_int(_pods, 10),
		" Pod(s) hold a ServiceAccount token that neither they nor their ServiceAccount ask for (riskiest: ",
		rbac.riskiest(_by_default, {}).pod, ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	_collected("Pod") > 0
	count(_by_default) > 0
}

result := verdict.new(
	_chain,
	"warn",
	concat("", [
		format_int(count(_findings), 10), " of ", format_int(_pods, 10),
		" Pod(s) mount a ServiceAccount token", _why(count(_findings) - count(_unknown), count(_unknown)),
		"; review that each needs the API (riskiest: ", rbac.riskiest(_findings, {}).pod, ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	_collected("Pod") > 0
	count(_findings) > 0
	count(_by_default) == 0
}

_why(_, 0) := " they or their ServiceAccount ask for"

_why(0, unknown) := concat("", [" and ", format_int(unknown, 10), " of them run as a ServiceAccount the input lacks (export serviceaccounts too)"]) if unknown > 0

_why(asked, unknown) := concat("", [
	" (", format_int(asked, 10), " asked for; ", format_int(unknown, 10),
	" run as a ServiceAccount the input lacks: export serviceaccounts too)",
]) if {
	asked > 0
	unknown > 0
}
