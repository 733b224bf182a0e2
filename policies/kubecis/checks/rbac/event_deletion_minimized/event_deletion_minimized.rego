# METADATA
# title: Access to delete Events is minimised
# description: >-
#   delete or deletecollection on Events (served by both the core API group and
#   events.k8s.io) lets a subject erase the record of what it did: failed scheduling,
#   image pulls, evictions, probes. Not a CIS 5.1 control: a risk class peer tools flag
#   (kubescape C-0031; it matches the core group only). Grants to broad groups fail;
#   other non-platform grants are listed for review.
# custom:
#   id: KRB-0032
#   severity: medium
#   frameworks:
#     rbac-risks: [events-delete]
#   remediation: >-
#     Remove delete and deletecollection on events from every role; Events expire by
#     themselves (kube-apiserver --event-ttl).
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.event_deletion_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["events-delete"]

result := rbac.access_result_holding(_chain, _perms, "delete access to Events") if input.kind == "RbacSnapshot"
