# METADATA
# title: The EventRateLimit admission plugin is enabled
# description: >-
#   EventRateLimit caps the rate at which the API server accepts Event objects, so a flood of
#   events cannot starve the API server or etcd. It is off by default and needs a
#   configuration file named in --admission-control-config-file. CIS marks the control manual;
#   kubecis judges the effective plugin set.
# custom:
#   id: KAS-0013
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.10"]
#     cis-1.6: ["1.2.10"]
#     cis-1.20: ["1.2.9"]
#     cis-1.23: ["1.2.10"]
#     cis-1.24: ["1.2.9"]
#     cis-1.7: ["1.2.9"]
#     cis-1.8: ["1.2.9"]
#     cis-1.9: ["1.2.9"]
#     cis-1.10: ["1.2.9"]
#     cis-1.11: ["1.2.9"]
#     cis-1.12: ["1.2.9"]
#     seed-2020: ["S35"]
#   remediation: >-
#     Add EventRateLimit to --enable-admission-plugins and point --admission-control-config-file
#     at an AdmissionConfiguration with an EventRateLimit configuration; review its limits for
#     the cluster's size.
#   flags: [enable-admission-plugins, admission-control-config-file]
#   parameters: [required-admission-plugins]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.event_rate_limit_enabled

import data.kubecis.lib.admission
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_evidence := admission.required_evidence("EventRateLimit")

# Not enabled: the family's judgement (fail, or warn when the parameter exempts it).
result := admission.required(_chain, "EventRateLimit", "event floods are not rate limited") if not _evidence.enabled

# Beyond the plugin set, its content: when the AdmissionConfiguration and the EventRateLimit
# configuration are given (inline or through the plugin's path), limits for at least the
# Server and Namespace types pass; an enabled plugin whose configuration kubecis was not
# given is a warn (its limits were not checked), never a pass.
result := verdict.new(_chain, "pass", "", _evidence_with_limits) if {
	_evidence.enabled
	_configuration
	count(_missing_types) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"EventRateLimit is enabled but its configuration sets no limit for ",
		concat(", ", sort(_missing_types)), ": those event sources are not rate limited",
	]),
	_evidence_with_limits,
) if {
	_evidence.enabled
	_configuration
	count(_missing_types) > 0
}

result := verdict.new(
	_chain,
	"fail",
	"EventRateLimit is enabled but the AdmissionConfiguration has no EventRateLimit entry: kube-apiserver needs its configuration",
	_evidence,
) if {
	_evidence.enabled
	_admission.status == "read"
	not _entry
}

result := verdict.new(
	_chain,
	"warn",
	concat("", [
		"EventRateLimit is enabled; its configuration was not given to kubecis (",
		_not_given, "), so its limits were not checked",
	]),
	_evidence,
) if {
	_evidence.enabled
	not _configuration
	_not_given
}

# The EventRateLimit entry of the AdmissionConfiguration, and its configuration (inline, or
# embedded from the file its path names when that file was given).
_admission := input.files["admission-control-config-file"]

_entry := entry if {
	_admission.status == "read"
	some entry in _admission.content.plugins
	entry.name == "EventRateLimit"
}

_configuration := _entry.configuration if is_object(_entry.configuration)

_limit_types := {limit.type | some limit in object.get(_configuration, "limits", [])}

_missing_types := {"Server", "Namespace"} - _limit_types

_evidence_with_limits := object.union(_evidence, {"limitTypes": sort(_limit_types)})

_not_given := "--admission-control-config-file is not set" if not input.flags["admission-control-config-file"]

_not_given := "the AdmissionConfiguration was not given" if {
	input.flags["admission-control-config-file"]
	not _admission
}

_not_given := concat("", ["the AdmissionConfiguration is ", _admission.status]) if {
	_admission.status != "read"
}

_not_given := concat("", ["the file its path names (", _entry.path, ") was not given"]) if {
	_entry
	not _configuration
}
