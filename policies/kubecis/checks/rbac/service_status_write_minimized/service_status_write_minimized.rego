# METADATA
# title: Write access to Service status is minimised
# description: >-
#   update or patch on services/status lets a subject set
#   status.loadBalancer.ingress[].ip of a LoadBalancer Service, so that kube-proxy on
#   every Node sends traffic for that IP to the Service's Pods: the unfixed
#   CVE-2020-8554 man-in-the-middle, which admission controls that only refuse
#   externalIPs do not stop. Not a CIS 5.1 control: a risk class peer tools flag
#   (rbac-police modify_service_status_cve_2020_8554). Grants to broad groups fail;
#   other non-platform grants are listed for review.
# custom:
#   id: KRB-0028
#   severity: medium
#   frameworks:
#     rbac-risks: [services-status-write]
#   remediation: >-
#     Remove update and patch on services/status from every role except the cloud or
#     load-balancer controller that fills in load-balancer addresses.
#   parameters: [rbac-max-findings, gate-rbac-risks]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.service_status_write_minimized

import data.kubecis.lib.rbac

_chain := rego.metadata.chain()

_perms := data.kubecis.rbac.permissions["services-status-write"]

result := rbac.access_result_holding(_chain, _perms, "write access to Service status") if input.kind == "RbacSnapshot"
