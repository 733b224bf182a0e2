# METADATA
# title: Access to approve CertificateSigningRequests is minimised
# description: >-
#   Updating the approval subresource of CertificateSigningRequests lets a subject
#   approve its own client certificate, for any user or group including system:masters.
#   Only ClusterRoleBindings grant it.
# custom:
#   id: KRB-0014
#   severity: high
#   frameworks:
#     cis-1.8: ["5.1.11"]
#     cis-1.9: ["5.1.11"]
#     cis-1.10: ["5.1.11"]
#     cis-1.11: ["5.1.11"]
#     cis-1.12: ["5.1.11"]
#   remediation: >-
#     Remove update and patch on certificatesigningrequests/approval from ClusterRoles
#     bound to users and workloads.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.csr_approval_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["csr-approval"]

result := rbac.access_result_holding(_chain, _perms, "update access to certificatesigningrequests/approval") if input.kind == "RbacSnapshot"
