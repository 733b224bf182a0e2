# METADATA
# title: Roles and ClusterRoles use no wildcards
# description: >-
#   A "*" in verbs, apiGroups, resources or nonResourceURLs (or a "*/subresource" or a
#   trailing "*" URL) grants everything that exists now and everything added later,
#   including custom resources. Roles of the platform (bootstrap label or vendor markers)
#   are counted but not failed; aggregated ClusterRoles are judged through the roles they
#   aggregate.
# custom:
#   id: KRB-0007
#   severity: medium
#   frameworks:
#     cis-1.5: ["5.1.3"]
#     cis-1.6: ["5.1.3"]
#     cis-1.20: ["5.1.3"]
#     cis-1.23: ["5.1.3"]
#     cis-1.24: ["5.1.3"]
#     cis-1.7: ["5.1.3"]
#     cis-1.8: ["5.1.3"]
#     cis-1.9: ["5.1.3"]
#     cis-1.10: ["5.1.3"]
#     cis-1.11: ["5.1.3"]
#     cis-1.12: ["5.1.3"]
#   remediation: >-
#     Replace each "*" with the explicit verbs, API groups, resources or URLs the role
#     needs.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.no_wildcards_in_roles

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_fields := ["verbs", "apiGroups", "resources", "nonResourceURLs"]

_wildcard(value) if value == "*"

_wildcard(value) if startswith(value, "*/")

_wildcard(value) if endswith(value, "*")

# Per distinct rule: the fields in which it uses a wildcard.
_wildcard_fields[id] := fields if {
	some id, rule in input.rules
	fields := {field | some field in _fields; some value in rule[field]; _wildcard(value)}
	count(fields) > 0
}

# A platform aggregated role (admin, edit, view) is judged through its contributors, each of
# which is a role here; a user-made aggregate is judged on what it effectively holds (the
# rules of every role it selects), so one that pulls in cluster-admin's "*" fails.
_with_wildcards contains finding if {
	some id, _ in _wildcard_fields
	some key in input.rolesByRule[id]
	role := input.roles[key]
	_judged(role)
	finding := {"role": key, "provenance": role.provenance, "fields": sort({f | some j in role.rules; some f in _wildcard_fields[j]})}
}

_judged(role) if not role.aggregation

_judged(role) if role.provenance == "user"

_user := {f | some f in _with_wildcards; f.provenance == "user"}

_evidence := rbac.findings_evidence(_user, {"platformRoles": count(_with_wildcards) - count(_user)})

result := rbac.judged_pass(_chain, {"roles"}, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_user) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		format_int(count(_user), 10), " non-platform role(s) use wildcards (riskiest: ",
		_first.role, " in ", concat(", ", _first.fields), ")",
	]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_user) > 0
}

_first := rbac.riskiest(_user, {})
