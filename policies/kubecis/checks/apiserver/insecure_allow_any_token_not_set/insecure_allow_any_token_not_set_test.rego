package kubecis.checks.apiserver.insecure_allow_any_token_not_set_test

import data.kubecis.checks.apiserver.insecure_allow_any_token_not_set as check
import data.kubecis.lib.testing

test_absent_passes if {
	r := check.result with input as testing.apiserver_at({}, 7) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.id == "KAS-0007"
}

test_set_fails if {
	r := check.result with input as testing.apiserver_at({"insecure-allow-any-token": ""}, 7) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	startswith(r.reason, "--insecure-allow-any-token=")
}

test_removed_flag_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 8) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "--insecure-allow-any-token was removed in")
}

# Set on a version that removed it: that kube-apiserver does not start; a finding.
test_removed_flag_set_is_a_contradiction if {
	r := check.result with input as testing.apiserver_at({"insecure-allow-any-token": ""}, 8) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	contains(r.reason, "does not start with --insecure-allow-any-token (removed in")
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "--insecure-allow-any-token is not set and the version is unknown: pass below 1.8, not-applicable from 1.8; give --kubernetes-version"
	r2 := check.result with input as _ranged({}, {"from": 10})
	r2.status == "not-applicable"
}
