package kubecis.lib.rbac_test

import data.kubecis.lib.rbac

test_cluster_scoped_by_group if {
	rbac.cluster_scoped("", "nodes")
	rbac.cluster_scoped("", "nodes/proxy")
	rbac.cluster_scoped("networking.k8s.io", "ipaddresses")
	rbac.cluster_scoped("*", "ipaddresses")
	not rbac.cluster_scoped("example.com", "nodes")
	not rbac.cluster_scoped("", "ipaddresses")
	not rbac.cluster_scoped("*", "pods")
	not rbac.cluster_scoped("", "namespaces")
}

# Which permission entries only ClusterRoleBindings grant is read from the scope table; this
# is every such entry (the others are granted by RoleBindings too).
test_cluster_only_permissions if {
	cluster_only := {[name, i] |
		some name, perms in data.kubecis.rbac.permissions
		some i, perm in perms
		rbac.cluster_only_permission(perm)
	}
	cluster_only == {
		["rbac-escalation", 2],
		["rbac-write", 1],
		["impersonate", 1],
		["impersonate", 2],
		["pv-create", 0],
		["nodes-proxy", 0],
		["csr-approval", 0],
		["webhook-configs", 0],
		["nodes-status-write", 0],
		["pods-remove", 3],
		["nodes-cordon", 0],
	}
}

test_cluster_scoped_entries_are_well_formed if {
	every group, entries in data.kubecis.rbac.cluster_scoped {
		is_string(group)
		count(entries) > 0
		every name, entry in entries {
			regex.match(`^[a-z0-9]+$`, name)
			every key, _ in entry {
				key in {"since", "until", "namespace_checked"}
			}
			_minor_or_absent(entry, "since")
			_minor_or_absent(entry, "until")
		}
	}
}

_minor_or_absent(entry, key) if not entry[key]

_minor_or_absent(entry, key) if regex.match(`^1\.[0-9]+$`, entry[key])
