# METADATA
# title: The API server does not authorize every request (no AlwaysAllow)
# description: >-
#   With the AlwaysAllow authorizer (the default when --authorization-mode is not set) every authenticated request is allowed, whatever RBAC says. Set --authorization-mode to a list without AlwaysAllow, such as Node,RBAC.
# custom:
#   id: KAS-0002
#   severity: critical
#   frameworks:
#     cis-1.5: ["1.2.7"]
#     cis-1.6: ["1.2.7"]
#     cis-1.20: ["1.2.6"]
#     cis-1.23: ["1.2.7"]
#     cis-1.24: ["1.2.6"]
#     cis-1.7: ["1.2.6"]
#     cis-1.8: ["1.2.6"]
#     cis-1.9: ["1.2.6"]
#     cis-1.10: ["1.2.6"]
#     cis-1.11: ["1.2.6"]
#     cis-1.12: ["1.2.6"]
#     seed-2020: ["S18"]
#   remediation: Set --authorization-mode=Node,RBAC (kubeadm's value), or another list without AlwaysAllow.
#   flags: [authorization-mode, authorization-config]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.authorization_mode_not_always_allow

import data.kubecis.lib.authorization
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

result := verdict.new(_chain, "pass", "", authorization.evidence) if {
	authorization.judged
	not "AlwaysAllow" in authorization.modes
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [authorization.describe, ": AlwaysAllow authorizes every request"]),
	authorization.evidence,
) if "AlwaysAllow" in authorization.modes

result := verdict.new(
	_chain,
	"warn",
	authorization.config_reason("do not include AlwaysAllow"),
	authorization.evidence,
) if authorization.pending

result := verdict.new(_chain, "error", authorization.failed_reason, authorization.evidence) if authorization.failed
