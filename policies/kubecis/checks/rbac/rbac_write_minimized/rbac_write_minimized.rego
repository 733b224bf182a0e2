# METADATA
# title: Write access to RBAC objects is minimised
# description: >-
#   create, update or patch on Roles, RoleBindings, ClusterRoles or ClusterRoleBindings
#   manages who may do what: with bind or escalate a subject grants itself more, and
#   without them it still hands everything it holds to any other identity. Not a CIS 5.1 control: a risk class peer tools
#   flag (krane subjects-with-rbac-management, risky-create-rolebinding-role,
#   risky-create-clusterrolebinding, risky-add-rolebinding; trivy-checks KSV-0050,
#   KSV-0051, KSV-0052, KSV-0055; rbac-police bind_roles; rbac-tool Identify Privileges
#   Escalators - via bind or escalate). Grants to broad groups fail; other non-platform
#   grants are listed for review.
# custom:
#   id: KRB-0021
#   severity: high
#   frameworks:
#     rbac-risks: [rbac-write]
#   remediation: >-
#     Remove create, update and patch on roles, rolebindings, clusterroles and
#     clusterrolebindings from roles that do not administer access; keep RBAC changes in a
#     reviewed delivery pipeline.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.rbac_write_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["rbac-write"]

result := rbac.access_result_holding(_chain, _perms, "write access to Roles or bindings") if input.kind == "RbacSnapshot"
