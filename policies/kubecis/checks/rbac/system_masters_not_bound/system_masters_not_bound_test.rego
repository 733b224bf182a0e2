package kubecis.checks.rbac.system_masters_not_bound_test

import data.kubecis.checks.rbac.system_masters_not_bound as check
import data.kubecis.lib.testing

test_bootstrap_binding_passes if {
	bindings := {"ClusterRoleBinding:cluster-admin": {"role": "ClusterRole:cluster-admin", "subjects": ["Group:system:masters"], "provenance": "bootstrap"}}
	r := check.result with input as testing.snapshot({}, bindings, {})
	r.status == "pass"
}

test_custom_binding_fails if {
	bindings := {"ClusterRoleBinding:break-glass": {"role": "ClusterRole:view", "subjects": ["Group:system:masters"]}}
	r := check.result with input as testing.snapshot({}, bindings, {})
	r.status == "fail"
	contains(r.reason, "ClusterRoleBinding:break-glass")
}
