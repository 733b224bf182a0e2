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
import data.kubecis.lib.params
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_evidence := object.union(admission.evidence("NamespaceLifecycle"), {"required": _required})

_required := params.used("required-admission-plugins")

result := verdict.new(_chain, "pass", "", _evidence) if {
	not admission.over_range
	_evidence.enabled
}

# Version unknown: on by default only from 1.10, so judged on every minor the target may run.
result := verdict.new(
	_chain,
	admission.range_status(_statuses),
	admission.range_reason("NamespaceLifecycle", _statuses, "objects can be created in terminating or missing namespaces"),
	admission.range_evidence(_evidence),
) if admission.over_range

_statuses := admission.required_statuses("NamespaceLifecycle", _bad)

_bad := "fail" if "NamespaceLifecycle" in _required.value

_bad := "warn" if not "NamespaceLifecycle" in _required.value

result := verdict.new(
	_chain,
	"fail",
	concat("", ["the NamespaceLifecycle admission plugin is ", _evidence.source, ": objects can be created in terminating or missing namespaces"]),
	_evidence,
) if {
	not admission.over_range
	not _evidence.enabled
	"NamespaceLifecycle" in _required.value
}

# The organisation may take the plugin off the required-admission-plugins parameter.
result := verdict.new(
	_chain,
	"warn",
	concat("", [
		"the NamespaceLifecycle admission plugin is ", _evidence.source,
		"; the required-admission-plugins parameter does not require it: review that exemption",
	]),
	_evidence,
) if {
	not admission.over_range
	not _evidence.enabled
	not "NamespaceLifecycle" in _required.value
}
