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
package kubecis.checks.apiserver.always_admit_not_enabled

import data.kubecis.lib.admission
import data.kubecis.lib.result

# _chain is this check's METADATA (id, frameworks) for lib.result.new. A complete rule is
# evaluated once per input; rego.metadata.chain() written in each result clause builds the
# whole annotation literal before that clause's body runs, once per clause.
_chain := rego.metadata.chain()

_evidence := admission.evidence("AlwaysAdmit")

result := result.new(_chain, "pass", "", _evidence) if {
	not _evidence.enabled
}

result := result.new(
	_chain,
	"fail",
	concat("", ["the AlwaysAdmit admission plugin is ", _evidence.source, ": every request is admitted"]),
	_evidence,
) if {
	_evidence.enabled
}
