# METADATA
# title: Access to create and change workload controllers is minimised
# description: >-
#   create, update or patch on Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs,
#   CronJobs or ReplicationControllers makes the controller create Pods from a template
#   the subject writes: with any ServiceAccount of the namespace, any image and (where
#   admission allows) a privileged security context, on every Node for a DaemonSet.
#   Creating Pods directly is KRB-0008 (CIS 5.1.4). Not a CIS 5.1 control: a risk class
#   peer tools flag (rbac-police assign_sa in kube-system, obtain_token_weak_ns in other
#   namespaces). Grants to broad groups fail; other non-platform grants are listed for
#   review.
# custom:
#   id: KRB-0025
#   severity: high
#   frameworks:
#     rbac-risks: [workloads-write]
#   remediation: >-
#     Grant workload writes per namespace to the deployment pipeline's own
#     ServiceAccount, never cluster-wide and never in kube-system; keep people on read
#     access and enforce Pod Security admission in every namespace.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.workload_write_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["workloads-write"]

result := rbac.access_result_holding(_chain, _perms, "write access to workload controllers") if input.kind == "RbacSnapshot"
