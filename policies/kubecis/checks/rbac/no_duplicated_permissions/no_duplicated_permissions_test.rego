package kubecis.checks.rbac.no_duplicated_permissions_test

import data.kubecis.checks.rbac.no_duplicated_permissions as check
import data.kubecis.lib.testing

_roles := {
	"ClusterRole:view": {"rules": [testing.rule(["get", "list"], [""], ["pods", "services"]), testing.rule(["get"], [""], ["namespaces"])]},
	"ClusterRole:pods": {"rules": [testing.rule(["get"], [""], ["pods"])]},
	"ClusterRole:all-pods": {"rules": [testing.rule(["*"], [""], ["pods", "pods/log"])]},
	"ClusterRole:named": {"rules": [object.union(testing.rule(["get"], [""], ["secrets"]), {"resourceNames": ["a"]})]},
	"ClusterRole:secrets": {"rules": [testing.rule(["get"], [""], ["secrets"])]},
	"ClusterRole:urls": {"rules": [testing.url_rule(["get"], ["/healthz", "/version"])]},
	"ClusterRole:all-urls": {"rules": [testing.url_rule(["get"], ["/*"])]},
	"ClusterRole:any-log": {"rules": [testing.rule(["get"], [""], ["*/log"])]},
	"ClusterRole:log": {"rules": [testing.rule(["get"], [""], ["pods/log"])]},
	"ClusterRole:nodes": {"rules": [testing.rule(["get"], [""], ["nodes", "pods"])]},
}

_run(bindings) := r if {
	r := check.result with input as testing.snapshot(_roles, bindings, {}) with data.kubecis.options.profile as "seed-2020"
}

test_same_role_cluster_and_namespace_fails if {
	r := _run({
		"ClusterRoleBinding:ops": {"role": "ClusterRole:view", "subjects": ["ServiceAccount:a/x"]},
		"RoleBinding:a/x-view": {"role": "ClusterRole:view", "subjects": ["ServiceAccount:a/x"]},
	})
	r.status == "fail"
	r.evidence.findings == {{
		"kind": "covered", "subject": "ServiceAccount:a/x", "binding": "RoleBinding:a/x-view",
		"coveredBy": "ClusterRoleBinding:ops", "role": "ClusterRole:view", "coveringRole": "ClusterRole:view", "namespace": "a",
	}}
}

test_two_bindings_same_role_same_scope_reports_one if {
	r := _run({
		"RoleBinding:a/one": {"role": "ClusterRole:view", "subjects": ["User:u"]},
		"RoleBinding:a/two": {"role": "ClusterRole:view", "subjects": ["User:u"]},
	})
	r.status == "fail"
	r.evidence.total == 1
	min(r.evidence.findings).kind == "duplicate"
	contains(r.reason, "User:u gets ClusterRole:view through both")
}

test_platform_twin_is_kept_user_one_reported if {
	r := _run({
		"RoleBinding:a/platform": {"role": "ClusterRole:view", "subjects": ["User:u"], "provenance": "bootstrap"},
		"RoleBinding:a/user": {"role": "ClusterRole:view", "subjects": ["User:u"]},
	})
	min(r.evidence.findings).binding == "RoleBinding:a/user"
	r.evidence.total == 1
}

test_subject_listed_twice_fails if {
	r := _run({"RoleBinding:a/one": {"role": "ClusterRole:view", "subjects": ["User:u", "User:u"]}})
	r.status == "fail"
	min(r.evidence.findings).alsoVia == "RoleBinding:a/one"
	r.reason == "1 redundant grant(s) (riskiest: User:u is listed twice in RoleBinding:a/one (ClusterRole:view))"
}

test_broader_role_covers if {
	r := _run({
		"RoleBinding:a/pods": {"role": "ClusterRole:pods", "subjects": ["User:u"]},
		"RoleBinding:a/all": {"role": "ClusterRole:all-pods", "subjects": ["User:u"]},
	})
	r.status == "fail"
	min(r.evidence.findings).coveringRole == "ClusterRole:all-pods"
}

test_other_namespace_does_not_cover if {
	r := _run({
		"RoleBinding:a/pods": {"role": "ClusterRole:pods", "subjects": ["User:u"]},
		"RoleBinding:b/all": {"role": "ClusterRole:all-pods", "subjects": ["User:u"]},
	})
	r.status == "pass"
}

test_resource_names_covered_only_by_unrestricted if {
	r1 := _run({
		"ClusterRoleBinding:named": {"role": "ClusterRole:named", "subjects": ["User:u"]},
		"ClusterRoleBinding:all": {"role": "ClusterRole:secrets", "subjects": ["User:u"]},
	})
	min(r1.evidence.findings).binding == "ClusterRoleBinding:named"
	r1.evidence.total == 1
}

test_url_prefix_covers if {
	r := _run({
		"ClusterRoleBinding:urls": {"role": "ClusterRole:urls", "subjects": ["User:u"]},
		"ClusterRoleBinding:all": {"role": "ClusterRole:all-urls", "subjects": ["User:u"]},
	})
	min(r.evidence.findings).binding == "ClusterRoleBinding:urls"
	r.evidence.total == 1
}

test_subresource_wildcard_covers if {
	r := _run({
		"ClusterRoleBinding:log": {"role": "ClusterRole:log", "subjects": ["User:u"]},
		"ClusterRoleBinding:any": {"role": "ClusterRole:any-log", "subjects": ["User:u"]},
	})
	min(r.evidence.findings).binding == "ClusterRoleBinding:log"
}

test_namespaced_grant_ignores_cluster_scoped_rules if {
	# Through a RoleBinding, ClusterRole:nodes grants get pods only, as ClusterRole:pods does:
	# the two grants are equivalent, one finding.
	r := _run({
		"RoleBinding:a/nodes": {"role": "ClusterRole:nodes", "subjects": ["User:u"]},
		"RoleBinding:a/pods": {"role": "ClusterRole:pods", "subjects": ["User:u"]},
	})
	r.evidence.total == 1
	min(r.evidence.findings).kind == "equivalent"
	min(r.evidence.findings).keep == "RoleBinding:a/nodes"
}

test_unrelated_grants_pass if {
	r := _run({
		"RoleBinding:a/pods": {"role": "ClusterRole:pods", "subjects": ["User:u"]},
		"RoleBinding:a/urls": {"role": "ClusterRole:secrets", "subjects": ["User:u"]},
	})
	r.status == "pass"
	r.evidence.subjectsWithSeveralGrants == 1
}

# A role the input lacks grants nothing that can be judged (KRB-0005 reports its bindings,
# or counts them when it is an assumed bootstrap role): two bindings to it are no duplicate.
# That it covers nothing is the host's contract (roleCovers names only roles the input has),
# tested through the host by the fixture pass/grants_through_missing_roles.yaml.
test_missing_role_is_no_duplicate if {
	r := _run({
		"RoleBinding:a/one": {"role": "ClusterRole:gone", "subjects": ["User:u"]},
		"RoleBinding:a/two": {"role": "ClusterRole:gone", "subjects": ["User:u"]},
	})
	r.status == "pass"
}

# A bootstrap role the export lacks but the API server creates (assumed) exists: two grants of
# it in one namespace are a duplicate, and cluster-wide it covers its grant in a namespace.
test_assumed_bootstrap_role_duplicate_fails if {
	r := _run({
		"RoleBinding:a/one": {"role": "ClusterRole:admin", "subjects": ["User:u"], "roleAssumed": true},
		"RoleBinding:a/two": {"role": "ClusterRole:admin", "subjects": ["User:u"], "roleAssumed": true},
		"ClusterRoleBinding:all": {"role": "ClusterRole:admin", "subjects": ["User:v"], "roleAssumed": true},
		"RoleBinding:b/v": {"role": "ClusterRole:admin", "subjects": ["User:v"], "roleAssumed": true},
	})
	r.status == "fail"
	{[f.kind, f.subject] | some f in r.evidence.findings} == {["duplicate", "User:u"], ["covered", "User:v"]}
}

# Two different roles with identical rules: one finding, naming the binding to keep (the first
# in binding order; key order here), not a mutual "covered" pair.
test_identical_roles_are_one_duplicate_with_the_one_to_keep if {
	roles := {
		"Role:a/reader": {"rules": [testing.rule(["get", "list"], [""], ["pods"])]},
		"Role:a/pod-reader": {"rules": [testing.rule(["get", "list"], [""], ["pods"])]},
	}
	bindings := {
		"RoleBinding:a/one": {"role": "Role:a/reader", "subjects": ["User:u"]},
		"RoleBinding:a/two": {"role": "Role:a/pod-reader", "subjects": ["User:u"]},
	}
	r := check.result with input as testing.snapshot(roles, bindings, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.evidence.findings == {{
		"kind": "equivalent", "subject": "User:u", "binding": "RoleBinding:a/two", "alsoVia": "RoleBinding:a/one",
		"role": "Role:a/pod-reader", "sameAs": "Role:a/reader", "namespace": "a", "keep": "RoleBinding:a/one",
	}}
	r.reason == "1 redundant grant(s) (riskiest: User:u gets the same permissions through RoleBinding:a/two (Role:a/pod-reader) and RoleBinding:a/one (Role:a/reader); keep RoleBinding:a/one)"
}

# A RoleBinding to a nodes-only ClusterRole gives nothing: it is not "covered" by other grants.
test_ineffective_grant_is_not_covered if {
	roles := {"ClusterRole:node-reader": {"rules": [testing.rule(["get"], [""], ["nodes"])]}, "Role:a/cm": {"rules": [testing.rule(["get"], [""], ["configmaps"])]}}
	bindings := {
		"RoleBinding:a/nodes": {"role": "ClusterRole:node-reader", "subjects": ["User:u"]},
		"RoleBinding:a/cm": {"role": "Role:a/cm", "subjects": ["User:u"]},
	}
	r := check.result with input as testing.snapshot(roles, bindings, {}) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
}

# A caller that ranks findings and keeps rbac-max-findings of them (the kubecis host) gets only
# the tiers that can hold the riskiest (lib.rbac riskiest_findings); the total counts them all.
test_a_ranking_caller_gets_the_riskiest_tiers_only if {
	bindings := {
		"ClusterRoleBinding:c1": {"role": "ClusterRole:view", "subjects": ["Group:g", "User:u"]},
		"ClusterRoleBinding:c2": {"role": "ClusterRole:view", "subjects": ["Group:g", "User:u"]},
		"RoleBinding:a/n1": {"role": "ClusterRole:pods", "subjects": ["User:v", "Group:h"]},
		"RoleBinding:a/n2": {"role": "ClusterRole:pods", "subjects": ["User:v", "Group:h"]},
	}
	_listed(bindings, 1, "riskiest") == {"Group:g"}
	_listed(bindings, 2, "riskiest") == {"Group:g", "User:u"}
	_listed(bindings, 3, "riskiest") == {"Group:g", "User:u", "Group:h"}
	_listed(bindings, 4, "riskiest") == {"Group:g", "User:u", "Group:h", "User:v"}
	_listed(bindings, 1, "all") == {"Group:g", "User:u", "Group:h", "User:v"}
}

_listed(bindings, limit, findings) := {f.subject | some f in r.evidence.findings} if {
	r := check.result with input as testing.snapshot(_roles, bindings, {})
		with data.kubecis.options.findings as findings
		with data.kubecis.options.params as {"rbac-max-findings": limit}
	r.evidence.total == 4
	r.status == "fail"
}
