# METADATA
# title: Access to move kube-system Pods onto other Nodes is minimised
# description: >-
#   A subject that can both remove Pods in kube-system (delete or evict them, rewrite
#   them or their status, or delete, update or patch their Node: a NoExecute taint
#   evicts them) and make Nodes unschedulable (update or patch nodes or nodes/status;
#   update or patch on nodes alone holds both halves) can cordon every Node but one it
#   controls and make the platform's Pods, with their powerful ServiceAccount tokens,
#   restart there. A subject holds a half directly or through a broad group it belongs
#   to (system:authenticated, system:serviceaccounts[:namespace]); the findings are its
#   own grants of both halves. Not a CIS 5.1 control: a risk class peer tools flag
#   (rbac-police steal_pods). rbac-police also combines a Node's permissions with those
#   of the ServiceAccounts whose Pods run on it; an RBAC export does not say which Pods
#   run where, so that combination is not judged.
# custom:
#   id: KRB-0029
#   severity: high
#   frameworks:
#     rbac-risks: [pods-rescheduling]
#   remediation: >-
#     Keep Pod removal in kube-system and Node updates with the control plane's own
#     components; give people and workloads neither, or at most one of the two, and
#     never cluster-wide.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pod_rescheduling_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_remove := rbac.grants_holding_where(
	data.kubecis.rbac.permissions["pods-remove"],
	{"namespaces": data.kubecis.rbac.privileged_namespaces},
)

_cordon := rbac.grants_holding(data.kubecis.rbac.permissions["nodes-cordon"])

_remove_holders := {g.subject | some g in _remove}

_cordon_holders := {g.subject | some g in _cordon}

# The broad groups among the holders (a handful): membership is tested against these only.
_remove_groups := {s | some s in _remove_holders; rbac.broad(s)}

_cordon_groups := {s | some s in _cordon_holders; rbac.broad(s)}

# Subjects that hold both halves, each directly or through a broad group they belong to.
_both := {s |
	some s in (_remove_holders | _cordon_holders)
	_holds(s, _remove_holders, _remove_groups)
	_holds(s, _cordon_holders, _cordon_groups)
}

_holds(s, holders, _) if holders[s]

_holds(s, _, groups) if {
	some group in groups
	_member(s, group)
}

# _member(s, group): subject key s belongs to the broad group.
_member(s, "Group:system:authenticated") if not s in {"User:system:anonymous", "Group:system:unauthenticated"}

_member("User:system:anonymous", "Group:system:unauthenticated") := true

_member(s, "Group:system:serviceaccounts") if startswith(s, "ServiceAccount:")

_member(s, "Group:system:serviceaccounts") if startswith(s, "Group:system:serviceaccounts:")

_member(s, group) if {
	startswith(group, "Group:system:serviceaccounts:")
	startswith(s, concat("", ["ServiceAccount:", substring(group, 29, -1), "/"]))
}

_grants := {g |
	some g in array.concat(_remove, _cordon)
	_both[g.subject]
}

result := rbac.access_result(_chain, _grants, "the power to move kube-system Pods onto a Node of its choice") if input.kind == "RbacSnapshot"
