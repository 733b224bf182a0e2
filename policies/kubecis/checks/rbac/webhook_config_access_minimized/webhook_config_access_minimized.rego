# METADATA
# title: Access to webhook configuration objects is minimised
# description: >-
#   Whoever can write ValidatingWebhookConfigurations or MutatingWebhookConfigurations
#   can read or change every object sent to the API server, or disable admission
#   controls. Only ClusterRoleBindings grant it.
# custom:
#   id: KRB-0015
#   severity: high
#   frameworks:
#     cis-1.8: ["5.1.12"]
#     cis-1.9: ["5.1.12"]
#     cis-1.10: ["5.1.12"]
#     cis-1.11: ["5.1.12"]
#     cis-1.12: ["5.1.12"]
#   remediation: >-
#     Remove create, update, patch and delete on validatingwebhookconfigurations and
#     mutatingwebhookconfigurations from ClusterRoles bound to users and workloads.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.webhook_config_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["webhook-configs"]

result := rbac.access_result_holding(_chain, _perms, "write access to admission webhook configurations") if input.kind == "RbacSnapshot"
