# METADATA
# title: Access to create Pods is minimised
# description: >-
#   Whoever can create Pods in a namespace can run any image with any ServiceAccount of
#   that namespace, and so use its token and mount its Secrets. Grants to broad groups
#   fail; other non-platform grants are listed for review.
# custom:
#   id: KRB-0008
#   severity: high
#   frameworks:
#     cis-1.5: ["5.1.4"]
#     cis-1.6: ["5.1.4"]
#     cis-1.20: ["5.1.4"]
#     cis-1.23: ["5.1.4"]
#     cis-1.24: ["5.1.4"]
#     cis-1.7: ["5.1.4"]
#     cis-1.8: ["5.1.4"]
#     cis-1.9: ["5.1.4"]
#     cis-1.10: ["5.1.4"]
#     cis-1.11: ["5.1.4"]
#     cis-1.12: ["5.1.4"]
#   remediation: >-
#     Remove create on pods from roles that do not need it and let controllers
#     (Deployments, Jobs) create Pods; never bind it to broad groups.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pod_create_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pods-create"]

result := rbac.access_result_holding(_chain, _perms, "create access to Pods") if input.kind == "RbacSnapshot"
