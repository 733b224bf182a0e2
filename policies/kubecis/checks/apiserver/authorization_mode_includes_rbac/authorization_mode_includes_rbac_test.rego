package kubecis.checks.apiserver.authorization_mode_includes_rbac_test

import data.kubecis.checks.apiserver.authorization_mode_includes_rbac as check
import data.kubecis.lib.testing

test_node_rbac_passes if {
	r := check.result with input as testing.apiserver({"authorization-mode": ["Node", "RBAC"]})
	r.status == "pass"
	r.id == "KAS-0004"
}

test_missing_mode_fails if {
	r := check.result with input as testing.apiserver({"authorization-mode": ["Node"]})
	r.status == "fail"
	r.reason == "--authorization-mode=Node: the RBAC authorizer is not enabled"
}

test_flag_absent_fails_by_default if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	r.evidence.flag.default == true
}

test_case_matters if {
	r := check.result with input as testing.apiserver({"authorization-mode": ["rbac"]})
	r.status == "fail"
}

test_authorization_config_needs_review if {
	r := check.result with input as testing.apiserver({"authorization-config": "/etc/kubernetes/authz.yaml"})
	r.status == "warn"
}

test_authorization_config_file_satisfies if {
	r := check.result with input as object.union(testing.apiserver({"authorization-config": "/etc/kubernetes/authz.yaml"}), {"files": {"authorization-config": {"path": "/etc/kubernetes/authz.yaml", "status": "read", "content": {"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AuthorizationConfiguration", "authorizers": [{"type": "Node", "name": "node"}, {"type": "RBAC", "name": "rbac"}]}}}})
	r.status == "pass"
	r.evidence.satisfiedBy == "authorization-config"
	r.evidence.authorizers == [{"type": "Node", "name": "node"}, {"type": "RBAC", "name": "rbac"}]
}

test_authorization_config_file_can_fail if {
	r := check.result with input as object.union(testing.apiserver({"authorization-config": "/etc/kubernetes/authz.yaml"}), {"files": {"authorization-config": {"path": "/etc/kubernetes/authz.yaml", "status": "read", "content": {"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AuthorizationConfiguration", "authorizers": [{"type": "Node", "name": "node"}, {"type": "Webhook", "name": "webhook"}]}}}})
	r.status == "fail"
	r.reason == "--authorization-config=/etc/kubernetes/authz.yaml (authorizers: Node,Webhook): the RBAC authorizer is not enabled"
}

test_unreadable_authorization_config_is_an_error if {
	r := check.result with input as object.union(testing.apiserver({"authorization-config": "/etc/kubernetes/authz.yaml"}), {"files": {"authorization-config": {"path": "/etc/kubernetes/authz.yaml", "status": "unreadable", "error": "permission denied"}}})
	r.status == "error"
	r.reason == "--authorization-config=/etc/kubernetes/authz.yaml is unreadable: permission denied"
}
