# METADATA
# title: No subject holds the same permission through two bindings
# description: >-
#   When a permission reaches a subject through two bindings, revoking one leaves the
#   access in place. Per subject (never pairwise across the cluster): the same role in the
#   same scope twice (two bindings, or the subject listed twice in one binding), and a
#   grant whose rules are all covered, by Kubernetes' own Covers semantics, by another
#   grant of the subject in the same namespace or cluster-wide. Only grants through
#   non-platform bindings are reported (they are the removable ones).
# custom:
#   id: KRB-0003
#   severity: low
#   frameworks:
#     seed-2020: ["S41"]
#   remediation: >-
#     Delete the redundant binding named in each finding (or remove the subject from it);
#     keep the one that covers it.
#   parameters: [rbac-max-findings]
package checks.rbac.no_duplicated_permissions

import data.lib.rbac
import data.lib.result

# Pairs (i, j) of one subject's grants where j could make i redundant: j in the same scope
# or cluster-wide, i through a non-platform binding, both roles present.
_candidates contains [subject, i, j] if {
	some subject, grants in input.grantsBySubject
	some i, gi in grants
	input.bindings[gi.binding].provenance == "user"
	input.roles[gi.role]
	some j, gj in grants
	i != j
	_scope_covers(gj.scope, gi.scope)
	input.roles[gj.role]
}

_scope_covers("cluster", _) := true

_scope_covers(scope, scope) := true

_exact contains finding if {
	some [subject, i, j] in _candidates
	gi := input.grantsBySubject[subject][i]
	gj := input.grantsBySubject[subject][j]
	gi.role == gj.role
	gi.scope == gj.scope
	_first_of_pair(i, j, gi, gj)
	finding := {
		"kind": "duplicate", "subject": subject, "binding": gi.binding, "alsoVia": gj.binding,
		"role": gi.role, "namespace": gi.scope,
	}
}

# Of two identical grants report one: the later one, or a binding listing the subject twice once.
_first_of_pair(i, j, gi, gj) if {
	gi.binding == gj.binding
	i > j
}

_first_of_pair(_, _, gi, gj) if {
	gi.binding != gj.binding
	input.bindings[gj.binding].provenance != "user"
}

_first_of_pair(i, j, gi, gj) if {
	gi.binding != gj.binding
	input.bindings[gj.binding].provenance == "user"
	i > j
}

# Distinct (servant role, owner role, namespaced) triples: Covers is computed once per triple.
_pairs contains [gi.role, gj.role, gi.scope != "cluster"] if {
	some [subject, i, j] in _candidates
	gi := input.grantsBySubject[subject][i]
	gj := input.grantsBySubject[subject][j]
	gi.role != gj.role
}

_covered contains pair if {
	some pair in _pairs
	rbac.covers(input.roles[pair[1]].rules, input.roles[pair[0]].rules, pair[2])
}

_shadowed contains finding if {
	some [subject, i, j] in _candidates
	gi := input.grantsBySubject[subject][i]
	gj := input.grantsBySubject[subject][j]
	_covering(gi, gj)
	finding := {
		"kind": "covered", "subject": subject, "binding": gi.binding, "coveredBy": gj.binding,
		"role": gi.role, "coveringRole": gj.role, "namespace": gi.scope,
	}
}

# The same role cluster-wide covers its grant in a namespace; a different role must Cover it.
_covering(gi, gj) if {
	gi.role == gj.role
	gi.scope != gj.scope
}

_covering(gi, gj) if [gi.role, gj.role, gi.scope != "cluster"] in _covered

_findings := _exact | _shadowed

_evidence := rbac.findings_evidence(_findings, {"subjectsWithSeveralGrants": count(input.grantsBySubject)})

result := result.new(rego.metadata.chain(), "pass", "", _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
}

result := result.new(
	rego.metadata.chain(),
	"fail",
	concat("", [format_int(count(_findings), 10), " redundant grant(s) (first: ", _describe(sort(_findings)[0]), ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}

_describe(f) := concat("", [f.subject, " gets ", f.role, " through both ", f.binding, " and ", f.alsoVia]) if f.kind == "duplicate"

_describe(f) := concat("", [f.subject, ": ", f.binding, " (", f.role, ") is covered by ", f.coveredBy, " (", f.coveringRole, ")"]) if {
	f.kind == "covered"
}
