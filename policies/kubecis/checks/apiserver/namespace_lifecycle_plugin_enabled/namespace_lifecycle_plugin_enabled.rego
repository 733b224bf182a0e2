# METADATA
# title: The NamespaceLifecycle admission plugin is not disabled
# description: >-
#   NamespaceLifecycle refuses objects in namespaces that do not exist or are being deleted,
#   and protects the system namespaces from deletion. It is on by default.
# custom:
#   id: KAS-0017
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.15"]
#     cis-1.6: ["1.2.15"]
#     cis-1.20: ["1.2.14"]
#     cis-1.23: ["1.2.15"]
#     cis-1.24: ["1.2.14"]
#     cis-1.7: ["1.2.14"]
#     cis-1.8: ["1.2.14"]
#     cis-1.9: ["1.2.13"]
#     cis-1.10: ["1.2.13"]
#     cis-1.11: ["1.2.13"]
#     cis-1.12: ["1.2.13"]
#     seed-2020: ["S13"]
#   remediation: >-
#     Remove NamespaceLifecycle from --disable-admission-plugins (and make sure a legacy
#     --admission-control list includes it).
#   flags: [disable-admission-plugins, admission-control]
#   parameters: [required-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.namespace_lifecycle_plugin_enabled

import data.kubecis.lib.admission

_chain := rego.metadata.chain()

result := admission.required(_chain, "NamespaceLifecycle", "objects can be created in terminating or missing namespaces")
