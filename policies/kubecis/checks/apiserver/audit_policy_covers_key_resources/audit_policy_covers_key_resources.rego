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

import data.kubecis.lib.files
import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

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

# ---- reading the Policy ------------------------------------------------------------------

# A list field: absent and null are empty, as Go decodes them (a wrong type is refused below).
_list(object_, key) := v if {
	is_object(object_)
	v := object.get(object_, key, [])
	is_array(v)
} else := []

_rules := _list(_policy, "rules")

# A request writes at least one event when its rule keeps RequestReceived (every request
# passes it) or ResponseComplete (every request that completes): endpoints/filters/audit.go.
# ResponseStarted only exists for long-running requests and Panic only for a panic.
_omitted(rule) := {s | some s in array.concat(_list(_policy, "omitStages"), _list(rule, "omitStages"))}

_writes(rule) if {
	rule.level != "None"
	not _silent(rule)
}

_silent(rule) if {
	"RequestReceived" in _omitted(rule)
	"ResponseComplete" in _omitted(rule)
}

# Request level writes the request body: an object for create, update and patch, a
# DeleteOptions or nothing for the other verbs. RequestResponse also writes the response,
# which holds the object for every verb.
_bodyless := {"get", "list", "watch", "delete", "deletecollection"}

_logs_contents(rule) if rule.level == "RequestResponse"

_logs_contents(rule) if {
	rule.level == "Request"
	not _only_bodyless(rule)
}

_only_bodyless(rule) if {
	count(_list(rule, "verbs")) > 0
	every verb in _list(rule, "verbs") {
		verb in _bodyless
	}
}

# _adequate(rule, req): what the rule records for the requests it matches is what CIS asks.
_adequate(rule, req) if {
	_writes(rule)
	not _too_much(rule, req)
}

_too_much(rule, req) if {
	req.metadata_only
	_logs_contents(rule)
}

# ---- checker.go ruleMatches, over every request to one resource ---------------------------

# _reach(rule, req) is "none", "some" or "all" of the requests to req that the rule matches.
_reach(rule, req) := "none" if {
	not _may_match(rule, req)
} else := "all" if {
	_matches_everyone(rule, req)
} else := "some"

# A rule with neither namespaces nor resources matches every resource request unless it is a
# non-resource URL rule.
_may_match(rule, _) if {
	count(_list(rule, "namespaces")) == 0
	count(_list(rule, "resources")) == 0
	count(_list(rule, "nonResourceURLs")) == 0
}

_may_match(rule, req) if {
	_resource_rule(rule)
	_may_match_namespace(rule, req)
	_may_match_resource(rule, req)
}

_resource_rule(rule) if count(_list(rule, "namespaces")) > 0

_resource_rule(rule) if count(_list(rule, "resources")) > 0

_may_match_namespace(rule, _) if count(_list(rule, "namespaces")) == 0

_may_match_namespace(_, req) if req.namespaced

_may_match_namespace(rule, req) if {
	not req.namespaced
	"" in _list(rule, "namespaces")
}

_may_match_resource(rule, _) if count(_list(rule, "resources")) == 0

_may_match_resource(rule, req) if {
	some gr in _list(rule, "resources")
	_group_resource_matches(gr, req)
}

# every request to req, whoever sends it, with any verb, in any namespace, for any name
_matches_everyone(rule, req) if {
	count(_list(rule, "users")) == 0
	count(_list(rule, "userGroups")) == 0
	count(_list(rule, "verbs")) == 0
	_every_namespace(rule, req)
	_every_name(rule, req)
}

_every_namespace(rule, _) if count(_list(rule, "namespaces")) == 0

_every_namespace(rule, req) if {
	not req.namespaced
	"" in _list(rule, "namespaces")
}

_every_name(rule, _) if count(_list(rule, "resources")) == 0

_every_name(rule, req) if {
	some gr in _list(rule, "resources")
	_group_resource_matches(gr, req)
	count(_list(gr, "resourceNames")) == 0
}

# ruleMatchesResource: the group is compared exactly; no resources means the whole group.
_group_resource_matches(gr, req) if {
	_group(gr) == req.group
	count(_list(gr, "resources")) == 0
}

_group_resource_matches(gr, req) if {
	_group(gr) == req.group
	some name in _list(gr, "resources")
	_name_matches(name, req)
}

_group(gr) := g if {
	g := object.get(gr, "group", "")
	is_string(g)
} else := ""

_name_matches("*", _)

_name_matches(name, req) if name == _combined(req)

# "resource/*": the resource itself and every subresource of it
_name_matches(name, req) if name == concat("", [req.resource, "/*"])

# "*/subresource": that subresource of every resource
_name_matches(name, req) if {
	req.subresource != ""
	name == concat("", ["*/", req.subresource])
}

_combined(req) := req.resource if req.subresource == ""

_combined(req) := concat("/", [req.resource, req.subresource]) if req.subresource != ""

# ---- the verdict for one resource ---------------------------------------------------------

# One row per rule: how many of each resource's requests it matches. Everything below reads
# this table, so a policy of n rules costs 9n rule matches, not 9n² (WASM does not memoize).
_reaches := [[_reach(rule, req) | some req in _requirements] | some rule in _rules]

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
	_writes(rule)
	_too_much(rule, req)
}

_named_rule(rule) if {
	count(_list(rule, "users")) > 0
	not "system:anonymous" in _list(rule, "users")
}

# why a rule's level is not what CIS asks, beyond the level itself ("" when the level says it)
_why(rule, req) := "logs their contents" if {
	_leaks(rule, req)
} else := "with every stage it writes at omitted" if {
	rule.level != "None"
	_silent(rule)
} else := ""

# "users a, b, verbs get": what limits a rule to some of the requests
_scope(rule, req) := concat(", ", [concat(" ", [label, concat(", ", values)]) |
	some [label, values] in [
		["users", _list(rule, "users")],
		["userGroups", _list(rule, "userGroups")],
		["namespaces", _list(rule, "namespaces")],
		["verbs", _list(rule, "verbs")],
		["names", _names(rule, req)],
	]
	count(values) > 0
])

_names(rule, req) := [] if {
	_every_name(rule, req)
} else := [n |
	some gr in _list(rule, "resources")
	_group_resource_matches(gr, req)
	some n in _list(gr, "resourceNames")
]

# ---- what the report says ------------------------------------------------------------------

_label(c) := concat(".", [_combined(c), c.group]) if c.group != ""

_label(c) := _combined(c) if c.group == ""

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

# ---- what kube-apiserver refuses to load ----------------------------------------------------
# audit/policy/reader.go LoadPolicyFromBytes: the Policy must decode (a field of the wrong
# type fails even the lenient decoder; unknown fields only warn), be audit.k8s.io/v1 (v1alpha1
# and v1beta1 until 1.23), pass apis/audit/validation ValidatePolicy, and hold a rule.

_levels := ["None", "Metadata", "Request", "RequestResponse"]

_stages := ["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"]

_refusals contains "rules: the policy has no rules" if {
	_policy
	not _bad_type(object.get(_policy, "rules", null), "list")
	count(_rules) == 0
}

_refusals contains "rules: not a list of rules" if _bad_type(object.get(_policy, "rules", null), "list")

_refusals contains msg if {
	some msg in _stage_refusals("omitStages", object.get(_policy, "omitStages", null))
}

_refusals contains "omitManagedFields: not a boolean" if _bad_type(object.get(_policy, "omitManagedFields", null), "boolean")

_refusals contains msg if {
	version := object.get(_policy, "apiVersion", null)
	not version in {"audit.k8s.io/v1", "audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1"}
	msg := concat("", ["apiVersion: ", _quote(version), " is not audit.k8s.io/v1"])
}

_refusals contains msg if {
	_policy.apiVersion in {"audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1"}
	versions.highest >= 24
	msg := concat("", [
		"apiVersion: kube-apiserver 1.24 and later refuse ", _policy.apiVersion, " and the target ",
		_may_run, " (use audit.k8s.io/v1)",
	])
}

_may_run := concat("", ["runs ", versions.target]) if versions.known

_may_run := "may run one of them (give --kubernetes-version if it does not)" if not versions.known

_refusals contains msg if {
	some i, rule in _rules
	not is_object(rule)
	msg := concat("", [_at(i), ": not a rule"])
}

_refusals contains msg if {
	some i, rule in _rules
	is_object(rule)
	some msg in _rule_refusals(_at(i), rule)
}

_at(i) := concat("", ["rules[", format_int(i, 10), "]"])

_rule_refusals(at, rule) := array.concat(
	array.concat(_level_refusals(at, rule), _stage_refusals(concat(".", [at, "omitStages"]), object.get(rule, "omitStages", null))),
	array.concat(
		[concat("", [at, ".", key, ": not a list of strings"]) |
			some key in ["users", "userGroups", "verbs", "namespaces", "nonResourceURLs"]
			_bad_type(object.get(rule, key, null), "strings")
		],
		array.concat(
			array.concat(_url_refusals(at, rule), _resources_refusals(at, rule)),
			[concat("", [at, ".omitManagedFields: not a boolean"]) | _bad_type(object.get(rule, "omitManagedFields", null), "boolean")],
		),
	),
)

_level_refusals(at, rule) := [concat("", [at, ".level: required"])] if {
	object.get(rule, "level", null) in {null, ""}
} else := [concat("", [at, ".level: ", _quote(rule.level), " is not None, Metadata, Request or RequestResponse"])] if {
	not rule.level in _levels
} else := []

_stage_refusals(at, stages) := [concat("", [at, ": not a list of stages"])] if {
	_bad_type(stages, "strings")
} else := [concat("", [at, ": ", _quote(s), " is not RequestReceived, ResponseStarted, ResponseComplete or Panic"]) |
	some s in _as_list(stages)
	not s in _stages
]

_url_refusals(at, rule) := array.concat(
	[concat("", [at, ".nonResourceURLs: rules cannot apply to both regular resources and non-resource URLs"]) |
		count(_list(rule, "nonResourceURLs")) > 0
		_resource_rule(rule)
	],
	[msg |
		some url in _list(rule, "nonResourceURLs")
		is_string(url)
		url != "*"
		some msg in _url_problems(at, url)
	],
)

_url_problems(at, url) := array.concat(
	[concat("", [at, ".nonResourceURLs: ", _quote(url), " must begin with a '/'"]) | not startswith(url, "/")],
	[concat("", [at, ".nonResourceURLs: ", _quote(url), " may hold '*' only as its last character"]) |
		count(url) > 0
		contains(substring(url, 0, count(url) - 1), "*")
	],
)

_resources_refusals(at, rule) := [concat("", [at, ".resources: not a list of group resources"])] if {
	_bad_type(object.get(rule, "resources", null), "objects")
} else := [msg |
	some j, gr in _list(rule, "resources")
	some msg in _group_resource_refusals(concat("", [at, ".resources[", format_int(j, 10), "]"]), gr)
]

_group_resource_refusals(at, gr) := array.concat(
	[concat("", [at, ".", key, ": not a list of strings"]) |
		some key in ["resources", "resourceNames"]
		_bad_type(object.get(gr, key, null), "strings")
	],
	array.concat(
		[concat("", [at, ".group: ", _quote(g), " is not a lower-case DNS subdomain"]) |
			g := object.get(gr, "group", null)
			g != null
			_bad_group(g)
		],
		[concat("", [at, ".resourceNames: using resourceNames requires at least one resource"]) |
			count(_list(gr, "resourceNames")) > 0
			count(_list(gr, "resources")) == 0
		],
	),
)

# the core group is ""; any other must be a DNS subdomain (validation.NameIsDNSSubdomain)
_bad_group(g) if not is_string(g)

_bad_group(g) if {
	is_string(g)
	g != ""
	not _dns_subdomain(g)
}

_dns_subdomain(g) if {
	count(g) <= 253
	regex.match(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`, g)
}

# _bad_type(value, kind): a present value Go would not decode into that field (null is absent)
_bad_type(v, _) if {
	v != null
	not is_array(v)
	not is_boolean(v)
}

_bad_type(v, kind) if {
	is_boolean(v)
	kind != "boolean"
}

_bad_type(v, "boolean") if {
	v != null
	not is_boolean(v)
}

_bad_type(v, "strings") if {
	is_array(v)
	some x in v
	not is_string(x)
}

_bad_type(v, "objects") if {
	is_array(v)
	some x in v
	not is_object(x)
}

_as_list(v) := v if is_array(v)

_as_list(v) := [] if not is_array(v)

# a value quoted for a message (a string as JSON, anything else by its type)
_quote(v) := json.marshal(v) if is_string(v)

_quote(v) := concat("", ["a ", type_name(v)]) if not is_string(v)
