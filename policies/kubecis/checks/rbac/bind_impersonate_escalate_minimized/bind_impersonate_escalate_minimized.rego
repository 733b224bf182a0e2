# METADATA
# title: Bind, escalate and impersonate permissions are minimised
# description: >-
#   bind and escalate on Roles and ClusterRoles let a subject grant itself permissions
#   it does not hold; impersonate on users, groups, ServiceAccounts or uids lets it act
#   as any of them. Grants to broad groups fail; other non-platform grants are listed
#   for review.
# custom:
#   id: KRB-0011
#   severity: high
#   frameworks:
#     cis-1.20: ["5.1.8"]
#     cis-1.23: ["5.1.8"]
#     cis-1.24: ["5.1.8"]
#     cis-1.7: ["5.1.8"]
#     cis-1.8: ["5.1.8"]
#     cis-1.9: ["5.1.8"]
#     cis-1.10: ["5.1.8"]
#     cis-1.11: ["5.1.8"]
#     cis-1.12: ["5.1.8"]
#   remediation: >-
#     Remove bind, escalate and impersonate from roles that do not strictly need them;
#     restrict bind with resourceNames to the roles that may be delegated.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.bind_impersonate_escalate_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := array.concat(data.kubecis.rbac.permissions["rbac-escalation"], data.kubecis.rbac.permissions.impersonate)

result := rbac.access_result_holding(_chain, _perms, "bind, escalate or impersonate") if input.kind == "RbacSnapshot"
