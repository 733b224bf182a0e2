# METADATA
# title: Access to the proxy subresource of Nodes is minimised
# description: >-
#   nodes/proxy gives direct access to the kubelet API, which bypasses admission control
#   and audit logging and allows running commands in any container on the node. Only
#   ClusterRoleBindings grant it.
# custom:
#   id: KRB-0013
#   severity: high
#   frameworks:
#     cis-1.8: ["5.1.10"]
#     cis-1.9: ["5.1.10"]
#     cis-1.10: ["5.1.10"]
#     cis-1.11: ["5.1.10"]
#     cis-1.12: ["5.1.10"]
#   remediation: >-
#     Remove get and create on nodes/proxy (and wildcards that include it) from
#     ClusterRoles bound to users and workloads.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.node_proxy_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["nodes-proxy"]

result := rbac.access_result_holding(_chain, _perms, "access to nodes/proxy") if input.kind == "RbacSnapshot"
