package kubecis.checks.apiserver.anonymous_auth_disabled_test

import data.kubecis.checks.apiserver.anonymous_auth_disabled as check
import data.kubecis.lib.testing

test_flag_false_passes if {
	r := check.result with input as testing.apiserver({"anonymous-auth": false})
	r.status == "pass"
	r.id == "KAS-0001"
	r.evidence.flag.value == false
	r.evidence.flag.origin.line == 7
}

test_flag_true_fails if {
	r := check.result with input as testing.apiserver({"anonymous-auth": true})
	r.status == "fail"
	r.reason == "--anonymous-auth=true: anonymous requests are accepted"
}

test_flag_absent_fails_by_default if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	r.evidence.flag.default == true
	r.reason == "--anonymous-auth=true (default): anonymous requests are accepted"
}

test_unknown_version_uses_current_default if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "fail"
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver({}), {"flags": {"anonymous-auth": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc
	r.status == "error"
	r.reason == "--anonymous-auth=maybe: invalid boolean; kube-apiserver does not start with it, so this cannot be judged"
}

test_authentication_config_needs_review if {
	r := check.result with input as testing.apiserver({"authentication-config": "/etc/kubernetes/authn.yaml"})
	r.status == "warn"
	contains(r.reason, "/etc/kubernetes/authn.yaml")
}

test_flag_false_with_authentication_config_passes if {
	r := check.result with input as testing.apiserver({"anonymous-auth": false, "authentication-config": "/etc/kubernetes/authn.yaml"})
	r.status == "pass"
}

test_other_kinds_are_not_judged if {
	not check.result with input as {"kind": "RbacSnapshot"}
}

_authn(content) := object.union(
	testing.apiserver({"authentication-config": "/etc/kubernetes/authn.yaml"}),
	{"files": {"authentication-config": {"path": "/etc/kubernetes/authn.yaml", "status": "read", "content": content}}},
)

test_authentication_config_disabling_anonymous_passes if {
	r := check.result with input as _authn({"kind": "AuthenticationConfiguration", "anonymous": {"enabled": false}})
	r.status == "pass"
	r.evidence.satisfiedBy == "authentication-config"
}

test_authentication_config_enabling_anonymous_fails if {
	r := check.result with input as _authn({"anonymous": {"enabled": true, "conditions": [{"path": "/livez"}, {"path": "/readyz"}]}})
	r.status == "fail"
	r.reason == "--authentication-config=/etc/kubernetes/authn.yaml enables anonymous requests (anonymous.enabled: true for /livez, /readyz)"
	s := check.result with input as _authn({"anonymous": {"enabled": true}})
	s.reason == "--authentication-config=/etc/kubernetes/authn.yaml enables anonymous requests (anonymous.enabled: true)"
}

test_authentication_config_without_anonymous_block_fails if {
	r := check.result with input as _authn({"jwt": []})
	r.status == "fail"
	contains(r.reason, "has no anonymous block")
}

test_unreadable_authentication_config_is_an_error if {
	doc := object.union(
		testing.apiserver({"authentication-config": "/etc/kubernetes/authn.yaml"}),
		{"files": {"authentication-config": {"path": "/etc/kubernetes/authn.yaml", "status": "invalid", "error": "line 2: bad indentation"}}},
	)
	r := check.result with input as doc
	r.status == "error"
}
