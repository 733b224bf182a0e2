# METADATA
# title: Access to Secrets is minimised
# description: >-
#   Reading Secrets (get, list or watch, directly or through a wildcard) exposes every
#   credential stored in them, including ServiceAccount tokens that lead to further
#   privileges. Grants to broad groups fail; other non-platform grants are listed for
#   review.
# custom:
#   id: KRB-0006
#   severity: high
#   frameworks:
#     cis-1.5: ["5.1.2"]
#     cis-1.6: ["5.1.2"]
#     cis-1.20: ["5.1.2"]
#     cis-1.23: ["5.1.2"]
#     cis-1.24: ["5.1.2"]
#     cis-1.7: ["5.1.2"]
#     cis-1.8: ["5.1.2"]
#     cis-1.9: ["5.1.2"]
#     cis-1.10: ["5.1.2"]
#     cis-1.11: ["5.1.2"]
#     cis-1.12: ["5.1.2"]
#   remediation: >-
#     Remove get, list and watch on secrets from roles that do not need them, or narrow
#     them with resourceNames; never bind such roles to system:authenticated,
#     system:unauthenticated or system:serviceaccounts groups.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.secrets_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["secrets-read"]

result := rbac.access_result_holding(_chain, _perms, "read access to Secrets") if input.kind == "RbacSnapshot"
