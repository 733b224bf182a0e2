# METADATA
# title: Access to create PersistentVolumes is minimised
# description: >-
#   A subject that can create PersistentVolumes can create hostPath volumes and so reach
#   the node's file system. The resource is cluster-scoped, so only ClusterRoleBindings
#   grant it.
# custom:
#   id: KRB-0012
#   severity: medium
#   frameworks:
#     cis-1.8: ["5.1.9"]
#     cis-1.9: ["5.1.9"]
#     cis-1.10: ["5.1.9"]
#     cis-1.11: ["5.1.9"]
#     cis-1.12: ["5.1.9"]
#   remediation: >-
#     Remove create on persistentvolumes from ClusterRoles bound to users and workloads;
#     let the storage provisioner create volumes.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pv_create_access_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pv-create"]

result := rbac.access_result_holding(_chain, _perms, "create access to PersistentVolumes") if input.kind == "RbacSnapshot"
