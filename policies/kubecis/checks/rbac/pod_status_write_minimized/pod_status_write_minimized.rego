# METADATA
# title: Write access to Pod status is minimised
# description: >-
#   update or patch on pods/status lets a subject rewrite a Pod's status and labels, so
#   that a Service's selector matches a Pod it controls and the Service's traffic in
#   that namespace reaches it, or so that a controller replaces the Pod. Not a CIS 5.1
#   control: a risk class peer tools flag (rbac-police modify_pod_status). Grants to
#   broad groups fail; other non-platform grants are listed for review.
# custom:
#   id: KRB-0027
#   severity: low
#   frameworks:
#     rbac-risks: [pods-status-write]
#   remediation: >-
#     Remove update and patch on pods/status from roles bound to people and workloads;
#     only the kubelet and controllers need them.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pod_status_write_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pods-status-write"]

result := rbac.access_result_holding(_chain, _perms, "write access to Pod status") if input.kind == "RbacSnapshot"
