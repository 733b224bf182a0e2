# METADATA
# title: Access to delete workloads, Services and Secrets is minimised
# description: >-
#   delete or deletecollection on Pods, Services, Secrets, Deployments, ReplicaSets,
#   DaemonSets, StatefulSets, Jobs or CronJobs lets a subject take applications down and
#   destroy their credentials (deletecollection removes every object of a kind at once).
#   Not a CIS 5.1 control: a risk class peer tools flag (kubescape C-0007, data
#   destruction). kubescape matches any of these resources in any of the groups "", apps
#   and batch; here each resource is matched in its own API group, as the RBAC
#   authorizer does. Grants to broad groups fail; other non-platform grants are listed
#   for review.
# custom:
#   id: KRB-0031
#   severity: medium
#   frameworks:
#     rbac-risks: [workloads-delete]
#   remediation: >-
#     Keep delete and deletecollection for the deployment pipeline of each namespace;
#     give people read access and delete rights only where they operate, per
#     namespace.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.workload_deletion_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["workloads-delete"]

result := rbac.access_result_holding(_chain, _perms, "delete access to workloads, Services and Secrets") if input.kind == "RbacSnapshot"
