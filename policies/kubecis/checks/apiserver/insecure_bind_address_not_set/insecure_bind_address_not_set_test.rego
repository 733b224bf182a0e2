package kubecis.checks.apiserver.insecure_bind_address_not_set_test

import data.kubecis.checks.apiserver.insecure_bind_address_not_set as check
import data.kubecis.lib.testing

test_absent_passes if {
	r := check.result with input as testing.apiserver_at({}, 19) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.id == "KAS-0021"
}

test_set_fails if {
	r := check.result with input as testing.apiserver_at({"insecure-bind-address": "0.0.0.0"}, 19) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	startswith(r.reason, "--insecure-bind-address=")
}

test_removed_flag_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 24) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	contains(r.reason, "--insecure-bind-address was removed in")
}

# Set on a version that removed it: that kube-apiserver does not start; a finding.
test_removed_flag_set_is_a_contradiction if {
	r := check.result with input as testing.apiserver_at({"insecure-bind-address": "0.0.0.0"}, 24) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	contains(r.reason, "does not start with --insecure-bind-address (removed in")
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "--insecure-bind-address is not set and the version is unknown: pass below 1.24, not-applicable from 1.24; give --kubernetes-version"
	r2 := check.result with input as _ranged({}, {"below": 24})
	r2.status == "pass"
}
