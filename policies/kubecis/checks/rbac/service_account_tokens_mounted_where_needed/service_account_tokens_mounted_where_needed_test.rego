package kubecis.checks.rbac.service_account_tokens_mounted_where_needed_test

import data.kubecis.checks.rbac.service_account_tokens_mounted_where_needed as check
import data.kubecis.lib.testing

_accounts := {
	"a/quiet": {"automountServiceAccountToken": false},
	"a/api": {"automountServiceAccountToken": true},
	"a/default": {},
}

_judge(pods) := r if {
	r := check.result with input as testing.with_pods(testing.snapshot({}, {}, _accounts), pods)
}

# The CIS cases: ServiceAccount false and Pod unset or false, or Pod false, do not mount.
test_pods_that_opt_out_pass if {
	r := _judge({
		"a/p1": {"serviceAccount": "quiet"},
		"a/p2": {"serviceAccount": "quiet", "automountServiceAccountToken": false},
		"a/p3": {"serviceAccount": "api", "automountServiceAccountToken": false},
	})
	r.status == "pass"
	r.evidence.total == 0
	r.evidence.pods == 3
}

test_the_pod_setting_wins_over_the_service_account if {
	r := _judge({"a/p": {"serviceAccount": "quiet", "automountServiceAccountToken": true}})
	r.status == "warn"
	r.evidence.findings == {{"pod": "a/p", "serviceAccount": "a/quiet", "decidedBy": "pod"}}
}

test_tokens_asked_for_are_listed_for_review if {
	r := _judge({
		"a/p1": {"serviceAccount": "api"},
		"a/p2": {"serviceAccount": "quiet", "automountServiceAccountToken": true},
		"a/p3": {"serviceAccount": "quiet"},
	})
	r.status == "warn"
	r.evidence.total == 2
	contains(r.reason, "2 of 3 Pod(s) mount a ServiceAccount token they or their ServiceAccount ask for")
}

test_unset_everywhere_mounts_by_default_and_fails if {
	r := _judge({
		"a/p1": {"serviceAccount": "default"},
		"a/p2": {"serviceAccount": "api"},
		"a/p3": {"serviceAccount": "not-exported"},
	})
	r.status == "fail"
	r.evidence.findings == {
		{"pod": "a/p1", "serviceAccount": "a/default", "decidedBy": "default"},
		{"pod": "a/p2", "serviceAccount": "a/api", "decidedBy": "serviceAccount"},
		{"pod": "a/p3", "serviceAccount": "a/not-exported", "decidedBy": "unknown"},
	}
	contains(r.reason, "1 of 3 Pod(s) hold a ServiceAccount token that neither they nor their ServiceAccount ask for")
	contains(r.reason, "(riskiest: a/p1)")
}

test_no_pods_warns_and_says_what_to_export if {
	r := check.result with input as testing.snapshot({}, {}, _accounts)
	r.status == "warn"
	contains(r.reason, "kubectl get pods -A")
}

# Without the ServiceAccounts the default cannot be told from a ServiceAccount that says
# false: review, never fail.
test_service_accounts_not_collected_warns_and_says_what_to_export if {
	r := check.result with input as testing.with_pods(testing.snapshot({"ClusterRole:x": {}}, {}, {}), {
		"a/p1": {"serviceAccount": "default"},
		"a/p2": {"serviceAccount": "quiet", "automountServiceAccountToken": false},
	})
	r.status == "warn"
	r.evidence.findings == {{"pod": "a/p1", "serviceAccount": "a/default", "decidedBy": "unknown"}}
	r.evidence.serviceAccountsCollected == false
	contains(r.reason, "1 of 2 Pod(s) mount a ServiceAccount token and 1 of them run as a ServiceAccount the input lacks (export serviceaccounts too)")
}

test_platform_pods_are_counted_not_judged if {
	r := _judge({
		"kube-system/coredns-5d78c9869d-7xk2p": {"serviceAccount": "coredns"},
		"kube-system/kube-proxy-8fz2w": {"serviceAccount": "kube-proxy"},
		"a/p": {"serviceAccount": "quiet"},
	})
	r.status == "pass"
	r.evidence.platformPodsMounting == 2
	r.evidence.pods == 3
}

test_asked_for_and_unknown_are_both_named if {
	r := _judge({"a/p1": {"serviceAccount": "api"}, "a/p2": {"serviceAccount": "gone"}})
	r.status == "warn"
	contains(r.reason, "2 of 2 Pod(s) mount a ServiceAccount token (1 asked for; 1 run as a ServiceAccount the input lacks: export serviceaccounts too)")
}

# An exported Pod shows whether it holds a token; where that differs from its settings, the
# Pod predates them.
test_a_pod_that_predates_its_settings_is_judged_by_what_it_holds if {
	r := _judge({
		# its ServiceAccount was set to false after it started: it still holds a token
		"a/old": {"serviceAccount": "quiet", "tokenMounted": true},
		# it started while its ServiceAccount said false: no token, whatever the default says now
		"a/older": {"serviceAccount": "default", "tokenMounted": false},
		# settings and outcome agree
		"a/new": {"serviceAccount": "quiet", "tokenMounted": false},
	})
	r.status == "fail"
	r.evidence.findings == {{"pod": "a/old", "serviceAccount": "a/quiet", "decidedBy": "stale"}}
	contains(r.reason, "1 of 3 Pod(s) hold a ServiceAccount token that neither they nor their ServiceAccount ask for (riskiest: a/old)")
}

test_an_outcome_that_matches_the_settings_keeps_their_reason if {
	r := _judge({"a/p": {"serviceAccount": "api", "tokenMounted": true}})
	r.status == "warn"
	r.evidence.findings == {{"pod": "a/p", "serviceAccount": "a/api", "decidedBy": "serviceAccount"}}
}
