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

# The host lists the pairs of a subject's grants that can overlap (grantPairs: both grants,
# with their positions among the subject's grants in their scope; the other grant is in the
# same scope or cluster-wide) and
# the roles whose rules Cover another's (roleCovers, Kubernetes' Covers), so each pair is
# judged here with keyed lookups. The reported grant (i) is always through a non-platform
# binding.
_exact contains finding if {
	some subject, pairs in input.grantPairs
	some p in pairs
	p.otherScope == p.scope
	p.index != p.otherIndex
	p.role == p.otherRole
	_removable(p)
	_report_first(p)
	finding := {
		"kind": "duplicate", "subject": subject, "binding": p.binding, "alsoVia": p.otherBinding,
		"role": p.role, "namespace": p.scope,
	}
}

# The pair's grant (binding, role) can be removed: a user binding to an existing role.
_removable(p) if {
	p.provenance == "user"
	input.roles[p.role]
}

# Of two identical grants report one: the one through a user binding when the other is a
# platform binding, else the later one (a binding listing the subject twice included).
_report_first(p) if p.otherProvenance != "user"

_report_first(p) if {
	p.otherProvenance == "user"
	p.index > p.otherIndex
}

_shadowed contains finding if {
	some subject, pairs in input.grantPairs
	some p in pairs
	_owner_scope(p.scope, p.otherScope)
	p.otherBinding != p.binding
	_covering(p)
	_removable(p)
	finding := {
		"kind": "covered", "subject": subject, "binding": p.binding, "coveredBy": p.otherBinding,
		"role": p.role, "coveringRole": p.otherRole, "namespace": p.scope,
	}
}

# A grant overlaps only grants in its own scope or cluster-wide ones.
_owner_scope(scope, scope) := true

_owner_scope(_, "cluster") := true

# The same role cluster-wide covers its grant in a namespace; a different role must Cover it
# where the grant applies (through a RoleBinding: the namespace's resources only).
_covering(p) if {
	p.role == p.otherRole
	p.scope != p.otherScope
}

_covering(p) if {
	p.role != p.otherRole
	input.roles[p.otherRole]
	input.roleCovers[p.role][p.otherRole][_where_granted(p.scope)]
}

_where_granted("cluster") := "cluster"

_where_granted(scope) := "namespace" if scope != "cluster"

_findings := _exact | _shadowed

_evidence := rbac.findings_evidence(_findings, {"subjectsWithSeveralGrants": input.subjectsWithSeveralGrants})

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
