package kubecis.checks.apiserver.audit_policy_covers_key_resources_test

import data.kubecis.checks.apiserver.audit_policy_covers_key_resources as check
import data.kubecis.lib.testing

_path := "/etc/kubernetes/audit/policy.yaml"

# _judge_at(content, minor) is the result for a kube-apiserver 1.<minor> whose --audit-policy-file
# holds content (a parsed Policy document).
_judge_at(content, minor) := r if {
	doc := object.union(
		testing.apiserver_at({"audit-policy-file": _path}, minor),
		{"files": {"audit-policy-file": {"path": _path, "status": "read", "content": content}}},
	)
	r := check.result with input as doc
}

_judge_doc(content) := _judge_at(content, 33)

_judge(rules) := _judge_doc({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": rules})

_sensitive := {"level": "Metadata", "resources": [
	{"group": "", "resources": ["secrets", "configmaps"]},
	{"group": "authentication.k8s.io", "resources": ["tokenreviews"]},
]}

# the example of the Kubernetes auditing documentation, trimmed
_cis_policy := [
	{"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"], "resources": [{"group": "", "resources": ["endpoints", "services"]}]},
	_sensitive,
	{"level": "RequestResponse", "resources": [{"group": "", "resources": ["pods/exec", "pods/portforward", "pods/proxy", "services/proxy"]}]},
	{"level": "Request", "resources": [{"group": "", "resources": ["pods"]}, {"group": "apps", "resources": ["deployments"]}]},
	{"level": "Metadata"},
]

test_cis_style_policy_passes if {
	r := _judge(_cis_policy)
	r.status == "pass"
	r.id == "KAS-0044"
	count(r.evidence.coverage) == 9
}

test_catch_all_metadata_passes if {
	r := _judge([{"level": "Metadata"}])
	r.status == "pass"
}

test_request_response_for_secrets_fails if {
	r := _judge([{"level": "RequestResponse"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io: RequestResponse (rules[0]) logs their contents")
}

test_subresource_wildcards_and_gaps if {
	rules := [
		{"level": "Metadata", "resources": [{"resources": ["secrets", "configmaps"]}, {"group": "authentication.k8s.io"}]},
		{"level": "Request", "resources": [{"resources": ["pods/*"]}]},
		{"level": "None", "resources": [{"resources": ["*/proxy"]}]},
	]
	r := _judge(rules)
	r.status == "fail"
	endswith(r.reason, "logged): deployments.apps: None (no rule matches every request); services/proxy: None (rules[2])")
}

# checker.go ruleMatchesResource: "pods/*" matches a request whose resource is pods, with or
# without a subresource.
test_resource_wildcard_covers_the_resource_itself if {
	r := _judge([_sensitive, {"level": "Request", "resources": [{"resources": ["pods/*"]}, {"group": "apps", "resources": ["*"]}]}, {"level": "None", "resources": [{"resources": ["*/proxy"]}]}, {"level": "Metadata"}])
	r.status == "fail"
	[v] := [v | some v in r.evidence.coverage; v.resource == "pods"; v.subresource == ""]
	v.level == "Request"
	v.rule == 1
}

# (a) resourceNames: checker.go ruleMatchesResource matches a named rule only for those names.
test_resource_names_do_not_cover_a_resource if {
	r := _judge([
		{"level": "Metadata", "resources": [
			{"group": "", "resources": ["secrets", "configmaps"], "resourceNames": ["only-this-one"]},
			{"group": "authentication.k8s.io", "resources": ["tokenreviews"], "resourceNames": ["x"]},
		]},
		{"level": "Metadata", "resources": [{"group": "", "resources": ["pods", "pods/exec", "pods/portforward", "pods/proxy", "services/proxy"]}, {"group": "apps", "resources": ["deployments"]}]},
		{"level": "None"},
	])
	r.status == "fail"
	endswith(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io: None (rules[2])")
}

test_resource_names_on_another_group_resource_do_not_narrow_it if {
	r := _judge([
		{"level": "Metadata", "resources": [
			{"group": "", "resources": ["secrets"], "resourceNames": ["one"]},
			{"group": "", "resources": ["secrets", "configmaps"]},
			{"group": "authentication.k8s.io", "resources": ["tokenreviews"]},
		]},
		{"level": "Metadata"},
	])
	r.status == "pass"
}

test_a_none_rule_for_some_names_of_a_key_resource_fails if {
	r := _judge([{"level": "None", "resources": [{"resources": ["secrets"], "resourceNames": ["db-password"]}]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets: None for names db-password (rules[0])")
}

# (b) omitStages: checker.go NewChecker unions the Policy's omitStages into every rule's.
test_policy_omitting_every_stage_records_nothing if {
	r := _judge_doc({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"], "rules": [_sensitive, {"level": "Metadata"}]})
	r.status == "fail"
	contains(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io: Metadata with every stage it writes at omitted (rules[0]); ")
	endswith(r.reason, "; pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: Metadata with every stage it writes at omitted (rules[1])")
}

test_policy_and_rule_omit_stages_combine if {
	r := _judge_doc({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived"], "rules": [
		object.union(_sensitive, {"omitStages": ["ResponseComplete"]}),
		{"level": "Metadata"},
	]})
	r.status == "fail"
	endswith(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io: Metadata with every stage it writes at omitted (rules[0])")
}

test_omitting_request_received_still_records if {
	r := _judge_doc({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived"], "rules": _cis_policy})
	r.status == "pass"
}

test_an_earlier_silent_rule_for_some_verbs_is_a_gap if {
	r := _judge([
		{"level": "Metadata", "verbs": ["get"], "resources": [{"resources": ["secrets"]}], "omitStages": ["RequestReceived", "ResponseComplete"]},
		_sensitive,
		{"level": "Metadata"},
	])
	r.status == "fail"
	endswith(r.reason, "logged): secrets: Metadata with every stage it writes at omitted for verbs get (rules[0])")
}

# (c) a None rule for everyone, expressed as the groups every request carries.
test_none_for_every_group_first_fails if {
	r := _judge([{"level": "None", "userGroups": ["system:authenticated", "system:unauthenticated"]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io, pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: None for userGroups system:authenticated, system:unauthenticated (rules[0])")
}

test_none_for_service_accounts_on_secrets_fails if {
	r := _judge([{"level": "None", "userGroups": ["system:serviceaccounts"], "resources": [{"resources": ["secrets"]}]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets: None for userGroups system:serviceaccounts (rules[0])")
}

# (d) a None rule for the standard verbs.
test_none_for_every_standard_verb_first_fails if {
	r := _judge([{"level": "None", "verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	contains(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io, pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: None for verbs get, list, watch, create, update, patch, delete, deletecollection (rules[0])")
}

test_none_for_some_namespaces_fails if {
	r := _judge([{"level": "None", "namespaces": ["kube-system"], "resources": [{"resources": ["configmaps"]}]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): configmaps: None for namespaces kube-system (rules[0])")
}

# tokenreviews are cluster-scoped: their requests carry the namespace "".
test_namespaces_on_a_cluster_scoped_resource if {
	r := _judge([
		{"level": "None", "namespaces": ["kube-system"]},
		{"level": "Metadata", "namespaces": [""], "resources": [{"group": "authentication.k8s.io", "resources": ["tokenreviews"]}]},
		{"level": "RequestResponse"},
	])
	r.status == "fail"
	[v] := [v | some v in r.evidence.coverage; v.resource == "tokenreviews"]
	v.level == "Metadata"
	v.rule == 1
	v.gaps == []
	contains(r.reason, "logged): secrets, configmaps: RequestResponse (rules[2]) logs their contents; ")
	endswith(r.reason, "; secrets, configmaps, pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: None for namespaces kube-system (rules[0])")
}

# A named exemption: specific users a reviewer should see, not a gap for everyone.
test_none_for_named_users_on_a_key_resource_warns if {
	r := _judge([
		{"level": "None", "users": ["cluster-autoscaler"], "namespaces": ["kube-system"], "verbs": ["get", "update"], "resources": [{"resources": ["configmaps", "endpoints"]}]},
		_sensitive,
		{"level": "Metadata"},
	])
	r.status == "warn"
	r.reason == "the audit policy exempts named users from what CIS asks (secrets, configmaps, tokenreviews at Metadata only; pods, deployments, exec, portforward and proxy logged): configmaps: None for users cluster-autoscaler, namespaces kube-system, verbs get, update (rules[0]); check each exemption is intended"
}

test_none_for_the_anonymous_user_fails if {
	r := _judge([{"level": "None", "users": ["system:anonymous"]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	contains(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io, pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: None for users system:anonymous (rules[0])")
}

test_a_gap_and_an_exemption_fail if {
	r := _judge([
		{"level": "None", "users": ["backup"], "resources": [{"resources": ["secrets"]}]},
		{"level": "None", "userGroups": ["system:nodes"], "resources": [{"resources": ["configmaps"]}]},
		_sensitive,
		{"level": "Metadata"},
	])
	r.status == "fail"
	endswith(r.reason, "logged): configmaps: None for userGroups system:nodes (rules[1]); named exemptions: secrets: None for users backup (rules[0])")
}

test_contents_logged_for_some_verbs_fails if {
	r := _judge([{"level": "RequestResponse", "verbs": ["get"], "resources": [{"resources": ["secrets"]}]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets: RequestResponse for verbs get (rules[0]) logs their contents")
}

# Request level writes the request body: a DeleteOptions for delete and deletecollection,
# nothing for reads, so it never holds a Secret's data for those verbs.
test_request_level_for_bodyless_verbs_does_not_log_contents if {
	r := _judge([
		{"level": "Request", "users": ["system:serviceaccount:kube-system:namespace-controller"], "verbs": ["deletecollection"], "omitStages": ["RequestReceived"]},
		_sensitive,
		{"level": "Metadata"},
	])
	r.status == "pass"
}

test_common_noise_reduction_rules_pass if {
	r := _judge([
		{"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"], "resources": [{"resources": ["endpoints", "services", "services/status"]}]},
		{"level": "None", "userGroups": ["system:nodes"], "verbs": ["get"], "resources": [{"resources": ["nodes", "nodes/status"]}]},
		{"level": "None", "nonResourceURLs": ["/healthz*", "/version", "/livez", "/readyz"]},
		{"level": "None", "resources": [{"resources": ["events"]}]},
		{"level": "None", "userGroups": ["system:authenticated"], "verbs": ["get"], "resources": [{"group": "metrics.k8s.io"}]},
		_sensitive,
		{"level": "Request", "verbs": ["get", "list", "watch"], "resources": [{"resources": ["pods"]}, {"group": "apps"}]},
		{"level": "RequestResponse", "resources": [{"resources": ["pods", "pods/exec", "pods/portforward", "pods/proxy", "services/proxy"]}, {"group": "apps"}]},
		{"level": "Metadata", "omitStages": ["RequestReceived"]},
	])
	r.status == "pass"
}

test_restricted_rules_alone_cover_nothing if {
	r := _judge([object.union(_sensitive, {"userGroups": ["system:authenticated", "system:unauthenticated"]}), {"level": "Metadata", "verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]}])
	r.status == "fail"
	contains(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io, pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: None (no rule matches every request)")
}

# audit.k8s.io/v1beta1 and v1alpha1 were removed in 1.24 (audit/policy/reader.go apiGroupVersions).
test_v1beta1_policy_is_refused_from_1_24 if {
	doc := {"apiVersion": "audit.k8s.io/v1beta1", "kind": "Policy", "rules": [{"level": "Metadata"}]}
	_judge_at(doc, 33).status == "error"
	contains(_judge_at(doc, 33).reason, "apiVersion: kube-apiserver 1.24 and later refuse audit.k8s.io/v1beta1")
	_judge_at(doc, 23).status == "pass"
	_judge_at(doc, null).status == "error"
}

test_flag_absent_fails if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
}

test_file_not_given_warns if {
	r := check.result with input as testing.apiserver({"audit-policy-file": _path})
	r.status == "warn"
}

test_invalid_file_is_an_error if {
	doc := object.union(testing.apiserver({"audit-policy-file": "/p.yaml"}), {"files": {"audit-policy-file": {"path": "/p.yaml", "status": "invalid", "error": "line 3: mapping values are not allowed"}}})
	r := check.result with input as doc
	r.status == "error"
}

# A Policy kube-apiserver refuses (lib.audit.policy refusals) is never judged: the error
# names every refusal.
test_a_refused_policy_is_an_error_naming_every_refusal if {
	r := _judge_doc({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitManagedFields": "yes", "rules": [{"level": "Metadata", "omitManagedFields": 1}]})
	r.status == "error"
	r.reason == "kube-apiserver refuses --audit-policy-file=/etc/kubernetes/audit/policy.yaml and does not start: omitManagedFields: not a boolean; rules[0].omitManagedFields: not a boolean"
	not r.evidence.coverage
}

test_names_are_listed_only_when_they_limit_the_rule if {
	r := _judge([
		{"level": "None", "verbs": ["get"], "resources": [{"resources": ["secrets"], "resourceNames": ["a"]}, {"resources": ["secrets"]}]},
		_sensitive,
		{"level": "Metadata"},
	])
	r.status == "fail"
	endswith(r.reason, "logged): secrets: None for verbs get (rules[0])")
}

# The policy kube-up writes for GCE masters (kubernetes cluster/gce/gci/configure-helper.sh,
# create-master-audit-policy), its known_apis list shortened: its noise rules touch no key
# resource except two named exemptions on configmaps in kube-system, which a reviewer sees.
test_gce_master_policy_names_its_two_configmap_exemptions if {
	core := [{"group": ""}, {"group": "apps"}, {"group": "authentication.k8s.io"}]
	omit := ["RequestReceived"]
	r := _judge([
		{"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"], "resources": [{"group": "", "resources": ["endpoints", "services", "services/status"]}]},
		{"level": "None", "users": ["system:unsecured"], "namespaces": ["kube-system"], "verbs": ["get"], "resources": [{"group": "", "resources": ["configmaps"]}]},
		{"level": "None", "users": ["kubelet"], "verbs": ["get"], "resources": [{"group": "", "resources": ["nodes", "nodes/status"]}]},
		{"level": "None", "userGroups": ["system:nodes"], "verbs": ["get"], "resources": [{"group": "", "resources": ["nodes", "nodes/status"]}]},
		{"level": "None", "users": ["system:kube-controller-manager", "system:kube-scheduler"], "verbs": ["get", "update"], "namespaces": ["kube-system"], "resources": [{"group": "", "resources": ["endpoints"]}]},
		{"level": "None", "users": ["system:apiserver"], "verbs": ["get"], "resources": [{"group": "", "resources": ["namespaces", "namespaces/status", "namespaces/finalize"]}]},
		{"level": "None", "users": ["cluster-autoscaler"], "verbs": ["get", "update"], "namespaces": ["kube-system"], "resources": [{"group": "", "resources": ["configmaps", "endpoints"]}]},
		{"level": "None", "users": ["system:kube-controller-manager"], "verbs": ["get", "list"], "resources": [{"group": "metrics.k8s.io"}]},
		{"level": "None", "nonResourceURLs": ["/healthz*", "/version", "/swagger*"]},
		{"level": "None", "resources": [{"group": "", "resources": ["events"]}]},
		{"level": "Request", "users": ["kubelet"], "verbs": ["update", "patch"], "resources": [{"group": "", "resources": ["nodes/status", "pods/status"]}], "omitStages": omit},
		{"level": "Request", "userGroups": ["system:nodes"], "verbs": ["update", "patch"], "resources": [{"group": "", "resources": ["nodes/status", "pods/status"]}], "omitStages": omit},
		{"level": "Request", "users": ["system:serviceaccount:kube-system:namespace-controller"], "verbs": ["deletecollection"], "omitStages": omit},
		{"level": "Metadata", "resources": [{"group": "", "resources": ["secrets", "configmaps", "serviceaccounts/token"]}, {"group": "authentication.k8s.io", "resources": ["tokenreviews"]}], "omitStages": omit},
		{"level": "Request", "verbs": ["get", "list", "watch"], "resources": core, "omitStages": omit},
		{"level": "RequestResponse", "resources": core, "omitStages": omit},
		{"level": "Metadata", "omitStages": omit},
	])
	r.status == "warn"
	contains(r.reason, "logged): configmaps: None for users system:unsecured, namespaces kube-system, verbs get (rules[1]); configmaps: None for users cluster-autoscaler, namespaces kube-system, verbs get, update (rules[6]); check")
	[v] := [v | some v in r.evidence.coverage; v.resource == "pods"; v.subresource == "exec"]
	v.level == "RequestResponse"
	v.rule == 15
}

test_contents_logged_for_named_users_still_fail if {
	r := _judge([{"level": "Request", "users": ["ci-bot"], "verbs": ["create", "update"], "resources": [{"resources": ["secrets"]}]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets: Request for users ci-bot, verbs create, update (rules[0]) logs their contents")
}

# kube-apiserver decodes leniently when strict decoding fails on an unknown field
# (audit/policy/reader.go): a misspelt limit is dropped, and the rule matches everyone.
test_a_misspelt_limit_is_ignored_as_kube_apiserver_ignores_it if {
	r := _judge([{"level": "None", "userGroup": ["system:nodes"]}, _sensitive, {"level": "Metadata"}])
	r.status == "fail"
	endswith(r.reason, "logged): secrets, configmaps, tokenreviews.authentication.k8s.io, pods, deployments.apps, pods/exec, pods/portforward, pods/proxy, services/proxy: None (rules[0])")
}
