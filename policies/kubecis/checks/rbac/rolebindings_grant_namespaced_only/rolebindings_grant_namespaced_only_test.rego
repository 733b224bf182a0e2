package kubecis.checks.rbac.rolebindings_grant_namespaced_only_test

import data.kubecis.checks.rbac.rolebindings_grant_namespaced_only as check
import data.kubecis.lib.testing

_roles := {"ClusterRole:node-reader": {"rules": [testing.rule(["get"], [""], ["nodes", "pods"]), testing.url_rule(["get"], ["/metrics"])]}}

test_rolebinding_to_cluster_scoped_rules_warns if {
	r := check.result with input as testing.snapshot(_roles, {"RoleBinding:a/x": {"role": "ClusterRole:node-reader", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.evidence.findings == {{"binding": "RoleBinding:a/x", "role": "ClusterRole:node-reader", "namespace": "a", "ineffective": ["/metrics", "nodes"]}}
}

test_clusterrolebinding_passes if {
	r := check.result with input as testing.snapshot(_roles, {"ClusterRoleBinding:x": {"role": "ClusterRole:node-reader", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
}

_delegator := {"ClusterRole:d": {"rules": [
	testing.rule(["bind"], ["rbac.authorization.k8s.io"], ["clusterroles"]),
	testing.rule(["escalate"], ["rbac.authorization.k8s.io"], ["clusterroles"]),
	testing.rule(["get", "patch"], [""], ["namespaces"]),
]}}

test_verbs_checked_in_the_namespace_are_effective if {
	r := check.result with input as testing.snapshot(_delegator, {"RoleBinding:a/x": {"role": "ClusterRole:d", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.evidence.findings == {{"binding": "RoleBinding:a/x", "role": "ClusterRole:d", "namespace": "a", "ineffective": ["clusterroles"]}}
}
