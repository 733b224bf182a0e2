# METADATA
# title: Write access to the CoreDNS and aws-auth ConfigMaps is minimised
# description: >-
#   update or patch on ConfigMaps in kube-system, unless the rule's resourceNames leave
#   out both, reaches the coredns ConfigMap (its Corefile answers every name lookup in
#   the cluster: rewrite or forward a Service name and its traffic goes to the subject)
#   and, on EKS, the aws-auth ConfigMap (it maps IAM roles and users to Kubernetes users
#   and groups, system:masters included: writing it is cluster-admin). Grants apply
#   through ClusterRoleBindings and RoleBindings in kube-system. Not a CIS 5.1 control:
#   a risk class peer tools flag (kubescape C-0037, CoreDNS poisoning, which matches
#   ConfigMap writes in any namespace; rbac-police eks_modify_aws_auth, judged on EKS
#   only: an RBAC export does not say whether the cluster is EKS, so it is judged on
#   every cluster). EKS access entries and the IAM roles bound to ServiceAccounts
#   (rbac-police providerIAM) are outside RBAC and are not judged.
# custom:
#   id: KRB-0030
#   severity: high
#   frameworks:
#     rbac-risks: [configmaps-write]
#   remediation: >-
#     Remove update and patch on configmaps from roles that reach kube-system; where
#     an operator must write one ConfigMap there, name it in resourceNames. On EKS,
#     manage access with access entries instead of aws-auth.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.cluster_configmaps_write_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_where := data.kubecis.rbac.cluster_configmaps

_grants := rbac.grants_holding_where(
	data.kubecis.rbac.permissions["configmaps-write"],
	{"names": _where.names, "namespaces": [_where.namespace]},
)

result := rbac.access_result(_chain, _grants, "write access to the coredns and aws-auth ConfigMaps") if input.kind == "RbacSnapshot"
