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

# The host groups each subject's grants by scope (grantsBySubject[subject][scope]), so only
# grants that can overlap are paired: two in the same scope, or one in a namespace and one
# cluster-wide. The reported grant (i) is always through a non-platform binding.
_exact contains finding if {
	some subject, scopes in input.grantsBySubject
	some scope, grants in scopes
	some i, gi in grants
	_removable(gi)
	some j, gj in grants
	i != j
	gi.role == gj.role
	_report_first(i, j, gi, gj)
	finding := {
		"kind": "duplicate", "subject": subject, "binding": gi.binding, "alsoVia": gj.binding,
		"role": gi.role, "namespace": scope,
	}
}

_removable(grant) if {
	input.bindings[grant.binding].provenance == "user"
	input.roles[grant.role]
}

# Of two identical grants report one: the one through a user binding when the other is a
# platform binding, else the later one (a binding listing the subject twice included).
_report_first(_, _, _, gj) if input.bindings[gj.binding].provenance != "user"

_report_first(i, j, _, gj) if {
	input.bindings[gj.binding].provenance == "user"
	i > j
}

# Distinct (servant role, owner role, namespaced) triples: Covers is computed once per triple.
_pairs contains [gi.role, gj.role, gi.scope != "cluster"] if {
	some scopes in input.grantsBySubject
	some grants in scopes
	some gi in grants
	_removable(gi)
	some gj in _owners(scopes, gi)
	gi.role != gj.role
	input.roles[gj.role]
}

_owners(scopes, gi) := scopes[gi.scope] if gi.scope == "cluster"

_owners(scopes, gi) := array.concat(scopes[gi.scope], object.get(scopes, "cluster", [])) if gi.scope != "cluster"

_covered contains pair if {
	some pair in _pairs
	not _resource_gap(pair)
	rbac.covers(input.roles[pair[1]].rules, input.roles[pair[0]].rules, pair[2])
}

# A cheap necessary condition first (WASM does not stop a search at its first answer): every
# resource the servant grants must be written, as itself, "*" or "*/<sub>", in the owner.
_resource_gap([servant, owner, namespaced]) if {
	some resource in _written[servant]
	not _ineffective(resource, namespaced)
	not _written_covers(owner, resource)
}

_ineffective(resource, true) if rbac.cluster_scoped(resource)

_pair_roles contains pair[0] if some pair in _pairs

_pair_roles contains pair[1] if some pair in _pairs

_written[key] := {resource | some rule in input.roles[key].rules; some resource in rule.resources} if some key in _pair_roles

_written_covers(owner, _) if _written[owner]["*"]

_written_covers(owner, resource) if _written[owner][resource]

_written_covers(owner, resource) if {
	parts := split(resource, "/")
	count(parts) == 2
	_written[owner][concat("", ["*/", parts[1]])]
}

_shadowed contains finding if {
	some subject, scopes in input.grantsBySubject
	some grants in scopes
	some gi in grants
	_removable(gi)
	some gj in _owners(scopes, gi)
	gj.binding != gi.binding
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

# A keyed lookup, not `in`: WASM implements membership in a set as a linear scan.
_covering(gi, gj) if _covered[[gi.role, gj.role, gi.scope != "cluster"]]

_findings := _exact | _shadowed

_evidence := rbac.findings_evidence(_findings, {"subjectsWithSeveralGrants": count(input.grantsBySubject)})

result := result.new(rego.metadata.chain(), "pass", "", _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
}

result := result.new(
	rego.metadata.chain(),
	"fail",
	concat("", [format_int(count(_findings), 10), " redundant grant(s) (first: ", _describe(min(_findings)), ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}

_describe(f) := concat("", [f.subject, " gets ", f.role, " through both ", f.binding, " and ", f.alsoVia]) if f.kind == "duplicate"

_describe(f) := concat("", [f.subject, ": ", f.binding, " (", f.role, ") is covered by ", f.coveredBy, " (", f.coveringRole, ")"]) if {
	f.kind == "covered"
}
