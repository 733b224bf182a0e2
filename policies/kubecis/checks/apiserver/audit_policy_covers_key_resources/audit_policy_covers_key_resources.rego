# METADATA
# title: The audit policy covers the security concerns CIS lists
# description: >-
#   CIS 3.2.2 asks that the audit policy record access to Secrets, ConfigMaps and TokenReviews
#   at Metadata level only (so their contents are not logged), and record changes to pods and
#   deployments and the pods/exec, pods/portforward, pods/proxy and services/proxy
#   subresources. kubecis evaluates the parsed Policy the way the API server does: the first
#   rule that matches every request to a resource decides its level (rules limited to some
#   users, groups, verbs, namespaces or URLs are skipped because they do not cover every
#   request).
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
#   flags: [audit-policy-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_policy_covers_key_resources

import data.kubecis.lib.files
import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("audit-policy-file")

_policy := files.content("audit-policy-file") if _flag.set

# what CIS asks for, as [group, resource, the levels that satisfy it]
_requirements := [
	["", "secrets", {"Metadata"}],
	["", "configmaps", {"Metadata"}],
	["authentication.k8s.io", "tokenreviews", {"Metadata"}],
	["", "pods", _logged],
	["apps", "deployments", _logged],
	["", "pods/exec", _logged],
	["", "pods/portforward", _logged],
	["", "pods/proxy", _logged],
	["", "services/proxy", _logged],
]

_logged := {"Metadata", "Request", "RequestResponse"}

# rules that apply to every request for the resources they name
_general := [[i, rule] |
	some i, rule in object.get(_policy, "rules", [])
	count({k | some k in ["users", "userGroups", "verbs", "namespaces", "nonResourceURLs"]; rule[k]}) == 0
]

_matches(rule, _, _) if not rule.resources

_matches(rule, group, resource) if {
	some gr in rule.resources
	object.get(gr, "group", "") == group
	_resource_matches(object.get(gr, "resources", []), resource)
}

_resource_matches([], _)

_resource_matches(names, resource) if {
	some name in names
	_name_matches(name, resource)
}

_name_matches("*", _)

_name_matches(name, name)

_name_matches(name, resource) if {
	endswith(name, "/*")
	startswith(resource, trim_suffix(name, "*"))
}

_name_matches(name, resource) if {
	startswith(name, "*/")
	endswith(resource, trim_prefix(name, "*"))
}

# the level the policy gives each required resource ("None" when no rule matches)
_verdicts := [_verdict(req) | some req in _requirements]

_verdict(req) := {"group": req[0], "resource": req[1], "level": level, "rule": i, "ok": level in req[2]} if {
	hits := [[i, rule] | some [i, rule] in _general; _matches(rule, req[0], req[1])]
	count(hits) > 0
	[i, first] := hits[0]
	level := first.level
}

_verdict(req) := {"group": req[0], "resource": req[1], "level": "None", "rule": null, "ok": false} if {
	count([1 | some [_, rule] in _general; _matches(rule, req[0], req[1])]) == 0
}

_gaps := [_describe(v) | some v in _verdicts; not v.ok]

_describe(v) := concat("", [v.resource, " at ", v.level]) if v.group == ""

_describe(v) := concat("", [v.resource, ".", v.group, " at ", v.level]) if v.group != ""

_evidence := {"flag": _flag, "file": files.evidence("audit-policy-file"), "coverage": _verdicts}

_evidence_without_file := {"flag": _flag, "file": files.evidence("audit-policy-file")}

result := verdict.new(_chain, "pass", "", _evidence) if {
	_policy
	count(_gaps) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"the audit policy does not cover what CIS asks (secrets, configmaps, tokenreviews at Metadata; ",
		"pods, deployments, exec, portforward and proxy logged): ", concat(", ", _gaps),
	]),
	_evidence,
) if {
	_policy
	count(_gaps) > 0
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
