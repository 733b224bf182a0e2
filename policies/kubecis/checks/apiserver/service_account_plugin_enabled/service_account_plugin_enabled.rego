# METADATA
# title: The ServiceAccount admission plugin is not disabled
# description: >-
#   The ServiceAccount admission plugin gives every pod a service account and its token mount
#   rules; it is on by default and only --disable-admission-plugins (or a legacy
#   --admission-control list without it) turns it off.
# custom:
#   id: KAS-0016
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.14"]
#     cis-1.6: ["1.2.14"]
#     cis-1.20: ["1.2.13"]
#     cis-1.23: ["1.2.14"]
#     cis-1.24: ["1.2.13"]
#     cis-1.7: ["1.2.13"]
#     cis-1.8: ["1.2.13"]
#     cis-1.9: ["1.2.12"]
#     cis-1.10: ["1.2.12"]
#     cis-1.11: ["1.2.12"]
#     cis-1.12: ["1.2.12"]
#     seed-2020: ["S26"]
#   remediation: >-
#     Remove ServiceAccount from --disable-admission-plugins (and make sure a legacy
#     --admission-control list includes it).
#   flags: [disable-admission-plugins, admission-control]
#   parameters: [required-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.service_account_plugin_enabled

import data.kubecis.lib.admission

_chain := rego.metadata.chain()

result := admission.required(_chain, "ServiceAccount", "pods are admitted without service-account handling")
