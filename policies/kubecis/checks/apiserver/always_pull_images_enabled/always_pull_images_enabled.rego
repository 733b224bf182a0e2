# METADATA
# title: The AlwaysPullImages admission plugin is enabled
# description: >-
#   Without AlwaysPullImages a pod on a multi-tenant node can run a private image that another
#   tenant pulled to that node, without credentials for it. The plugin forces every pod to
#   pull (and so authenticate for) its images. CIS marks it manual; kubecis judges the
#   effective plugin set.
# custom:
#   id: KAS-0015
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.12"]
#     cis-1.6: ["1.2.12"]
#     cis-1.20: ["1.2.11"]
#     cis-1.23: ["1.2.12"]
#     cis-1.24: ["1.2.11"]
#     cis-1.7: ["1.2.11"]
#     cis-1.8: ["1.2.11"]
#     cis-1.9: ["1.2.11"]
#     cis-1.10: ["1.2.11"]
#     cis-1.11: ["1.2.11"]
#     cis-1.12: ["1.2.11"]
#     seed-2020: ["S11"]
#   remediation: >-
#     Add AlwaysPullImages to --enable-admission-plugins (consider the registry load and the
#     availability impact first).
#   flags: [enable-admission-plugins]
#   parameters: [required-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.always_pull_images_enabled

import data.kubecis.lib.admission

_chain := rego.metadata.chain()

result := admission.required(_chain, "AlwaysPullImages", "pods can use images cached on the node without credentials")
