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
package checks.apiserver.event_rate_limit_enabled

import data.lib.admission
import data.lib.params
import data.lib.result

# _chain is this check's METADATA (id, frameworks) for lib.result.new. A complete rule is
# evaluated once per input; rego.metadata.chain() written in each result clause builds the
# whole annotation literal before that clause's body runs, once per clause.
_chain := rego.metadata.chain()

_evidence := object.union(admission.evidence("EventRateLimit"), {"required": _required})

_required := params.used("required-admission-plugins")

result := result.new(_chain, "pass", "", _evidence) if _evidence.enabled

result := result.new(
	_chain,
	"fail",
	concat("", ["the EventRateLimit admission plugin is ", _evidence.source, ": event floods are not rate limited"]),
	_evidence,
) if {
	not _evidence.enabled
	"EventRateLimit" in _required.value
}

# The organisation may take the plugin off the required-admission-plugins parameter.
result := result.new(
	_chain,
	"warn",
	concat("", [
		"the EventRateLimit admission plugin is ", _evidence.source,
		"; the required-admission-plugins parameter does not require it: review that exemption",
	]),
	_evidence,
) if {
	not _evidence.enabled
	not "EventRateLimit" in _required.value
}
