# METADATA
# title: Access to update and patch Pods is minimised
# description: >-
#   update or patch on Pods changes a running Pod's container image (a mutable field),
#   so the subject runs its own code in that Pod, with the Pod's ServiceAccount token,
#   mounts and network. Not a CIS 5.1 control: a risk class peer tools flag (rbac-police
#   modify_pods in kube-system, rce_weak_ns in other namespaces, whose pods/exec half is
#   KRB-0019). Grants to broad groups fail; other non-platform grants are listed for
#   review.
# custom:
#   id: KRB-0024
#   severity: high
#   frameworks:
#     rbac-risks: [pods-modify]
#   remediation: >-
#     Remove update and patch on pods from roles bound to people and workloads; change
#     Pods through their controllers (Deployments and the like), whose Pod templates
#     are reviewed.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pod_modify_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pods-modify"]

result := rbac.access_result_holding(_chain, _perms, "update or patch access to Pods") if input.kind == "RbacSnapshot"
