# METADATA
# title: Access to the proxy and port-forward subresources of Pods and Services is minimised
# description: >-
#   pods/proxy, services/proxy and pods/portforward open a network path through the API
#   server to any port of a Pod or Service the subject reaches, past NetworkPolicies and
#   without the workload's own authentication in front. Not a CIS 5.1 control: a risk class
#   peer tools flag (kubescape C-0063 (portforwarding privileges); rbac-police nodes_proxy
#   (the node path is KRB-0013); krane and KubiScan have no equivalent). Grants to broad
#   groups fail; other non-platform grants are listed for review.
# custom:
#   id: KRB-0022
#   severity: medium
#   frameworks:
#     rbac-risks: [pods-proxy]
#   remediation: >-
#     Remove pods/proxy, services/proxy and pods/portforward from roles that do not need
#     them; expose services through an Ingress or a Service with its own authentication
#     instead.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.pod_proxy_portforward_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["pods-proxy"]

result := rbac.access_result_holding(_chain, _perms, "proxy or port-forward access to Pods or Services") if input.kind == "RbacSnapshot"
