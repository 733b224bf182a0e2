package kubecis.checks.apiserver.basic_auth_file_not_set_test

import data.kubecis.checks.apiserver.basic_auth_file_not_set as check
import data.kubecis.lib.testing

test_absent_passes if {
	r := check.result with input as testing.apiserver_at({}, 16) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.id == "KAS-0006"
}

test_set_fails if {
	r := check.result with input as testing.apiserver_at({"basic-auth-file": "/etc/kubernetes/basic-auth.csv"}, 16) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	startswith(r.reason, "--basic-auth-file=")
}

test_removed_flag_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 19) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "--basic-auth-file was removed in")
}

# Set on a version that removed it: that kube-apiserver does not start; a finding.
test_removed_flag_set_is_a_contradiction if {
	r := check.result with input as testing.apiserver_at({"basic-auth-file": "/etc/kubernetes/basic-auth.csv"}, 19) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	contains(r.reason, "does not start with --basic-auth-file (removed in")
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "--basic-auth-file is not set and the version is unknown: pass below 1.19, not-applicable from 1.19; give --kubernetes-version"
}

test_unknown_version_range_with_one_verdict_gets_it if {
	r := check.result with input as _ranged({}, {"below": 19})
	r.status == "pass"
	r2 := check.result with input as _ranged({}, {"from": 19})
	r2.status == "not-applicable"
	r2.reason == "--basic-auth-file is removed on every version the target may run (1.19-1.36)"
	r3 := check.result with input as _ranged({"basic-auth-file": "/etc/pw.csv"}, {"below": 19})
	r3.status == "fail"
}
