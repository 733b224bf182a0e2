# METADATA
# title: Write access to Secrets is minimised
# description: >-
#   create, update or patch on Secrets lets a subject mint a ServiceAccount token Secret
#   for any ServiceAccount of the namespace (the token controller fills it in) or replace
#   credentials that workloads trust. Not a CIS 5.1 control: a risk class peer tools flag
#   (rbac-police issue_token_secrets; trivy-checks KSV-0041, KSV-0113 (manage secrets);
#   krane and KubiScan risky-any-verb-secrets). Grants to broad groups fail; other
#   non-platform grants are listed for review.
# custom:
#   id: KRB-0020
#   severity: high
#   frameworks:
#     rbac-risks: [secrets-write]
#   remediation: >-
#     Remove create, update and patch on secrets from roles that do not manage credentials;
#     let a controller (an external secrets operator) own them, bound in its own namespace.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.secrets_write_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["secrets-write"]

result := rbac.access_result_holding(_chain, _perms, "write access to Secrets") if input.kind == "RbacSnapshot"
