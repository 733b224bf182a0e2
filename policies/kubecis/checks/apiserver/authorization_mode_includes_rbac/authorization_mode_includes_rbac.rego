# METADATA
# title: The RBAC authorizer is enabled
# description: >-
#   RBAC is the authorizer that Roles, ClusterRoles and their bindings configure. Without it those objects have no effect. --authorization-mode must include RBAC.
# custom:
#   id: KAS-0004
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.9"]
#     cis-1.6: ["1.2.9"]
#     cis-1.20: ["1.2.8"]
#     cis-1.23: ["1.2.9"]
#     cis-1.24: ["1.2.8"]
#     cis-1.7: ["1.2.8"]
#     cis-1.8: ["1.2.8"]
#     cis-1.9: ["1.2.8"]
#     cis-1.10: ["1.2.8"]
#     cis-1.11: ["1.2.8"]
#     cis-1.12: ["1.2.8"]
#     seed-2020: ["S38"]
#   remediation: Include RBAC in --authorization-mode, for example --authorization-mode=Node,RBAC.
#   flags: [authorization-mode, authorization-config]
package kubecis.checks.apiserver.authorization_mode_includes_rbac

import data.kubecis.lib.authorization
import data.kubecis.lib.result

# _chain is this check's METADATA (id, frameworks) for lib.result.new. A complete rule is
# evaluated once per input; rego.metadata.chain() written in each result clause builds the
# whole annotation literal before that clause's body runs, once per clause.
_chain := rego.metadata.chain()

result := result.new(_chain, "pass", "", authorization.evidence) if "RBAC" in authorization.modes

result := result.new(
	_chain,
	"fail",
	concat("", [authorization.describe, ": the RBAC authorizer is not enabled"]),
	authorization.evidence,
) if {
	authorization.judged
	not "RBAC" in authorization.modes
}

result := result.new(
	_chain,
	"warn",
	authorization.config_reason("include a RBAC authorizer"),
	authorization.evidence,
) if authorization.pending

result := result.new(_chain, "error", authorization.failed_reason, authorization.evidence) if authorization.failed
