# METADATA
# title: No subject holds the same permission through two bindings
# description: >-
#   When a permission reaches a subject through two bindings, revoking one leaves the
#   access in place. Per subject (never pairwise across the cluster): the same role in the
#   same scope twice (two bindings, or the subject listed twice in one binding), and a
#   grant whose rules are all covered, by Kubernetes' own Covers semantics, by another
#   grant of the subject in the same namespace or cluster-wide. Two different roles that
#   cover each other (identical rules) are one duplicate, which names the binding to keep:
#   the one through a platform binding, else the first in the export's order. A grant that
#   gives nothing where it is granted is reported as ineffective (KRB-0017), not here. Only
#   grants through non-platform bindings are reported (they are the removable ones).
# custom:
#   id: KRB-0003
#   severity: low
#   inventory: whole
#   frameworks:
#     seed-2020: ["S41"]
#   remediation: >-
#     Delete the redundant binding named in each finding (or remove the subject from it);
#     keep the one that covers it. A subject listed twice in one binding: remove one of the
#     two entries.
#   parameters: [rbac-max-findings]
#   reads: [assumedRoles, collected, grantPairs, missingRoles, roleCovers, subjectsWithSeveralGrants]
# schemas:
#   - input: schema["rbacsnapshot.schema"]
package kubecis.checks.rbac.no_duplicated_permissions

import data.kubecis.lib.rbac
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# The host lists the pairs of a subject's grants that can overlap (grantPairs: the grants in
# some pair, in binding order, each {binding, role, scope, provenance}, and the pairs as
# [grant, other] positions among them; the other grant is in the same scope or cluster-wide)
# and the roles whose rules Cover another's (roleCovers, Kubernetes' Covers), so each pair is
# judged here with keyed lookups. The reported grant is always through a non-platform binding.
# Both kinds of finding go into the one set (no union: at 100k bindings that copy cost
# ~0.1 s of WASM). The same role twice in one scope:
_findings contains finding if {
	some subject, subject_pairs in input.grantPairs
	some [i, j] in subject_pairs.pairs
	i != j
	grant := subject_pairs.grants[i]
	other := subject_pairs.grants[j]
	_place(other) == _place(grant)
	other.role == grant.role
	_removable(grant)
	_report_first(other, i, j)
	finding := {
		"kind": "duplicate", "subject": subject, "binding": grant.binding, "alsoVia": other.binding,
		"role": grant.role, "namespace": grant.scope,
	}
}

# The grant (binding, role) can be removed: a user binding to a role that exists.
_removable(grant) if {
	grant.provenance == "user"
	not _gone[grant.role]
}

# Roles that bindings name and that do not exist: missing from the input and not assumed
# (a grant names only roles that bindings name, so this, and not the whole roles map, tells
# whether its role exists). A bootstrap role assumed to exist when the export holds none
# (assumedRoles: admin, view, …) exists: two grants of it are a duplicate, though its rules
# are unknown, so it covers no other role (roleCovers never names it). A snapshot must carry
# missingRoles and assumedRoles (the schema requires them): without them every role would
# count as existing.
_gone := {role | some role in input.missingRoles; not _assumed[role]}

_assumed := {role | some role in input.assumedRoles}

# Of two identical grants report one: the one through a user binding when the other is a
# platform binding, else the later one in binding order (a binding listing the subject twice
# included).
_report_first(other, _, _) if other.provenance != "user"

_report_first(other, i, j) if {
	other.provenance == "user"
	i > j
}

# Two different roles that Cover each other grant the same permissions (identical rules, or
# the same written otherwise): one duplicate, not a mutual "covered" pair. Of the two, the
# grant reported is the one _report_first picks (keep the one through a platform binding,
# else the first in binding order), and the finding says which binding to keep.
_findings contains finding if {
	some subject, subject_pairs in input.grantPairs
	some [i, j] in subject_pairs.pairs
	grant := subject_pairs.grants[i]
	other := subject_pairs.grants[j]
	_equivalent(grant, other)
	_removable(grant)
	_report_first(other, i, j)
	finding := {
		"kind": "equivalent", "subject": subject, "binding": grant.binding, "alsoVia": other.binding,
		"role": grant.role, "sameAs": other.role, "namespace": grant.scope, "keep": other.binding,
	}
}

_equivalent(grant, other) if {
	_place(grant) == _place(other)
	grant.role != other.role
	where := _where_granted(grant)
	input.roleCovers[grant.role][other.role][where]
	input.roleCovers[other.role][grant.role][where]
}

# A grant covered by another grant in its scope or a cluster-wide one (and not equivalent to it):
_findings contains finding if {
	some subject, subject_pairs in input.grantPairs
	some [i, j] in subject_pairs.pairs
	grant := subject_pairs.grants[i]
	other := subject_pairs.grants[j]
	_owner_scope(_place(grant), _place(other))
	other.binding != grant.binding
	_covering(grant, other)
	not _equivalent(grant, other)
	_removable(grant)
	finding := {
		"kind": "covered", "subject": subject, "binding": grant.binding, "coveredBy": other.binding,
		"role": grant.role, "coveringRole": other.role, "namespace": grant.scope,
	}
}

# Where a grant applies: "*" (which no namespace can be named) for a ClusterRoleBinding's,
# else its namespace. A namespace may be named "cluster", the scope findings write for a
# cluster-wide grant, so scope alone cannot tell them apart.
_place(grant) := "*" if rbac.cluster_wide(grant.binding)

else := grant.scope

# A grant overlaps only grants in its own scope or cluster-wide ones.
_owner_scope(place, place) := true

_owner_scope(_, "*") := true

# The same role cluster-wide covers its grant in a namespace; a different role must Cover it
# where the grant applies (through a RoleBinding: the namespace's resources only). roleCovers
# names only roles the input has: a missing role covers nothing.
_covering(grant, other) if {
	grant.role == other.role
	_place(grant) != _place(other)
}

_covering(grant, other) if {
	grant.role != other.role
	input.roleCovers[grant.role][other.role][_where_granted(grant)]
}

_where_granted(grant) := "cluster" if rbac.cluster_wide(grant.binding)

else := "namespace"

# The host ranks findings by risk and shows the first rbac-max-findings: only those that can
# be among them are listed (every finding names the binding and subject it is about).
_evidence := rbac.findings_evidence(rbac.riskiest_findings(_findings), {
	"total": count(_findings),
	"subjectsWithSeveralGrants": input.subjectsWithSeveralGrants,
})

result := rbac.pass_unless_gap(_chain, {"bindings", "roles"}, input.collected, set(), _evidence) if {
	input.kind == "RbacSnapshot"
	count(_findings) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [format_int(count(_findings), 10), " redundant grant(s) (riskiest: ", _describe(rbac.riskiest(_findings, {})), ")"]),
	_evidence,
) if {
	input.kind == "RbacSnapshot"
	count(_findings) > 0
}

_describe(f) := concat("", [f.subject, " gets ", f.role, " through both ", f.binding, " and ", f.alsoVia]) if {
	f.kind == "duplicate"
	f.binding != f.alsoVia
}

_describe(f) := concat("", [f.subject, " is listed twice in ", f.binding, " (", f.role, ")"]) if {
	f.kind == "duplicate"
	f.binding == f.alsoVia
}

_describe(f) := concat("", [
	f.subject, " gets the same permissions through ", f.binding, " (", f.role, ") and ", f.alsoVia, " (", f.sameAs, "); keep ", f.keep,
]) if {
	f.kind == "equivalent"
}

_describe(f) := concat("", [f.subject, ": ", f.binding, " (", f.role, ") is covered by ", f.coveredBy, " (", f.coveringRole, ")"]) if {
	f.kind == "covered"
}
