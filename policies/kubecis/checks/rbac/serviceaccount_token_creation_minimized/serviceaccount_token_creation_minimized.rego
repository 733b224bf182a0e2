# METADATA
# title: Access to create ServiceAccount tokens is minimised
# description: >-
#   create on serviceaccounts/token issues tokens for any ServiceAccount in scope, and
#   so grants everything those ServiceAccounts can do. Grants to broad groups fail;
#   other non-platform grants are listed for review.
# custom:
#   id: KRB-0016
#   severity: high
#   frameworks:
#     cis-1.8: ["5.1.13"]
#     cis-1.9: ["5.1.13"]
#     cis-1.10: ["5.1.13"]
#     cis-1.11: ["5.1.13"]
#     cis-1.12: ["5.1.13"]
#   remediation: >-
#     Remove create on serviceaccounts/token from roles that do not issue tokens.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.serviceaccount_token_creation_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["serviceaccount-token"]

result := rbac.access_result_holding(_chain, _perms, "create access to serviceaccounts/token") if input.kind == "RbacSnapshot"
