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
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_evidence := admission.evidence("AlwaysAdmit")

result := verdict.new(_chain, "pass", "", _evidence) if {
	not _evidence.enabled
}

result := verdict.new(
	_chain,
	"fail",
	concat("", ["the AlwaysAdmit admission plugin is ", _evidence.source, ": every request is admitted"]),
	_evidence,
) if {
	_evidence.enabled
}
