# METADATA
# title: Write access to Node status is minimised
# description: >-
#   update or patch on nodes/status lets a subject rewrite a Node's status, and through
#   it the Node's labels and conditions, steering which Pods the scheduler places there
#   (nodeSelector, node affinity) or drawing Pods away from it. Kubelets write it
#   through the Node authorizer, not RBAC. Only ClusterRoleBindings grant it. Not a CIS
#   5.1 control: a risk class peer tools flag (rbac-police modify_node_status). Grants
#   to broad groups fail; other non-platform grants are listed for review.
# custom:
#   id: KRB-0026
#   severity: low
#   frameworks:
#     rbac-risks: [nodes-status-write]
#   remediation: >-
#     Remove update and patch on nodes/status from roles bound to people and
#     workloads; only the kubelet (Node authorizer) and the node lifecycle controller
#     need them.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.node_status_write_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["nodes-status-write"]

result := rbac.access_result_holding(_chain, _perms, "write access to Node status") if input.kind == "RbacSnapshot"
