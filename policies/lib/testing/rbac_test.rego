# RBAC test helpers: builders for RbacSnapshot input documents in Rego unit tests (not
# shipped). The indexes the host builds (bindingsByRole, grantsBySubject, subjects) are
# derived here the slow way.
package lib.testing

# rule(verbs, groups, resources) is a normalized PolicyRule.
rule(verbs, groups, resources) := {
	"verbs": verbs, "apiGroups": groups, "resources": resources,
	"resourceNames": [], "nonResourceURLs": [],
}

# url_rule(verbs, urls) is a nonResourceURLs rule.
url_rule(verbs, urls) := {"verbs": verbs, "apiGroups": [], "resources": [], "resourceNames": [], "nonResourceURLs": urls}

# snapshot(roles, bindings, service_accounts): roles keyed "ClusterRole:x" / "Role:ns/x"
# ({rules, provenance?, aggregation?, aggregatedInto?}); bindings keyed
# "ClusterRoleBinding:x" / "RoleBinding:ns/x" ({role, subjects, provenance?});
# service_accounts keyed "ns/name" ({automountServiceAccountToken}).
snapshot(roles, bindings, service_accounts) := {
	"apiVersion": "kubecis.dev/v1alpha1",
	"kind": "RbacSnapshot",
	"metadata": {"source": {"path": "rbac.yaml", "format": "rbac", "files": ["rbac.yaml"]}},
	"kubernetesVersion": {"version": null, "source": "unknown"},
	"diagnostics": [],
	"collected": {
		"ClusterRole": count([k | some k, _ in roles; startswith(k, "ClusterRole:")]),
		"Role": count([k | some k, _ in roles; startswith(k, "Role:")]),
		"ClusterRoleBinding": count([k | some k, _ in bindings; startswith(k, "ClusterRoleBinding:")]),
		"RoleBinding": count([k | some k, _ in bindings; startswith(k, "RoleBinding:")]),
		"ServiceAccount": count(service_accounts),
	},
	"roles": {k: object.union({"kind": split(k, ":")[0], "provenance": "user", "rules": []}, r) | some k, r in roles},
	"bindings": {k: _binding(k, b, roles) | some k, b in bindings},
	"subjects": {s: _subject(s, service_accounts) | some b in bindings; some s in b.subjects},
	"serviceAccounts": {k: {
		"namespace": split(k, "/")[0], "name": split(k, "/")[1],
		"automountServiceAccountToken": object.get(sa, "automountServiceAccountToken", null),
	} |
		some k, sa in service_accounts
	},
	"bindingsByRole": {role: sort([k | some k, b in bindings; b.role == role]) | some b in bindings; role := b.role},
	"grantsBySubject": {s: {scope: [g | some g in grants; g.scope == scope] | some g0 in grants; scope := g0.scope} |
		some b in bindings
		some s in b.subjects
		grants := [{"binding": k, "role": b2.role, "scope": _scope(k)} | some k, b2 in bindings; some s2 in b2.subjects; s2 == s]
		count(grants) > 1
	},
	"rolesByResource": {resource: sort({k | some k, r in roles; some rule in r.rules; resource in rule.resources}) |
		some r in roles
		some rule in r.rules
		some resource in rule.resources
	},
}

_binding(key, b, roles) := object.union(
	{
		"kind": split(key, ":")[0], "name": key, "provenance": "user",
		"roleExists": b.role in object.keys(roles), "scope": _scope(key),
	},
	b,
)

_scope(key) := "cluster" if startswith(key, "ClusterRoleBinding:")

_scope(key) := split(trim_prefix(key, "RoleBinding:"), "/")[0] if startswith(key, "RoleBinding:")

_subject(key, service_accounts) := {"kind": "ServiceAccount", "namespace": ns, "name": name, "groups": [], "exists": exists} if {
	startswith(key, "ServiceAccount:")
	[ns, name] := split(trim_prefix(key, "ServiceAccount:"), "/")
	count(service_accounts) > 0
	exists := concat("/", [ns, name]) in object.keys(service_accounts)
}

_subject(key, service_accounts) := {"kind": "ServiceAccount", "namespace": ns, "name": name, "groups": []} if {
	startswith(key, "ServiceAccount:")
	[ns, name] := split(trim_prefix(key, "ServiceAccount:"), "/")
	count(service_accounts) == 0
}

_subject(key, _) := {"kind": kind, "name": substring(key, count(kind) + 1, -1), "groups": []} if {
	not startswith(key, "ServiceAccount:")
	kind := split(key, ":")[0]
}
