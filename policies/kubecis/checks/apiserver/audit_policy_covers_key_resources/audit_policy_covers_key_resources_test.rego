package kubecis.checks.apiserver.audit_policy_covers_key_resources_test

import data.kubecis.checks.apiserver.audit_policy_covers_key_resources as check
import data.kubecis.lib.testing

_cis_policy := [
	{"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"]},
	{"level": "Metadata", "resources": [{"group": "", "resources": ["secrets", "configmaps"]}, {"group": "authentication.k8s.io", "resources": ["tokenreviews"]}]},
	{"level": "RequestResponse", "resources": [{"group": "", "resources": ["pods/exec", "pods/portforward", "pods/proxy", "services/proxy"]}]},
	{"level": "Request", "resources": [{"group": "", "resources": ["pods"]}, {"group": "apps", "resources": ["deployments"]}]},
	{"level": "Metadata"},
]

test_cis_style_policy_passes if {
	r := check.result with input as object.union(testing.apiserver_at({"audit-policy-file": "/etc/kubernetes/audit/policy.yaml"}, 33), {"files": {"audit-policy-file": {"path": "/etc/kubernetes/audit/policy.yaml", "status": "read", "content": {"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": _cis_policy}}}})
	r.status == "pass"
	r.id == "KAS-0044"
	count(r.evidence.coverage) == 9
}

test_catch_all_metadata_passes if {
	r := check.result with input as object.union(testing.apiserver_at({"audit-policy-file": "/etc/kubernetes/audit/policy.yaml"}, 33), {"files": {"audit-policy-file": {"path": "/etc/kubernetes/audit/policy.yaml", "status": "read", "content": {"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "Metadata"}]}}}})
	r.status == "pass"
}

test_request_response_for_secrets_fails if {
	r := check.result with input as object.union(testing.apiserver_at({"audit-policy-file": "/etc/kubernetes/audit/policy.yaml"}, 33), {"files": {"audit-policy-file": {"path": "/etc/kubernetes/audit/policy.yaml", "status": "read", "content": {"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "RequestResponse"}]}}}})
	r.status == "fail"
	contains(r.reason, "secrets at RequestResponse, configmaps at RequestResponse, tokenreviews.authentication.k8s.io at RequestResponse")
}

test_subresource_wildcards_and_gaps if {
	rules := [
		{"level": "Metadata", "resources": [{"resources": ["secrets", "configmaps"]}, {"group": "authentication.k8s.io"}]},
		{"level": "Request", "resources": [{"resources": ["pods", "pods/*"]}]},
		{"level": "None", "resources": [{"resources": ["*/proxy"]}]},
	]
	r := check.result with input as object.union(testing.apiserver_at({"audit-policy-file": "/etc/kubernetes/audit/policy.yaml"}, 33), {"files": {"audit-policy-file": {"path": "/etc/kubernetes/audit/policy.yaml", "status": "read", "content": {"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": rules}}}})
	r.status == "fail"
	endswith(r.reason, "deployments.apps at None, services/proxy at None")
}

test_flag_absent_fails if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
}

test_file_not_given_warns if {
	r := check.result with input as testing.apiserver({"audit-policy-file": "/etc/kubernetes/audit/policy.yaml"})
	r.status == "warn"
}

test_invalid_file_is_an_error if {
	doc := object.union(testing.apiserver({"audit-policy-file": "/p.yaml"}), {"files": {"audit-policy-file": {"path": "/p.yaml", "status": "invalid", "error": "line 3: mapping values are not allowed"}}})
	r := check.result with input as doc
	r.status == "error"
}
