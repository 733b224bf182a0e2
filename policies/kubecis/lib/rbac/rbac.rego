# METADATA
# title: RBAC semantics
# description: >-
#   How the RBAC authorizer matches a PolicyRule (kubernetes/kubernetes
#   pkg/apis/rbac/v1/evaluation_helpers.go) and the grant lookups the RBAC checks share.
#   The host has resolved aggregation, computed Kubernetes' Covers comparison (roleCovers)
#   and built the indexes of the RbacSnapshot document, so everything here is a keyed
#   lookup or a single pass. Roles name their rules by index into input.rules, where each
#   distinct rule is stored once; per-rule facts are computed once per distinct rule.
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.lib.rbac

import data.kubecis.lib.params
import data.kubecis.lib.verdict

# max_findings bounds the findings a result lists (parameter rbac-max-findings).
max_findings := params.value("rbac-max-findings")

# allows(rule, perm) holds when the rule grants at least one verb/group/resource of perm.
allows(rule, perm) if {
	_any(rule.verbs, perm.verbs)
	_any(rule.apiGroups, perm.groups)
	some have in rule.resources
	some want in perm.resources
	resource_matches(have, want)
}

_any(have, _) if "*" in have

_any(have, want) if {
	some w in want
	w in have
}

# resource_matches(have, want): "*", the exact resource or resource/subresource, or
# "*/<subresource>" for any resource's subresource. "pods/*" is not a pattern.
resource_matches("*", _) := true

resource_matches(have, have) := true

resource_matches(have, want) if {
	startswith(have, "*/")
	parts := split(want, "/")
	count(parts) == 2
	have == concat("", ["*/", parts[1]])
}

# broad(subject) holds for subject keys that stand for everyone, or every ServiceAccount.
broad(subject) if subject in data.kubecis.rbac.broad_subjects

broad(subject) if {
	some prefix in data.kubecis.rbac.broad_subject_prefixes
	startswith(subject, prefix)
}

# grants_holding(perms) is every grant (subject, binding, role, namespace, provenance) through
# which a subject holds one of perms, each (binding, subject) once, as an array. Candidate
# rules come from the rulesByResource index (the resource itself, "*" and
# "*/<subresource>"), so each distinct rule that names a matching resource is examined once;
# then the roles that include it (rolesByRule), then their bindings (bindingsByRole). A
# permission on a cluster-scoped resource is granted by ClusterRoleBindings only.
grants_holding(perms) := grants_holding_where(perms, {})

_candidate_rules(perm) := {id |
	some want in perm.resources
	some written in _written_forms(want)
	some id in object.get(input.rulesByResource, written, [])
}

# The ways a rule can write a resource that matches want.
_written_forms(want) := ["*", want] if not contains(want, "/")

_written_forms(want) := ["*", want, concat("", ["*/", split(want, "/")[1]])] if contains(want, "/")

# binding_scope(key) is where a binding grants, as findings write it: "cluster" for
# "ClusterRoleBinding:<name>", the namespace for "RoleBinding:<namespace>/<name>". A namespace
# may be named "cluster": whether a grant applies everywhere is cluster_wide(key), never a
# comparison of this value.
binding_scope(key) := "cluster" if cluster_wide(key)

binding_scope(key) := substring(key, 12, indexof(key, "/") - 12) if startswith(key, "RoleBinding:")

# cluster_wide(key) holds for a ClusterRoleBinding's key: its grants apply in every namespace.
cluster_wide(key) if startswith(key, "ClusterRoleBinding:")

# findings_evidence(findings, extra): every finding, their total and the display limit.
# Findings are a set or an array in no particular order (WASM returns sets in hash order and
# sorts in quadratic time), so the host ranks them by risk and keeps the first `limit`
# (src/rank.ts). It reads no input: a control judged apart (src/engine/split.ts) may call it.
findings_evidence(findings, extra) := object.union(
	{"findings": findings, "total": count(findings), "limit": max_findings},
	extra,
)

# role_power[key] is what role key's rules grant, as sorted names: "wildcard" for a rule that
# grants every verb on every resource of every API group (cluster-admin's rule), and each
# data.kubecis.rbac.permissions name (secrets-read, pods-create, rbac-escalation, ...) one of
# its rules allows, wherever the role is bound. Computed once per distinct rule and once per
# role, never per binding. An access result gives it once per role of its findings
# (evidence.powers); the host ranks findings by it and puts it in each finding it reports
# (src/engine/opa-wasm.ts, src/rank.ts).
role_power[key] := power_of(key) if {
	some key, _ in input.roles
}

# power_of(key) is role_power[key], for a role the caller names (role_power is computed for
# every role when it is read).
power_of(key) := sort({name | some id in input.roles[key].rules; some name in _rule_power[id]})

_rule_power[id] := _everything(rule) | {name |
	some name, perms in data.kubecis.rbac.permissions
	some perm in perms
	allows(rule, perm)
} if {
	some id, rule in input.rules
}

_everything(rule) := {"wildcard"} if {
	"*" in rule.verbs
	"*" in rule.apiGroups
	"*" in rule.resources
} else := set()

# access_result judges a "minimise access" control from the grants holding a permission:
# fail when a broad group (everyone, every ServiceAccount) holds it, whoever made the binding
# (a binding's provenance is read from its own name and labels, which its author chose, and no
# platform binding gives a broad group any of these permissions); warn, listing them for
# review, when other non-platform subjects hold it; pass when only platform bindings
# (bootstrap or vendor provenance) do, and the input shows every grant (judged_pass).
# Platform grants are counted, never hidden.
access_result(chain, grants, what) := r if {
	judged := [g | some g in grants; _judged(g)]
	user := [g | some g in judged; g.provenance == "user"]
	broad_grants := {g | some g in judged; broad(g.subject)}
	listed := _listed(judged)
	evidence := findings_evidence(listed, {
		"total": count(judged),
		"platformGrants": count(grants) - count(judged),
		"broad": count(broad_grants),
		"powers": {key: power_of(key) | some key in {g.role | some g in listed}},
	})
	r := _access_result(chain, broad_grants, user, evidence, what)
}

# riskiest_findings(findings) is _listed(findings), for findings that name a binding and a
# subject as grants do: all of them, or only the tiers that can hold the riskiest max_findings.
# It reads no input (a control judged apart may call it).
riskiest_findings(findings) := _listed(findings)

# The grants an access result reports: every non-platform one, and a platform one to a broad group.
_judged(g) if g.provenance == "user"

_judged(g) if {
	g.provenance != "user"
	broad(g.subject)
}

# _listed(grants) is the grants an access result lists: every one; or, when the caller ranks
# findings by risk and keeps the first max_findings (data.kubecis.options.findings is
# "riskiest", as the kubecis host sets it: src/engine/opa-wasm.ts), only those that can be
# among them. The risk order (src/rank.ts) puts cluster-wide grants before namespaced ones,
# and within each, groups (and system:anonymous) before ServiceAccounts and users; so the
# list is the smallest run of these tiers, riskiest first, that holds max_findings grants:
# cluster-wide groups; all cluster-wide; those and namespaced groups; all. At 100k bindings
# this lists ~1k of 60k grants, and the evaluator does not write the rest.
_listed(grants) := grants if not _riskiest_only

_listed(grants) := _riskiest(grants, [g | some g in grants; cluster_wide(g.binding)]) if _riskiest_only

_riskiest(grants, cluster) := cluster_groups if {
	cluster_groups := [g | some g in cluster; _group_like(g.subject)]
	count(cluster_groups) >= max_findings
} else := cluster if {
	count(cluster) >= max_findings
} else := with_namespaced_groups if {
	with_namespaced_groups := array.concat(cluster, [g | some g in grants; not cluster_wide(g.binding); _group_like(g.subject)])
	count(with_namespaced_groups) >= max_findings
} else := grants

_riskiest_only if {
	data.kubecis.options.findings == "riskiest"
	is_number(max_findings)
}

_group_like(subject) if startswith(subject, "Group:")

_group_like("User:system:anonymous")

_access_result(chain, broad_grants, user, evidence, what) := _broad_verdict(chain, broad_grants, evidence, what) if {
	count(broad_grants) > 0
} else := _user_verdict(chain, count(user), _riskiest_listed(evidence, user), evidence, what) if {
	count(user) > 0
} else := judged_pass(chain, {"bindings", "grants"}, evidence)

# A broad group holds it: fail, naming the riskiest such grant (rank.rego).
_broad_verdict(chain, broad_grants, evidence, what) := verdict.new(
	chain, "fail",
	concat("", [
		describe_grant(riskiest(broad_grants, {g.role: power_of(g.role) | some g in broad_grants})),
		" gives ", what, " to everyone in that group", _more(broad_grants),
	]),
	evidence,
)

# n non-platform grants hold it, riskiest the one named: warn.
_user_verdict(chain, n, top, evidence, what) := verdict.new(
	chain, "warn",
	concat("", [format_int(n, 10), " non-platform grant(s) give ", what, "; review that each is needed (riskiest: ", describe_grant(top), ")"]),
	evidence,
)

# The riskiest of the grants an access result lists, which hold the riskiest of all (the
# tiers of _listed are a prefix of the risk order); all of them when it lists none
# (rbac-max-findings 0).
_riskiest_listed(evidence, all) := riskiest(evidence.findings, evidence.powers) if {
	count(evidence.findings) > 0
} else := riskiest(all, {g.role: power_of(g.role) | some g in all})

_more(set) := "" if count(set) == 1

_more(set) := concat("", [" (and ", format_int(count(set) - 1, 10), " more)"]) if count(set) > 1

# describe_grant(g): "Group:g via RoleBinding:z/x (ClusterRole:y) in namespace z", or
# "... via ClusterRoleBinding:x (ClusterRole:y) cluster-wide"
describe_grant(g) := concat("", [g.subject, " via ", g.binding, " (", g.role, ")", _where(g)])

_where(g) := " cluster-wide" if cluster_wide(g.binding)

else := concat("", [" in namespace ", g.namespace])

# grants_holding_where(perms, where) is grants_holding(perms) narrowed by where, an object
# with optional keys: names (the rule reaches at least one object of these names: a rule with
# resourceNames grants only those objects, an empty resourceNames every object) and
# namespaces (the grant applies in one of these: cluster-wide grants apply in all). Bindings
# are narrowed before their subjects are expanded.
grants_holding_where(perms, where) := [grant |
	some key, cluster_only in _roles_holding(perms, object.get(where, "names", null))
	some binding in object.get(input.bindingsByRole, key, [])
	_binding_in_scope(binding.name, cluster_only)
	namespace := binding_scope(binding.name)
	_reaches(binding.name, namespace, object.get(where, "namespaces", null))
	some i, subject in binding.subjects
	_first_mention(binding.subjects, i, subject)
	grant := {
		"subject": subject,
		"binding": binding.name,
		"role": key,
		"namespace": namespace,
		"provenance": binding.provenance,
	}
]

# _roles_holding(perms, names)[key] is true when role key holds one of perms only on
# cluster-scoped terms (granted through ClusterRoleBindings only), false when some perm it
# holds is granted through RoleBindings too.
_roles_holding(perms, names) := {key: cluster_only |
	some m in matched
	key := m[0]
	cluster_only := _cluster_only(matched, key)
} if {
	matched := {[key, cluster_only] |
		some perm in perms
		cluster_only := _cluster_perm(perm)
		some id in _candidate_rules(perm)
		rule := input.rules[id]
		allows(rule, perm)
		_names_reach(object.get(rule, "resourceNames", []), names)
		some key in input.rolesByRule[id]
	}
}

_cluster_perm(perm) if cluster_only_permission(perm)

else := false

# A keyed lookup: WASM scans a set for `in`.
_cluster_only(matched, key) := false if matched[[key, false]]

else := true

_binding_in_scope(_, false) := true

_binding_in_scope(name, true) if cluster_wide(name)

# A subject a binding names twice is one grant.
_first_mention(_, 0, _) := true

_first_mention(subjects, i, subject) if {
	i > 0
	not subject in array.slice(subjects, 0, i)
}

_names_reach(_, null) := true

_names_reach(resource_names, names) if {
	names != null
	count(resource_names) == 0
}

_names_reach(resource_names, names) if {
	some name in names
	name in resource_names
}

_reaches(_, _, null) := true

_reaches(binding, _, namespaces) if {
	namespaces != null
	cluster_wide(binding)
}

_reaches(binding, ns, namespaces) if {
	not cluster_wide(binding)
	ns in namespaces
}

# judged_pass(chain, needs, evidence) is a control's pass, unless the input cannot show it
# (nothing checked is never a pass, DESIGN decisions 2 and 9). needs is the set of what the
# pass rests on: "bindings" (every binding), "roles" (every ClusterRole: every cluster has
# them), "grants" (what the role of each binding grants). It is an error when an input file
# was rejected (what it held could break the pass), and a warning naming what to export when
# the input lacks what the pass rests on: no bindings at all; no ClusterRoles; or bindings whose
# roles it lacks (a reference to a kind of role the input holds none of, or to a bootstrap
# role that an export without the bootstrap roles names, assumed to exist with its rules
# unknown, through a non-platform binding). Reads collected, inventory and, for "grants",
# missingRoles, assumedRoles and bindingsByRole.
judged_pass(chain, needs, evidence) := pass_unless_gap(chain, needs, input.collected, _unknown_for(needs), evidence)

_unknown_for(needs) := _bindings_to_unknown_roles if "grants" in needs

else := set()

# pass_unless_gap(chain, needs, collected, unknown, evidence) is judged_pass given the input's
# collected counts and its bindings to unknown roles; it reads only input.inventory, so a
# control judged apart (src/engine/split.ts) calls it with the fields it declares.
pass_unless_gap(chain, needs, collected, unknown, evidence) := verdict.new(chain, gap.status, gap.reason, object.union(evidence, gap.evidence)) if {
	gap := _gap(needs, collected, unknown)
} else := verdict.new(chain, "pass", "", evidence)

_gap(needs, collected, unknown) := {"status": "error", "reason": verdict.incomplete(input.inventory.rejected), "evidence": {}} if {
	count(needs) > 0
	input.inventory.complete == false
} else := {
	"status": "warn",
	"reason": "the input holds no RoleBindings or ClusterRoleBindings, so nothing was checked; export bindings too (kubectl get rolebindings,clusterrolebindings -A -o json)",
	"evidence": {},
} if {
	"bindings" in needs
	collected.RoleBinding + collected.ClusterRoleBinding == 0
} else := {
	"status": "warn",
	"reason": "the input holds no ClusterRoles (every cluster has them), so they were not checked; export them too (kubectl get roles,clusterroles -A -o json)",
	"evidence": {},
} if {
	"roles" in needs
	collected.ClusterRole == 0
} else := {
	"status": "warn",
	"reason": concat("", [
		format_int(count(unknown), 10), " binding(s) reference roles the input does not hold (first: ",
		min(unknown).role, "), so what they grant is unknown; export Roles and ClusterRoles too (kubectl get roles,clusterroles -A -o json)",
	]),
	"evidence": {"rolesUnknown": count({b.role | some b in unknown})},
} if {
	count(unknown) > 0
}

# Bindings whose role's rules the input does not show: references to a kind of role the input
# holds none of, and non-platform bindings of an assumed bootstrap role.
_bindings_to_unknown_roles contains {"binding": binding.name, "role": key} if {
	some key in input.missingRoles
	_kind_absent(key)
	some binding in object.get(input.bindingsByRole, key, [])
}

_bindings_to_unknown_roles contains {"binding": binding.name, "role": key} if {
	some key in input.assumedRoles
	some binding in object.get(input.bindingsByRole, key, [])
	binding.provenance == "user"
}

_kind_absent(key) if {
	startswith(key, "ClusterRole:")
	input.collected.ClusterRole == 0
}

_kind_absent(key) if {
	startswith(key, "Role:")
	input.collected.Role == 0
}
