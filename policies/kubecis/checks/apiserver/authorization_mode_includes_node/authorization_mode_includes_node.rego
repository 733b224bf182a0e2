# METADATA
# title: The Node authorizer is enabled
# description: >-
#   The Node authorizer limits each kubelet to the objects bound to its own node. Without it a kubelet's credentials can read every secret and pod in the cluster. --authorization-mode must include Node.
# custom:
#   id: KAS-0003
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.8"]
#     cis-1.6: ["1.2.8"]
#     cis-1.20: ["1.2.7"]
#     cis-1.23: ["1.2.8"]
#     cis-1.24: ["1.2.7"]
#     cis-1.7: ["1.2.7"]
#     cis-1.8: ["1.2.7"]
#     cis-1.9: ["1.2.7"]
#     cis-1.10: ["1.2.7"]
#     cis-1.11: ["1.2.7"]
#     cis-1.12: ["1.2.7"]
#     seed-2020: ["S31"]
#   remediation: Include Node in --authorization-mode, for example --authorization-mode=Node,RBAC, together with the NodeRestriction admission plugin.
#   flags: [authorization-mode, authorization-config]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.authorization_mode_includes_node

import data.kubecis.lib.authorization
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

result := verdict.new(_chain, "pass", "", authorization.evidence) if "Node" in authorization.modes

result := verdict.new(
	_chain,
	"fail",
	concat("", [authorization.describe, ": the Node authorizer is not enabled"]),
	authorization.evidence,
) if {
	authorization.judged
	not "Node" in authorization.modes
}

result := verdict.new(
	_chain,
	"warn",
	authorization.config_reason("include a Node authorizer"),
	authorization.evidence,
) if authorization.pending

result := verdict.new(_chain, "error", authorization.failed_reason, authorization.evidence) if authorization.failed
