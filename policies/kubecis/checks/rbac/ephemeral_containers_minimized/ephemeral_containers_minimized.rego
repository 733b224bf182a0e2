# METADATA
# title: Access to add ephemeral containers to Pods is minimised
# description: >-
#   update or patch on pods/ephemeralcontainers adds a container of the subject's choosing
#   to a running Pod (kubectl debug), sharing its namespaces, volumes and ServiceAccount
#   token: the same reach as exec, outside exec's audit trail. Not a CIS 5.1 control: a
#   risk class peer tools flag (rbac-police pods_ephemeral_ctrs; kubescape C-0002 covers
#   exec only). Grants to broad groups fail; other non-platform grants are listed for
#   review.
# custom:
#   id: KRB-0023
#   severity: high
#   frameworks:
#     rbac-risks: [pods-ephemeral]
#   remediation: >-
#     Remove update and patch on pods/ephemeralcontainers from roles that do not debug
#     workloads; grant it per namespace to named people when needed.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.ephemeral_containers_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pods-ephemeral"]

result := rbac.access_result_holding(_chain, _perms, "access to add ephemeral containers to Pods") if input.kind == "RbacSnapshot"
