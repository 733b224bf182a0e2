package kubecis.checks.rbac.no_dangling_bindings_test

import data.kubecis.checks.rbac.no_dangling_bindings as check
import data.kubecis.lib.testing

test_missing_role_fails if {
	r := check.result with input as testing.snapshot({"Role:a/r": {}}, {"RoleBinding:a/x": {"role": "Role:a/gone", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {{"kind": "missing-role", "binding": "RoleBinding:a/x", "role": "Role:a/gone", "provenance": "user"}}
	contains(r.reason, "RoleBinding:a/x references missing Role:a/gone")
}

test_missing_service_account_fails if {
	r := check.result with input as testing.snapshot({"Role:a/r": {}}, {"RoleBinding:a/x": {"role": "Role:a/r", "subjects": ["ServiceAccount:a/ghost"]}}, {"a/default": {}}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	contains(r.reason, "names missing ServiceAccount:a/ghost")
}

test_platform_binding_to_missing_service_account_is_counted if {
	bindings := {"ClusterRoleBinding:system:kube-dns": {"role": "ClusterRole:r", "subjects": ["ServiceAccount:kube-system/kube-dns"], "provenance": "bootstrap"}}
	r := check.result with input as testing.snapshot({"ClusterRole:r": {}}, bindings, {"kube-system/coredns": {}}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.evidence.platformMissingServiceAccounts == 1
}

test_role_kind_not_collected_warns if {
	r := check.result with input as testing.snapshot({"ClusterRole:r": {}}, {"RoleBinding:a/x": {"role": "Role:a/r", "subjects": ["User:u"]}}, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.evidence.notJudged == 1
}

test_assumed_bootstrap_role_passes if {
	bindings := {"RoleBinding:a/x": {"role": "ClusterRole:view", "subjects": ["User:u"], "roleAssumed": true}}
	r := check.result with input as testing.snapshot({"ClusterRole:mine": {}}, bindings, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.evidence.assumedBootstrapRoles == 1
}
