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
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.authorization_mode_includes_rbac

import data.kubecis.lib.authorization
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

result := verdict.new(_chain, "pass", "", authorization.evidence) if "RBAC" in authorization.modes

result := verdict.new(
	_chain,
	"fail",
	concat("", [authorization.describe, ": the RBAC authorizer is not enabled"]),
	authorization.evidence,
) if {
	authorization.judged
	not "RBAC" in authorization.modes
}

result := verdict.new(
	_chain,
	"warn",
	authorization.config_reason("include a RBAC authorizer"),
	authorization.evidence,
) if authorization.pending

result := verdict.new(_chain, "error", authorization.failed_reason, authorization.evidence) if authorization.failed
