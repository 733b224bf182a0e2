# METADATA
# title: Access to exec into and attach to Pods is minimised
# description: >-
#   create (or get, over a WebSocket) on pods/exec or pods/attach runs commands in any
#   container the subject reaches, with that container's ServiceAccount token, mounts and
#   network. Not a CIS 5.1 control: a risk class peer tools flag (rbac-police pods_exec;
#   kubescape C-0002 (exec into container); trivy-checks KSV-0053, KSV-0054; KubiScan and
#   krane risky-exec-pods, risky-attach-pods). Grants to broad groups fail; other
#   non-platform grants are listed for review.
# custom:
#   id: KRB-0019
#   severity: high
#   frameworks:
#     rbac-risks: [pods-exec]
#   remediation: >-
#     Remove create and get on pods/exec and pods/attach from roles that do not need an
#     interactive shell; grant it per namespace, to named people, for the time it is needed.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pod_exec_attach_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pods-exec"]

result := rbac.access_result_holding(_chain, _perms, "exec or attach access to Pods") if input.kind == "RbacSnapshot"
