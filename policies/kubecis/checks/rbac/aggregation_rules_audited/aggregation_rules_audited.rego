# METADATA
# title: Aggregation rules add no sensitive permissions to aggregated roles and select narrowly
# description: >-
#   An aggregated ClusterRole's rules are replaced by the union of every ClusterRole its
#   selectors match (resolved here as the clusterrole-aggregation controller does). A
#   custom ClusterRole labelled for admin, edit or view silently extends everyone bound to
#   them, and a user-made aggregate holds whatever its selectors match. A contribution that
#   adds a sensitive permission (Secrets read, Pod create or exec, RBAC write, bind,
#   escalate, impersonate, nodes/proxy, webhook configurations, CSR approval, ServiceAccount
#   tokens, PersistentVolume create) fails: from any role into a user-made aggregate, from a
#   custom role into a platform one. So does an over-broad selector:
#   an empty one, one with no matchLabels and only Exists, NotIn or DoesNotExist
#   expressions, or one that selects a role equivalent to cluster-admin.
# custom:
#   id: KRB-0002
#   severity: high
#   inventory: whole
#   frameworks:
#     seed-2020: ["S40"]
#   remediation: >-
#     Remove the rbac.authorization.k8s.io/aggregate-to-* label from the contributing
#     ClusterRole and bind it directly where it is needed, or drop the sensitive rules from
#     it; give aggregation selectors a specific matchLabels entry.
#   parameters: [rbac-max-findings]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.aggregation_rules_audited

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# A ClusterRole that an aggregated role selects and that grants a sensitive permission: any
# contributor of a user-made aggregate, and the non-platform contributors of a platform one
# (admin, edit, view, …; platform-to-platform aggregation is the distribution's design).
_contributions contains finding if {
	some into in input.aggregatedRoles
	some key in input.roles[into].aggregation.selects
	role := input.roles[key]
	_audited(input.roles[into], role)
	some name in data.kubecis.rbac.aggregation_sensitive
	some perm in data.kubecis.rbac.permissions[name]
	some id in role.rules
	rbac.allows(input.rules[id], perm)
	finding := {"kind": "sensitive-contribution", "role": key, "aggregatedInto": into, "permission": name}
}

# A user-made ClusterRole labelled into a bootstrap aggregate (admin, edit, view) that the
# input does not hold: the aggregate exists in every cluster, and the label adds to it.
_contributions contains finding if {
	some key, role in input.roles
	role.provenance == "user"
	some label, value in object.get(role, "aggregationLabels", {})
	value == "true"
	into := data.kubecis.rbac.bootstrap_aggregates[label]
	not input.roles[into]
	some name in data.kubecis.rbac.aggregation_sensitive
	some perm in data.kubecis.rbac.permissions[name]
	some id in role.rules
	rbac.allows(input.rules[id], perm)
	finding := {"kind": "sensitive-contribution", "role": key, "aggregatedInto": into, "permission": name}
}

_audited(aggregate, _) if aggregate.provenance == "user"

_audited(_, contributor) if contributor.provenance == "user"

_broad_selectors contains finding if {
	some key in input.aggregatedRoles
	role := input.roles[key]
	some i, selector in role.aggregation.selectors
	_open_ended(selector)
	finding := {"kind": "broad-selector", "role": key, "selector": i, "selects": count(role.aggregation.selects)}
}

_broad_selectors contains finding if {
	some key in input.aggregatedRoles
	some selected in input.roles[key].aggregation.selects
	_admin_equivalent(input.roles[selected])
	finding := {"kind": "selects-admin-equivalent", "role": key, "selected": selected}
}

# No matchLabels and no In expression: the selector names no label value, so any role can
# opt in, or it matches everything.
_open_ended(selector) if {
	count(object.get(selector, "matchLabels", {})) == 0
	not _has_in(selector)
}

_has_in(selector) if {
	some e in selector.matchExpressions
	e.operator == "In"
}

_admin_equivalent(role) if {
	some id in role.rules
	rule := input.rules[id]
	"*" in rule.verbs
	"*" in rule.apiGroups
	"*" in rule.resources
}

_findings := _contributions | _broad_selectors

_aggregated := count(input.aggregatedRoles)

_evidence := rbac.findings_evidence(_findings, {"aggregatedRoles": _aggregated})

result := rbac.judged_pass(_chain, {"roles"}, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
}

result := verdict.new(_chain, "fail", _reason, _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}

_reason := concat("", [
	format_int(count(_contributions), 10), " sensitive contribution(s) to aggregated roles, ",
	format_int(count(_broad_selectors), 10), " over-broad selector(s) (riskiest: ", _describe(rbac.riskiest(_findings, {})), ")",
])

_describe(f) := concat("", [f.role, " adds ", f.permission, " to ", f.aggregatedInto]) if f.kind == "sensitive-contribution"

_describe(f) := concat("", [f.role, " selector ", format_int(f.selector, 10), " names no label value"]) if f.kind == "broad-selector"

_describe(f) := concat("", [f.role, " aggregates ", f.selected, ", which grants everything"]) if f.kind == "selects-admin-equivalent"
