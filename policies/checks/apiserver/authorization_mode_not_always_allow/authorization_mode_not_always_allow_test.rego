package checks.apiserver.authorization_mode_not_always_allow_test

import data.checks.apiserver.authorization_mode_not_always_allow as check
import data.lib.testing

test_node_rbac_passes if {
	r := check.result with input as testing.apiserver({"authorization-mode": ["Node", "RBAC"]})
	r.status == "pass"
	r.id == "KAS-0002"
}

test_always_allow_listed_fails if {
	r := check.result with input as testing.apiserver({"authorization-mode": ["Node", "RBAC", "AlwaysAllow"]})
	r.status == "fail"
	r.reason == "--authorization-mode=Node,RBAC,AlwaysAllow: AlwaysAllow authorizes every request"
}

test_flag_absent_fails_by_default if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	r.reason == "--authorization-mode=AlwaysAllow (default): AlwaysAllow authorizes every request"
}

test_authorization_config_needs_review if {
	r := check.result with input as testing.apiserver({"authorization-config": "/etc/kubernetes/authz.yaml"})
	r.status == "warn"
	r.evidence.authorizationConfig.value == "/etc/kubernetes/authz.yaml"
}
