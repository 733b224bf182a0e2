package kubecis.lib.rbac_test

import data.kubecis.lib.rbac

# risk_key equals src/rank.ts riskKey (these keys are riskKey's; test/rank-reasons.test.ts
# compares the two on generated findings).
test_risk_key_is_the_hosts if {
	rbac.risk_key({"subject": "Group:system:unauthenticated", "binding": "ClusterRoleBinding:x", "role": "ClusterRole:r", "power": ["wildcard"]}, {}) == 62
	rbac.risk_key({"subject": "Group:system:authenticated", "binding": "RoleBinding:a/x", "role": "ClusterRole:r", "power": ["secrets-read", "pods-exec"]}, {}) == 19069
	rbac.risk_key({"subject": "Group:system:serviceaccounts:kube-system", "namespace": "cluster"}, {}) == 7871
	rbac.risk_key({"subject": "ServiceAccount:a/b", "role": "ClusterRole:r", "power": ["nope"]}, {}) == 11902
	rbac.risk_key({"subject": "User:u", "namespace": "a", "role": "Role:a/r"}, {}) == 30399
	rbac.risk_key({"subject": "Odd:x", "role": "Role:a/r"}, {}) == 32447
	rbac.risk_key({"subject": "nocolon", "role": "Role:a/r"}, {}) == 32447
	rbac.risk_key({"pod": "a/p"}, {}) == 32447
	rbac.risk_key({"subject": "Group:g", "role": "ClusterRole:r"}, {}) == 9919
}

# An access result's powers (role key to power) give a grant its role's power, as the host does.
test_risk_key_reads_the_roles_power if {
	g := {"subject": "User:u", "binding": "RoleBinding:a/x", "role": "ClusterRole:r"}
	rbac.risk_key(g, {"ClusterRole:r": ["wildcard"]}) < rbac.risk_key(g, {"ClusterRole:r": ["pods-exec"]})
	rbac.risk_key(g, {"ClusterRole:r": ["pods-exec"]}) < rbac.risk_key(g, {})
}

# The riskiest finding is not the alphabetically first.
test_riskiest_is_not_the_alphabetically_first if {
	findings := {
		{"subject": "User:aaa", "binding": "RoleBinding:aa/x", "role": "Role:aa/r"},
		{"subject": "Group:system:authenticated", "binding": "RoleBinding:zz/x", "role": "Role:zz/r"},
	}
	min(findings).subject == "User:aaa"
	rbac.riskiest(findings, {}).subject == "Group:system:authenticated"
}
