package kubecis.checks.apiserver.kubelet_https_enabled_test

import data.kubecis.checks.apiserver.kubelet_https_enabled as check
import data.kubecis.lib.testing

test_wanted_value_passes if {
	r := check.result with input as testing.apiserver_at({"kubelet-https": true}, 20)
	r.status == "pass"
	r.id == "KAS-0010"
}

test_other_value_fails if {
	r := check.result with input as testing.apiserver_at({"kubelet-https": false}, 20)
	r.status == "fail"
	startswith(r.reason, "--kubelet-https=false: ")
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 20), {"flags": {"kubelet-https": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc
	r.status == "error"
}

test_absent_flag_takes_its_default if {
	r := check.result with input as testing.apiserver_at({}, 20)
	r.status == "pass"
	r.evidence.flag.default == true
}

test_removed_flag_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 22)
	r.status == "not-applicable"
	contains(r.reason, "was removed in")
}

# An unreadable value of a flag the target's version removed: one result (error: kube-apiserver
# does not start with it), not a conflict of the removed and error clauses.
test_invalid_value_after_removal_is_one_error if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"kubelet-https": testing.invalid("maybe", "invalid boolean")}})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "error"
}

# Set on a version that removed it: that kube-apiserver does not start; a finding.
test_removed_flag_set_is_a_contradiction if {
	r := check.result with input as testing.apiserver_at({"kubelet-https": false}, 22)
	r.status == "fail"
	contains(r.reason, "does not start with --kubelet-https (removed in")
}

# --- version unknown: judged over every minor the target may run ---------------------------

_ranged(flags, range) := json.patch(testing.apiserver_at(flags, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": range}])

test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null)
	r.status == "warn"
	r.reason == "--kubelet-https is not set and the version is unknown: pass below 1.22, not-applicable from 1.22; give --kubernetes-version"
	r2 := check.result with input as _ranged({}, {"below": 22})
	r2.status == "pass"
	r3 := check.result with input as _ranged({"kubelet-https": false}, {"below": 22})
	r3.status == "fail"
}
