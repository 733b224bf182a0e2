package kubecis.lib.audit.policy_test

import data.kubecis.lib.audit.policy
import data.kubecis.lib.testing

_v1(rules) := {"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": rules}

# requests to one resource, as the controls describe them
_secrets := {"group": "", "resource": "secrets", "subresource": "", "namespaced": true}

_pods := {"group": "", "resource": "pods", "subresource": "", "namespaced": true}

_exec := {"group": "", "resource": "pods", "subresource": "exec", "namespaced": true}

_proxy := {"group": "", "resource": "services", "subresource": "proxy", "namespaced": true}

_tokenreviews := {"group": "authentication.k8s.io", "resource": "tokenreviews", "subresource": "", "namespaced": false}

# ---- checker.go ruleMatches -----------------------------------------------------------------

test_a_rule_without_limits_matches_every_resource_request if {
	policy.reach({"level": "Metadata"}, _secrets) == "all"
	policy.reach({"level": "Metadata"}, _tokenreviews) == "all"
}

test_a_non_resource_url_rule_matches_no_resource_request if {
	policy.reach({"level": "None", "nonResourceURLs": ["/healthz*"]}, _secrets) == "none"
}

# ruleMatchesResource: "pods/*" matches pods with or without a subresource, "*/proxy" that
# subresource of every resource, "*" everything in the group; the group is compared exactly.
test_resource_wildcards if {
	pods_any := {"level": "Request", "resources": [{"resources": ["pods/*"]}]}
	policy.reach(pods_any, _pods) == "all"
	policy.reach(pods_any, _exec) == "all"
	policy.reach(pods_any, _proxy) == "none"
	any_proxy := {"level": "None", "resources": [{"resources": ["*/proxy"]}]}
	policy.reach(any_proxy, _proxy) == "all"
	policy.reach(any_proxy, _pods) == "none"
	policy.reach({"level": "None", "resources": [{"group": "apps", "resources": ["*"]}]}, _pods) == "none"
	policy.reach({"level": "None", "resources": [{"group": "authentication.k8s.io"}]}, _tokenreviews) == "all"
	policy.reach({"level": "None", "resources": [{"resources": ["pods"]}]}, _exec) == "none"
}

test_limits_make_a_rule_match_some_requests if {
	every limit in [
		{"users": ["backup"]},
		{"userGroups": ["system:authenticated", "system:unauthenticated"]},
		{"verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]},
		{"namespaces": ["kube-system"]},
		{"resources": [{"resources": ["secrets"], "resourceNames": ["db-password"]}]},
	] {
		policy.reach(object.union({"level": "None"}, limit), _secrets) == "some"
	}
}

# resourceNames on another group resource of the rule do not narrow this one.
test_resource_names_narrow_only_their_group_resource if {
	rule := {"level": "Metadata", "resources": [
		{"group": "", "resources": ["secrets"], "resourceNames": ["one"]},
		{"group": "", "resources": ["secrets", "configmaps"]},
	]}
	policy.reach(rule, _secrets) == "all"
	policy.names(rule, _secrets) == []
	named := {"level": "None", "resources": [{"resources": ["secrets"], "resourceNames": ["a", "b"]}]}
	policy.names(named, _secrets) == ["a", "b"]
}

# tokenreviews are cluster-scoped: their requests carry the namespace "".
test_namespaces_on_a_cluster_scoped_resource if {
	policy.reach({"level": "None", "namespaces": ["kube-system"]}, _tokenreviews) == "none"
	policy.reach({"level": "Metadata", "namespaces": [""]}, _tokenreviews) == "all"
	policy.reach({"level": "Metadata", "namespaces": [""]}, _secrets) == "some"
}

# kube-apiserver drops an unknown field: a misspelt limit limits nothing.
test_a_misspelt_limit_is_ignored if {
	policy.reach({"level": "None", "userGroup": ["system:nodes"]}, _secrets) == "all"
}

test_resource_path if {
	policy.resource_path(_pods) == "pods"
	policy.resource_path(_exec) == "pods/exec"
}

# ---- what a rule writes ---------------------------------------------------------------------

# NewChecker unions the Policy's omitStages into every rule's.
test_policy_and_rule_omit_stages_combine if {
	rule := {"level": "Metadata", "omitStages": ["ResponseComplete"]}
	doc := object.union(_v1([rule]), {"omitStages": ["RequestReceived"]})
	policy.silent(doc, rule)
	not policy.writes(doc, rule)
	policy.writes(_v1([rule]), rule)
}

test_omitting_request_received_still_writes if {
	rule := {"level": "Metadata"}
	policy.writes(object.union(_v1([rule]), {"omitStages": ["RequestReceived", "ResponseStarted", "Panic"]}), rule)
}

test_none_writes_nothing if {
	not policy.writes(_v1([]), {"level": "None"})
}

# Request level writes the request body: a DeleteOptions or nothing for reads and deletes.
test_request_level_logs_contents_only_with_a_body if {
	policy.logs_contents({"level": "RequestResponse", "verbs": ["get"]})
	policy.logs_contents({"level": "Request"})
	policy.logs_contents({"level": "Request", "verbs": ["get", "create"]})
	not policy.logs_contents({"level": "Request", "verbs": ["deletecollection"]})
	not policy.logs_contents({"level": "Metadata"})
}

test_absent_and_null_lists_are_empty if {
	policy.rules({"apiVersion": "audit.k8s.io/v1", "kind": "Policy"}) == []
	policy.list({"users": null}, "users") == []
	policy.list("not an object", "users") == []
}

# ---- what kube-apiserver refuses (apis/audit/validation ValidatePolicy, audit/policy/reader.go
# LoadPolicyFromBytes) ------------------------------------------------------------------------

test_refused_policies if {
	cases := [
		[[{"level": "Metdata"}], "rules[0].level: \"Metdata\" is not None, Metadata, Request or RequestResponse"],
		[[{"resources": [{"resources": ["secrets"]}]}], "rules[0].level: required"],
		[[{"level": "Metadata", "omitStages": ["ResponseDone"]}], "rules[0].omitStages: \"ResponseDone\" is not RequestReceived, ResponseStarted, ResponseComplete or Panic"],
		[[{"level": "Metadata", "resources": [{"resourceNames": ["x"]}]}], "rules[0].resources[0].resourceNames: using resourceNames requires at least one resource"],
		[[{"level": "Metadata", "nonResourceURLs": ["/healthz"], "namespaces": ["a"]}], "rules[0].nonResourceURLs: rules cannot apply to both regular resources and non-resource URLs"],
		[[{"level": "None", "nonResourceURLs": ["healthz"]}, {"level": "Metadata"}], "rules[0].nonResourceURLs: \"healthz\" must begin with a '/'"],
		[[{"level": "None", "nonResourceURLs": ["/api/*/x"]}, {"level": "Metadata"}], "rules[0].nonResourceURLs: \"/api/*/x\" may hold '*' only as its last character"],
		[[{"level": "Metadata", "resources": [{"group": "Apps", "resources": ["deployments"]}]}, {"level": "Metadata"}], "rules[0].resources[0].group: \"Apps\" is not a lower-case DNS subdomain"],
		[[{"level": "None", "users": "system:kube-proxy"}, {"level": "Metadata"}], "rules[0].users: not a list of strings"],
		[[{"level": "None", "verbs": ["get", 7]}, {"level": "Metadata"}], "rules[0].verbs: not a list of strings"],
		[[{"level": "Metadata", "resources": {"group": ""}}], "rules[0].resources: not a list of group resources"],
		[["Metadata"], "rules[0]: not a rule"],
		[[], "rules: the policy has no rules"],
	]
	every case in cases {
		case[1] in policy.refusals(_v1(case[0])) with input as testing.apiserver({})
	}
}

test_a_loadable_policy_is_not_refused if {
	count(policy.refusals(_v1([{"level": "None", "nonResourceURLs": ["/healthz*", "*"]}, {"level": "Metadata"}]))) == 0 with input as testing.apiserver({})
}

test_a_policy_without_rules_is_refused if {
	policy.refusals({"apiVersion": "audit.k8s.io/v1", "kind": "Policy"}) == {"rules: the policy has no rules"} with input as testing.apiserver({})
	policy.refusals(object.union(_v1([]), {"rules": "none"})) == {"rules: not a list of rules"} with input as testing.apiserver({})
}

test_a_bad_policy_level_omit_stage_is_refused if {
	refusals := policy.refusals(object.union(_v1([{"level": "Metadata"}]), {"omitStages": ["Panicked"]})) with input as testing.apiserver({})
	refusals == {"omitStages: \"Panicked\" is not RequestReceived, ResponseStarted, ResponseComplete or Panic"}
}

# audit.k8s.io/v1beta1 and v1alpha1 were removed in 1.24 (audit/policy/reader.go apiGroupVersions).
test_v1beta1_policy_is_refused_from_1_24 if {
	doc := {"apiVersion": "audit.k8s.io/v1beta1", "kind": "Policy", "rules": [{"level": "Metadata"}]}
	policy.refusals(doc) == {"apiVersion: kube-apiserver 1.24 and later refuse audit.k8s.io/v1beta1 and the target runs 1.33 (use audit.k8s.io/v1)"} with input as testing.apiserver_at({}, 33)
	count(policy.refusals(doc)) == 0 with input as testing.apiserver_at({}, 23)
	policy.refusals(doc) == {"apiVersion: kube-apiserver 1.24 and later refuse audit.k8s.io/v1beta1 and the target may run one of them (give --kubernetes-version if it does not) (use audit.k8s.io/v1)"} with input as testing.apiserver_at({}, null)
}

test_a_policy_without_a_known_api_version_is_refused if {
	policy.refusals({"kind": "Policy", "rules": [{"level": "Metadata"}]}) == {"apiVersion: a null is not audit.k8s.io/v1"} with input as testing.apiserver({})
	policy.refusals({"apiVersion": "audit.k8s.io/v2", "kind": "Policy", "rules": [{"level": "Metadata"}]}) == {"apiVersion: \"audit.k8s.io/v2\" is not audit.k8s.io/v1"} with input as testing.apiserver({})
}

test_wrongly_typed_switches_are_refused if {
	doc := object.union(_v1([{"level": "Metadata", "omitManagedFields": 1}]), {"omitManagedFields": "yes"})
	policy.refusals(doc) == {"omitManagedFields: not a boolean", "rules[0].omitManagedFields: not a boolean"} with input as testing.apiserver({})
}

test_fields_of_the_wrong_type_are_refused if {
	cases := [
		[[{"level": "Metadata", "omitStages": "RequestReceived"}], "rules[0].omitStages: not a list of stages"],
		[[{"level": "None", "users": true}, {"level": "Metadata"}], "rules[0].users: not a list of strings"],
		[[{"level": "Metadata", "omitManagedFields": []}], "rules[0].omitManagedFields: not a boolean"],
		[[{"level": "Metadata", "resources": [{"group": 7, "resources": ["secrets"]}]}], "rules[0].resources[0].group: a number is not a lower-case DNS subdomain"],
		[[{"level": "Metadata", "resources": ["secrets"]}], "rules[0].resources: not a list of group resources"],
	]
	every case in cases {
		case[1] in policy.refusals(_v1(case[0])) with input as testing.apiserver({})
	}
}
