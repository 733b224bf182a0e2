# METADATA
# title: Audit Policy semantics
# description: >-
#   How kube-apiserver reads and applies an audit Policy (audit.k8s.io), for the controls that
#   judge one. A request goes to the first rule that matches it (k8s.io/apiserver
#   audit/policy/checker.go ruleMatches: users, userGroups, verbs, namespaces, resources with
#   resourceNames, non-resource URLs), and is written at the stages neither the Policy's nor
#   the rule's omitStages drop. A request here is one resource's requests as a whole:
#   {"group", "resource", "subresource", "namespaced"}, any user, verb, namespace and object
#   name. refusals(policy) lists why kube-apiserver would refuse to load the Policy
#   (audit/policy/reader.go, apis/audit/validation ValidatePolicy); the other functions
#   assume a Policy it loads.
package kubecis.lib.audit.policy

import data.kubecis.lib.versions

# list(object_, key) is a list field: absent and null are empty, as Go decodes them (a wrong
# type is one of the refusals).
list(object_, key) := v if {
	is_object(object_)
	v := object.get(object_, key, [])
	is_array(v)
} else := []

# rules(policy) is the Policy's rules, in order.
rules(policy) := list(policy, "rules")

# ---- what a rule writes ---------------------------------------------------------------------

# A request writes at least one event when its rule keeps RequestReceived (every request
# passes it) or ResponseComplete (every request that completes): endpoints/filters/audit.go.
# ResponseStarted only exists for long-running requests and Panic only for a panic.
_omitted(policy, rule) := {s | some s in array.concat(list(policy, "omitStages"), list(rule, "omitStages"))}

# writes(policy, rule): the requests the rule matches are written to the log.
writes(policy, rule) if {
	rule.level != "None"
	not silent(policy, rule)
}

# silent(policy, rule): every stage an ordinary request is written at is omitted.
silent(policy, rule) if {
	"RequestReceived" in _omitted(policy, rule)
	"ResponseComplete" in _omitted(policy, rule)
}

# Request level writes the request body: an object for create, update and patch, a
# DeleteOptions or nothing for the other verbs. RequestResponse also writes the response,
# which holds the object for every verb.
_bodyless := {"get", "list", "watch", "delete", "deletecollection"}

# logs_contents(rule): the rule's level writes the objects of some request it matches.
logs_contents(rule) if rule.level == "RequestResponse"

logs_contents(rule) if {
	rule.level == "Request"
	not _only_bodyless(rule)
}

_only_bodyless(rule) if {
	count(list(rule, "verbs")) > 0
	every verb in list(rule, "verbs") {
		verb in _bodyless
	}
}

# ---- checker.go ruleMatches, over every request to one resource -----------------------------

# reach(rule, request) is "none", "some" or "all" of the requests to request's resource that
# the rule matches.
reach(rule, request) := "none" if {
	not _may_match(rule, request)
} else := "all" if {
	_matches_everyone(rule, request)
} else := "some"

# A rule with neither namespaces nor resources matches every resource request unless it is a
# non-resource URL rule.
_may_match(rule, _) if {
	count(list(rule, "namespaces")) == 0
	count(list(rule, "resources")) == 0
	count(list(rule, "nonResourceURLs")) == 0
}

_may_match(rule, req) if {
	_resource_rule(rule)
	_may_match_namespace(rule, req)
	_may_match_resource(rule, req)
}

_resource_rule(rule) if count(list(rule, "namespaces")) > 0

_resource_rule(rule) if count(list(rule, "resources")) > 0

_may_match_namespace(rule, _) if count(list(rule, "namespaces")) == 0

_may_match_namespace(_, req) if req.namespaced

_may_match_namespace(rule, req) if {
	not req.namespaced
	"" in list(rule, "namespaces")
}

_may_match_resource(rule, _) if count(list(rule, "resources")) == 0

_may_match_resource(rule, req) if {
	some gr in list(rule, "resources")
	_group_resource_matches(gr, req)
}

# every request to req, whoever sends it, with any verb, in any namespace, for any name
_matches_everyone(rule, req) if {
	count(list(rule, "users")) == 0
	count(list(rule, "userGroups")) == 0
	count(list(rule, "verbs")) == 0
	_every_namespace(rule, req)
	_every_name(rule, req)
}

_every_namespace(rule, _) if count(list(rule, "namespaces")) == 0

_every_namespace(rule, req) if {
	not req.namespaced
	"" in list(rule, "namespaces")
}

_every_name(rule, _) if count(list(rule, "resources")) == 0

_every_name(rule, req) if {
	some gr in list(rule, "resources")
	_group_resource_matches(gr, req)
	count(list(gr, "resourceNames")) == 0
}

# names(rule, request) is the object names that limit the rule for request's resource: [] when
# the rule matches every name.
names(rule, request) := [] if {
	_every_name(rule, request)
} else := [n |
	some gr in list(rule, "resources")
	_group_resource_matches(gr, request)
	some n in list(gr, "resourceNames")
]

# ruleMatchesResource: the group is compared exactly; no resources means the whole group.
_group_resource_matches(gr, req) if {
	_group(gr) == req.group
	count(list(gr, "resources")) == 0
}

_group_resource_matches(gr, req) if {
	_group(gr) == req.group
	some name in list(gr, "resources")
	_name_matches(name, req)
}

_group(gr) := g if {
	g := object.get(gr, "group", "")
	is_string(g)
} else := ""

_name_matches("*", _)

_name_matches(name, req) if name == resource_path(req)

# "resource/*": the resource itself and every subresource of it
_name_matches(name, req) if name == concat("", [req.resource, "/*"])

# "*/subresource": that subresource of every resource
_name_matches(name, req) if {
	req.subresource != ""
	name == concat("", ["*/", req.subresource])
}

# resource_path(request) is what checker.go matches a rule's resources against: "pods",
# "pods/exec".
resource_path(request) := request.resource if request.subresource == ""

resource_path(request) := concat("/", [request.resource, request.subresource]) if request.subresource != ""

# ---- what kube-apiserver refuses to load ----------------------------------------------------
# audit/policy/reader.go LoadPolicyFromBytes: the Policy must decode (a field of the wrong
# type fails even the lenient decoder; unknown fields only warn), be audit.k8s.io/v1 (v1alpha1
# and v1beta1 until 1.23), pass apis/audit/validation ValidatePolicy, and hold a rule.

_levels := ["None", "Metadata", "Request", "RequestResponse"]

_stages := ["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"]

# refusals(policy) is the set of reasons kube-apiserver refuses the Policy (empty when it
# loads it); "rules[2].level: required". The apiVersion it accepts depends on the target's
# version (lib.versions).
refusals(policy) := ((_no_rules(policy) | _top_level(policy)) | _api_version(policy)) | _rule_set(policy)

_no_rules(policy) := {"rules: the policy has no rules" |
	policy
	not _bad_type(object.get(policy, "rules", null), "list")
	count(rules(policy)) == 0
}

_top_level(policy) := ({"rules: not a list of rules" | _bad_type(object.get(policy, "rules", null), "list")} | {msg |
	some msg in _stage_refusals("omitStages", object.get(policy, "omitStages", null))
}) | {"omitManagedFields: not a boolean" | _bad_type(object.get(policy, "omitManagedFields", null), "boolean")}

_api_version(policy) := {msg |
	version := object.get(policy, "apiVersion", null)
	not version in {"audit.k8s.io/v1", "audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1"}
	msg := concat("", ["apiVersion: ", _quote(version), " is not audit.k8s.io/v1"])
} | {msg |
	policy.apiVersion in {"audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1"}
	versions.highest >= 24
	msg := concat("", [
		"apiVersion: kube-apiserver 1.24 and later refuse ", policy.apiVersion, " and the target ",
		_may_run, " (use audit.k8s.io/v1)",
	])
}

_may_run := concat("", ["runs ", versions.target]) if versions.known

_may_run := "may run one of them (give --kubernetes-version if it does not)" if not versions.known

_rule_set(policy) := {msg |
	some i, rule in rules(policy)
	not is_object(rule)
	msg := concat("", [_at(i), ": not a rule"])
} | {msg |
	some i, rule in rules(policy)
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
		count(list(rule, "nonResourceURLs")) > 0
		_resource_rule(rule)
	],
	[msg |
		some url in list(rule, "nonResourceURLs")
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
	some j, gr in list(rule, "resources")
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
			count(list(gr, "resourceNames")) > 0
			count(list(gr, "resources")) == 0
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
