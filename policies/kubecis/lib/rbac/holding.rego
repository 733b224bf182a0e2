# access_result_holding (package kubecis.lib.rbac, METADATA in rbac.rego).
# access_result(chain, grants_holding(perms), what) builds an object per (binding, subject)
# and walks them several times: at 100k bindings that was most of the evaluation.
# access_result_holding gives the same result from what the host counted per role
# (grantsByRole) and from the bindings of broad groups (bindingsBySpecialSubject): a control
# costs one pass over the roles holding its permission, and grant objects are built only for
# the findings it lists.
package kubecis.lib.rbac

# access_result_holding(chain, perms, what) is access_result(chain, grants_holding(perms), what).
access_result_holding(chain, perms, what) := access_result(chain, grants_holding(perms), what) if {
	not _broad_indexed
} else := r if {
	roles := _roles_holding(perms, null)
	held := [[key, cluster_only, counts] |
		some key, cluster_only in roles
		counts := _counts(key, cluster_only)
	]
	broad_grants := {g |
		some g in _broad_grants
		cluster_only := roles[g.role]
		_binding_in_scope(g.binding, cluster_only)
	}
	others := [g | some g in broad_grants; g.provenance != "user"]
	user := _sum(held, 1)
	judged := user + count(others)
	listed := _listed_holding(held, others)
	evidence := findings_evidence(listed, {
		"total": judged,
		"platformGrants": _sum(held, 0) - judged,
		"broad": count(broad_grants),
		"powers": {key: power_of(key) | some key in {g.role | some g in listed}},
	})
	r := _access_result_holding(chain, held, broad_grants, user, evidence, what)
}

_access_result_holding(chain, held, broad_grants, user, evidence, what) := _broad_verdict(chain, broad_grants, evidence, what) if {
	count(broad_grants) > 0
} else := _user_verdict(chain, user, _riskiest_held(evidence, held), evidence, what) if {
	user > 0
} else := judged_pass(chain, {"bindings", "grants"}, evidence)

# _riskiest_listed, with every judged grant built only when the result lists none (no broad
# grant here, so the judged grants are the user grants).
_riskiest_held(evidence, held) := riskiest(evidence.findings, evidence.powers) if {
	count(evidence.findings) > 0
} else := riskiest(all, {g.role: power_of(g.role) | some g in all}) if {
	all := _judged_in(held, [], "all")
}

# The host indexes the bindings of every subject named Group:system:* or User:system:anonymous
# (bindingsBySpecialSubject): when every broad subject is one of those, the broad grants are
# read from there; else access_result_holding expands every grant.
_broad_indexed if {
	every s in data.kubecis.rbac.broad_subjects {
		_special(s)
	}
	every prefix in data.kubecis.rbac.broad_subject_prefixes {
		startswith(prefix, "Group:system:")
	}
}

_special("User:system:anonymous")

_special(s) if startswith(s, "Group:system:")

# Every grant to a broad subject, once per (binding, subject).
_broad_grants := {g |
	some subject, refs in input.bindingsBySpecialSubject
	broad(subject)
	some ref in refs
	g := {
		"subject": subject,
		"binding": ref.name,
		"role": ref.role,
		"namespace": binding_scope(ref.name),
		"provenance": ref.provenance,
	}
}

# grantsByRole[key] counts the grants (distinct subjects of each binding) of role key's
# bindings: [0] all, [1] through bindings with provenance "user", [2] [3] the same through
# ClusterRoleBindings only, [4] [5] of [1] [3] those to group-like subjects; [6] [7] (no longer read) are the
# index in bindingsByRole[key] of the first (by name) user binding naming a subject, any or a
# ClusterRoleBinding (-1: none). _counts(key, cluster_only) is them as seen by a role holding
# a permission on cluster-scoped terms only, which grants it through ClusterRoleBindings only.
# A role without bindings has none.
_counts(key, false) := input.grantsByRole[key]

_counts(key, true) := [c[2], c[3], c[2], c[3], c[5], c[5], c[7], c[7]] if c := input.grantsByRole[key]

# held is [[key, cluster_only, counts], ...]; read by index (WASM pays dearly for destructuring
# each element of a comprehension's array pattern).
_sum(held, i) := sum([h[2][i] | some h in held])

_grant(key, binding, subject) := {
	"subject": subject,
	"binding": binding.name,
	"role": key,
	"namespace": binding_scope(binding.name),
	"provenance": binding.provenance,
}

# _listed_holding is _listed of the judged grants (the user grants, and the broad grants of
# other provenance, others), each tier built only when the ones before it hold fewer than
# max_findings.
_listed_holding(held, others) := _judged_in(held, others, "all") if not _riskiest_only

_listed_holding(held, others) := _riskiest_holding(held, others) if _riskiest_only

_riskiest_holding(held, others) := _judged_in(held, others, "cluster groups") if {
	_sum(held, 5) + count([1 | some g in others; cluster_wide(g.binding)]) >= max_findings
} else := _judged_in(held, others, "cluster") if {
	_sum(held, 3) + count([1 | some g in others; cluster_wide(g.binding)]) >= max_findings
} else := _judged_in(held, others, "cluster and groups") if {
	(_sum(held, 3) + (_sum(held, 4) - _sum(held, 5))) + count(others) >= max_findings
} else := _judged_in(held, others, "all")

_judged_in(held, others, tier) := array.concat(
	[grant |
		some h in held
		h[2][_tier_count[tier]] > 0
		key := h[0]
		some binding in input.bindingsByRole[key]
		binding.provenance == "user"
		_binding_in_scope(binding.name, h[1])
		some i, subject in binding.subjects
		_in_tier(tier, binding.name, subject)
		_first_mention(binding.subjects, i, subject)
		grant := _grant(key, binding, subject)
	],
	[g | some g in others; _in_tier(tier, g.binding, g.subject)],
)

# Which count says that a role has grants in a tier.
_tier_count := {"cluster groups": 5, "cluster": 3, "cluster and groups": 1, "all": 1}

_in_tier("all", _, _) := true

_in_tier("cluster", binding, _) if cluster_wide(binding)

_in_tier("cluster groups", binding, subject) if {
	cluster_wide(binding)
	_group_like(subject)
}

_in_tier("cluster and groups", binding, _) if cluster_wide(binding)

_in_tier("cluster and groups", binding, subject) if {
	not cluster_wide(binding)
	_group_like(subject)
}
