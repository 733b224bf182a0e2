# The risk order of findings (package kubecis.lib.rbac, METADATA in rbac.rego), as the host
# ranks a result's evidence.findings (src/rank.ts riskKey): the reasons that name one finding
# name the riskiest by the same key. Breadth (cluster-wide first), subject (everyone, every
# authenticated identity, every ServiceAccount, a namespace's ServiceAccounts, any Group, a
# ServiceAccount, a User, none), the most powerful class the finding's role holds (power_order),
# then more classes first. The host breaks ties of the key by canonical JSON, which Rego cannot
# reproduce; here they fall to OPA's value order, so a reason names a finding of the top key,
# which may be another one of that key than the list's first.
package kubecis.lib.rbac

# power_order is POWER_ORDER of src/rank.ts, most powerful first (test/rank-reasons.test.ts holds the
# two equal).
power_order := [
	"wildcard",
	"rbac-escalation",
	"impersonate",
	"nodes-proxy",
	"serviceaccount-token",
	"webhook-configs",
	"csr-approval",
	"rbac-write",
	"configmaps-write",
	"secrets-read",
	"secrets-write",
	"pods-create",
	"workloads-write",
	"pods-exec",
	"pods-modify",
	"pods-ephemeral",
	"pods-proxy",
	"pv-create",
	"nodes-cordon",
	"pods-remove",
	"services-status-write",
	"nodes-status-write",
	"pods-status-write",
	"workloads-delete",
	"events-delete",
]

_power_index := {name: i | some i, name in power_order}

# riskiest(findings, powers) is the finding of findings (a set or an array) that ranks first
# by risk_key, powers as an access result's evidence.powers (role key to its power; {} when
# the findings carry their own or none).
riskiest(findings, powers) := pair[1] if {
	pair := min({[risk_key(f, powers), f] | some f in findings})
}

# risk_key(f, powers) is src/rank.ts riskKey of f once the host has given it its role's power
# (src/engine/opa-wasm.ts givePower): smaller is riskier.
risk_key(f, powers) := (((((_breadth_rank(f) * 8) + _subject_rank(f)) * 32) + _best_power(p)) * 64) + (63 - min([count(p), 63])) if {
	p := [name | some name in _power(f, powers); is_string(name)]
}

_power(f, powers) := powers[f.role] if {
	is_string(f.role)
	is_array(powers[f.role])
} else := f.power if {
	is_array(f.power)
} else := []

# The most powerful class: its index in power_order; a name it does not know after them; none last.
_best_power(p) := min([object.get(_power_index, name, count(power_order)) | some name in p]) if {
	count(p) > 0
} else := count(power_order) + 1

# Cluster-wide (0): by the binding when the finding names one, else by the namespace value
# "cluster", else by the role.
_breadth_rank(f) := 0 if {
	_cluster_wide_finding(f)
} else := 1

_cluster_wide_finding(f) if {
	is_string(f.binding)
	cluster_wide(f.binding)
}

_cluster_wide_finding(f) if {
	not _string_field(f, "binding")
	f.namespace == "cluster"
}

_cluster_wide_finding(f) if {
	not _string_field(f, "binding")
	not _string_field(f, "namespace")
	is_string(f.role)
	startswith(f.role, "ClusterRole:")
}

# (`not is_string(f.binding)` is undefined, not true, when f has no binding.)
_string_field(f, key) if is_string(f[key])

_broad_subject_rank := {
	"Group:system:unauthenticated": 0,
	"User:system:anonymous": 0,
	"Group:system:authenticated": 1,
	"Group:system:serviceaccounts": 2,
}

_subject_kind_rank := {"Group": 4, "ServiceAccount": 5, "User": 6}

_subject_rank(f) := _broad_subject_rank[f.subject] if {
	is_string(f.subject)
} else := 3 if {
	is_string(f.subject)
	startswith(f.subject, "Group:system:serviceaccounts:")
} else := object.get(_subject_kind_rank, substring(f.subject, 0, indexof(f.subject, ":")), 7) if {
	is_string(f.subject)
	indexof(f.subject, ":") >= 0
} else := 7
