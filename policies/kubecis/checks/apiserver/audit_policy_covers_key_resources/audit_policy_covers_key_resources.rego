# METADATA
# title: The audit policy covers the security concerns CIS lists
# description: >-
#   CIS 3.2.2 asks that the audit policy record access to Secrets, ConfigMaps and TokenReviews
#   at Metadata level only (so their contents are not logged), and record changes to pods and
#   deployments and the pods/exec, pods/portforward, pods/proxy and services/proxy
#   subresources. kubecis reads the Policy the way kube-apiserver does
#   (k8s.io/apiserver audit/policy checker.go): for every request, the first rule that
#   matches it (users, userGroups, verbs, namespaces, resources with resourceNames) decides
#   its level, and events are written only at the stages neither the Policy's nor the rule's
#   omitStages drop (omitting both RequestReceived and ResponseComplete writes nothing for an
#   ordinary request). For each resource above, every request (any user, verb, namespace and
#   object name) must reach a rule of the required level that writes events, and no earlier
#   rule may record less (or, for Secrets, ConfigMaps and TokenReviews, their contents) for
#   some of those requests. A rule limited to some users, groups, verbs, namespaces or names
#   never covers a resource for everyone, even when several such rules together would. An
#   earlier rule that records less for everyone, for any group (membership is whatever the
#   authenticator asserts, and system:authenticated is everyone), for some verbs, namespaces
#   or names, or for system:anonymous, is a gap: fail. One limited to users it names is an
#   exemption a reviewer should see: warn, listing them (one that logs a Secret's contents
#   for named users still fails). Rules that touch none of these
#   resources (kube-proxy watches, node reads, health URLs, events) do not matter. A Policy
#   kube-apiserver refuses to load (apis/audit/validation ValidatePolicy,
#   audit/policy/reader.go: no rules, an unknown level or stage, a field of the wrong type, a
#   non-resource URL rule that also names resources, audit.k8s.io/v1beta1 from 1.24) is an
#   error.
# custom:
#   id: KAS-0044
#   severity: medium
#   frameworks:
#     cis-1.5: ["3.2.2"]
#     cis-1.6: ["3.2.2"]
#     cis-1.20: ["3.2.2"]
#     cis-1.23: ["3.2.2"]
#     cis-1.24: ["3.2.2"]
#     cis-1.7: ["3.2.2"]
#     cis-1.8: ["3.2.2"]
#     cis-1.9: ["3.2.2"]
#     cis-1.10: ["3.2.2"]
#     cis-1.11: ["3.2.2"]
#     cis-1.12: ["3.2.2"]
#   remediation: >-
#     Add rules to the audit Policy: level Metadata for secrets, configmaps (group "") and
#     tokenreviews (authentication.k8s.io) before any broader rule, and at least Metadata
#     (Request or RequestResponse where useful) for pods, deployments, pods/exec,
#     pods/portforward, pods/proxy and services/proxy; end with a catch-all Metadata rule.
#     Keep earlier None rules (and rules omitting both RequestReceived and ResponseComplete)
#     off these resources, or limit them to the users they exempt, and do not narrow the
#     sensitive rule with resourceNames.
#   flags: [audit-policy-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_policy_covers_key_resources

import data.kubecis.lib.audit.policy
import data.kubecis.lib.files
import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("audit-policy-file")

_policy := files.content("audit-policy-file") if _flag.set

# What CIS asks for. Requests carry a resource and a subresource (checker.go matches the rule's
# "resource/subresource"); tokenreviews are cluster-scoped, so their requests carry the
# namespace "". metadata_only: logged at Metadata and never with their contents.
_requirements := [
	_require("", "secrets", "", true, true),
	_require("", "configmaps", "", true, true),
	_require("authentication.k8s.io", "tokenreviews", "", false, true),
	_require("", "pods", "", true, false),
	_require("apps", "deployments", "", true, false),
	_require("", "pods", "exec", true, false),
	_require("", "pods", "portforward", true, false),
	_require("", "pods", "proxy", true, false),
	_require("", "services", "proxy", true, false),
]

_require(group, resource, subresource, namespaced, metadata_only) := {
	"group": group, "resource": resource, "subresource": subresource,
	"namespaced": namespaced, "metadata_only": metadata_only,
}

# ---- what each rule records, against what CIS asks ---------------------------------------
# How kube-apiserver applies the Policy (rule matching, stages, refusals) is lib.audit.policy.

_rules := policy.rules(_policy)

_refusals := policy.refusals(_policy)

# _adequate(rule, req): what the rule records for the requests it matches is what CIS asks.
_adequate(rule, req) if {
	policy.writes(_policy, rule)
	not _too_much(rule, req)
}

_too_much(rule, req) if {
	req.metadata_only
	policy.logs_contents(rule)
}

# ---- the verdict for one resource ---------------------------------------------------------

# One row per rule: how many of each resource's requests it matches. Everything below reads
# this table, so a policy of n rules costs 9n rule matches, not 9n² (WASM does not memoize).
_reaches := [[policy.reach(rule, req) | some req in _requirements] | some rule in _rules]

# The first rule matching every request to resource j decides for the requests no earlier rule
# took; count(_rules) when none does, and checker.go's DefaultAuditLevel (None) applies.
_deciders := [_first_of_all(j) | some j, _ in _requirements]

_first_of_all(j) := everyone[0] if {
	everyone := [i | some i, row in _reaches; row[j] == "all"]
	count(everyone) > 0
} else := count(_rules)

_coverage := [object.union(
	{"group": req.group, "resource": req.resource, "subresource": req.subresource},
	_decided(req, _deciders[j], _gaps_of(j)),
) |
	some j, req in _requirements
]

_decided(req, first, gaps) := {
	"level": _rules[first].level,
	"rule": first,
	"ok": _ok(_rules[first], req),
	"why": _why(_rules[first], req),
	"gaps": gaps,
} if {
	first < count(_rules)
}

_decided(_, first, gaps) := {
	"level": "None",
	"rule": null,
	"ok": false,
	"why": "no rule matches every request",
	"gaps": gaps,
} if {
	first == count(_rules)
}

# Rules before the decider that match some of resource j's requests and record something else.
_gaps_of(j) := [_gap(i, _rules[i], _requirements[j]) |
	some i, row in _reaches
	i < _deciders[j]
	_is_gap(row[j], _rules[i], _requirements[j])
]

_is_gap("some", rule, req) if not _adequate(rule, req)

_ok(rule, req) if _adequate(rule, req)

_ok(rule, req) := false if not _adequate(rule, req)

_gap(i, rule, req) := {"rule": i, "level": rule.level, "scope": _scope(rule, req), "named": _exempts(rule, req), "why": _why(rule, req)}

# An exemption names who it exempts: a users list without system:anonymous (which stands for
# every unauthenticated request). Groups, verbs, namespaces and names leave open who is exempt.
# Only recording less is an exemption: a Secret's data in the log is a leak, whoever wrote it.
_exempts(rule, req) if {
	_named_rule(rule)
	not _leaks(rule, req)
} else := false

_leaks(rule, req) if {
	policy.writes(_policy, rule)
	_too_much(rule, req)
}

_named_rule(rule) if {
	count(policy.list(rule, "users")) > 0
	not "system:anonymous" in policy.list(rule, "users")
}

# why a rule's level is not what CIS asks, beyond the level itself ("" when the level says it)
_why(rule, req) := "logs their contents" if {
	_leaks(rule, req)
} else := "with every stage it writes at omitted" if {
	rule.level != "None"
	policy.silent(_policy, rule)
} else := ""

# "users a, b, verbs get": what limits a rule to some of the requests
_scope(rule, req) := concat(", ", [concat(" ", [label, concat(", ", values)]) |
	some [label, values] in [
		["users", policy.list(rule, "users")],
		["userGroups", policy.list(rule, "userGroups")],
		["namespaces", policy.list(rule, "namespaces")],
		["verbs", policy.list(rule, "verbs")],
		["names", policy.names(rule, req)],
	]
	count(values) > 0
])

# ---- what the report says ------------------------------------------------------------------

_label(c) := concat(".", [policy.resource_path(c), c.group]) if c.group != ""

_label(c) := policy.resource_path(c) if c.group == ""

# "None for users a, verbs watch (rules[0])", "RequestResponse (rules[3]) logs their contents"
_text(level, why, scope, rule) := concat("", [level, _silenced(why), _for(scope), _where(rule), _logged(why)])

_silenced("with every stage it writes at omitted") := " with every stage it writes at omitted"

_silenced(why) := "" if why != "with every stage it writes at omitted"

_logged("logs their contents") := " logs their contents"

_logged(why) := "" if why != "logs their contents"

_for("") := ""

_for(scope) := concat("", [" for ", scope]) if scope != ""

_where(null) := " (no rule matches every request)"

_where(rule) := concat("", [" (rules[", format_int(rule, 10), "])"]) if is_number(rule)

# Findings read, per rule in policy order, "secrets, configmaps: None for ... (rules[2])".
_findings := array.concat(
	_grouped([[_text(c.level, c.why, "", c.rule), _label(c)] | some c in _coverage; not c.ok]),
	[line | some items in _gaps_by_rule; some line in _grouped([[t, l] | some [t, l, named] in items; not named])],
)

_exemptions := [line | some items in _gaps_by_rule; some line in _grouped([[t, l] | some [t, l, named] in items; named])]

# [[text, resource, named]] for each rule that leaves a gap, in policy order (at most 9 each)
_gaps_by_rule := [items |
	some i, row in _reaches
	items := [[_text(g.level, g.why, g.scope, g.rule), _label(req), g.named] |
		some j, req in _requirements
		i < _deciders[j]
		_is_gap(row[j], _rules[i], req)
		g := _gap(i, _rules[i], req)
	]
	count(items) > 0
]

# [[text, resource]] -> ["secrets, configmaps: text"], one entry per text, in first-seen order
# (items: the few resources of one rule, or the deciders)
_grouped(items) := [concat("", [concat(", ", [label | some [t, label] in items; t == text]), ": ", text]) |
	some i, [text, _] in items
	not _seen_before(items, i, text)
]

_seen_before(items, i, text) if {
	some j, [t, _] in items
	j < i
	t == text
}

_evidence := {"flag": _flag, "file": files.evidence("audit-policy-file"), "coverage": _coverage}

_evidence_without_file := {"flag": _flag, "file": files.evidence("audit-policy-file")}

_asks := "(secrets, configmaps, tokenreviews at Metadata only; pods, deployments, exec, portforward and proxy logged)"

_judged if {
	_policy
	count(_refusals) == 0
}

result := verdict.new(_chain, "pass", "", _evidence) if {
	_judged
	count(_findings) == 0
	count(_exemptions) == 0
}

result := verdict.new(
	_chain,
	"warn",
	concat("", [
		"the audit policy exempts named users from what CIS asks ", _asks, ": ",
		concat("; ", _exemptions), "; check each exemption is intended",
	]),
	_evidence,
) if {
	_judged
	count(_findings) == 0
	count(_exemptions) > 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"the audit policy does not record what CIS asks ", _asks, ": ",
		concat("; ", _findings), _and_exemptions(_exemptions),
	]),
	_evidence,
) if {
	_judged
	count(_findings) > 0
}

_and_exemptions([]) := ""

_and_exemptions(named) := concat("", ["; named exemptions: ", concat("; ", named)]) if count(named) > 0

result := verdict.new(
	_chain,
	"error",
	concat("", [
		"kube-apiserver refuses --audit-policy-file=", _flag.value, " and does not start: ",
		concat("; ", sort(_refusals)),
	]),
	_evidence_without_file,
) if {
	_policy
	count(_refusals) > 0
}

result := verdict.new(
	_chain,
	"fail",
	"--audit-policy-file is not set: no audit events are recorded",
	_evidence_without_file,
) if not _flag.set

result := verdict.new(
	_chain,
	"warn",
	files.not_given_reason("audit-policy-file", _flag.value, "what it records"),
	_evidence_without_file,
) if {
	_flag.set
	files.state("audit-policy-file") == "not-given"
}

result := verdict.new(_chain, "error", files.failed_reason("audit-policy-file"), _evidence_without_file) if {
	_flag.set
	not files.state("audit-policy-file") in {"read", "not-given"}
}

# A value kube-apiserver refuses: lib.verdict.new gives the reason (fail closed).
result := verdict.new(_chain, "error", "", _evidence_without_file) if _flag.error
