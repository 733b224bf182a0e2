# METADATA
# title: The AlwaysAdmit admission plugin is not enabled
# description: >-
#   AlwaysAdmit admits every request, so admission control that is meant to restrict requests
#   does nothing. It has been deprecated since Kubernetes 1.13.
# custom:
#   id: KAS-0014
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.11"]
#     cis-1.6: ["1.2.11"]
#     cis-1.20: ["1.2.10"]
#     cis-1.23: ["1.2.11"]
#     cis-1.24: ["1.2.10"]
#     cis-1.7: ["1.2.10"]
#     cis-1.8: ["1.2.10"]
#     cis-1.9: ["1.2.10"]
#     cis-1.10: ["1.2.10"]
#     cis-1.11: ["1.2.10"]
#     cis-1.12: ["1.2.10"]
#     seed-2020: ["S10"]
#   remediation: >-
#     Remove AlwaysAdmit from --enable-admission-plugins (and from the legacy
#     --admission-control).
#   flags: [enable-admission-plugins, admission-control]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.always_admit_not_enabled

import data.kubecis.lib.admission

_chain := rego.metadata.chain()

result := admission.forbidden(_chain, "AlwaysAdmit", "every request is admitted")
