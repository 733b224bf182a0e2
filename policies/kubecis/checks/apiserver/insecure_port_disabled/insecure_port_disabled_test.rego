package kubecis.checks.apiserver.insecure_port_disabled_test

import data.kubecis.checks.apiserver.insecure_port_disabled as check
import data.kubecis.lib.testing

test_zero_passes if {
	r := check.result with input as testing.apiserver_at({"insecure-port": 0}, 18)
	r.status == "pass"
	r.id == "KAS-0022"
}

test_absent_before_1_20_fails_on_8080 if {
	r := check.result with input as testing.apiserver_at({}, 18)
	r.status == "fail"
	r.reason == "--insecure-port=8080 (default): the API server serves unauthenticated HTTP requests"
}

test_absent_from_1_20_passes_on_0 if {
	r := check.result with input as testing.apiserver_at({}, 20)
	r.status == "pass"
	r.evidence.flag.value == 0
}

test_removed_flag_not_set_is_not_applicable if {
	r := check.result with input as testing.apiserver_at({}, 24) with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
	r.reason == "--insecure-port was removed in 1.24 (the target runs 1.24; setting it stops kube-apiserver)"
}

# A known version that removed the flag, with the flag set: a contradiction is a finding.
test_removed_flag_set_on_a_known_version_fails if {
	r := check.result with input as testing.apiserver_at({"insecure-port": 0}, 30) with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.reason == "kube-apiserver 1.30 does not start with --insecure-port (removed in 1.24): the version or the flags are wrong"
}

# Unknown version, flag set (the range is below 1.24): the real value is judged.
test_unknown_version_set_flag_judges_the_real_value if {
	doc := json.patch(testing.apiserver_at({"insecure-port": 8080}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"below": 24}}])
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	r.reason == "--insecure-port=8080: the API server serves unauthenticated HTTP requests"
	r0 := check.result with input as testing.apiserver_at({"insecure-port": 0}, null) with data.kubecis.options.profile as "seed-2020"
	r0.status == "pass"
}

# Unknown version, flag not set: never the pre-1.24 default; the split is spelled out.
test_unknown_version_not_set_warns_with_the_split if {
	r := check.result with input as testing.apiserver_at({}, null) with data.kubecis.options.profile as "seed-2020"
	r.status == "warn"
	r.reason == "--insecure-port is not set and the version is unknown: fail below 1.20, pass 1.20-1.23, not-applicable from 1.24; give --kubernetes-version"
}

# A range inside one verdict gets that verdict.
test_unknown_version_range_with_one_verdict_gets_it if {
	below := json.patch(testing.apiserver_at({}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"below": 19}}])
	r := check.result with input as below with data.kubecis.options.profile as "seed-2020"
	r.status == "fail"
	after := json.patch(testing.apiserver_at({}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"from": 29}}])
	r2 := check.result with input as after with data.kubecis.options.profile as "seed-2020"
	r2.status == "not-applicable"
	mid := json.patch(testing.apiserver_at({}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"from": 20, "below": 24}}])
	r3 := check.result with input as mid with data.kubecis.options.profile as "seed-2020"
	r3.status == "pass"
}

test_invalid_value_is_an_error if {
	doc := object.union(testing.apiserver_at({}, 18), {"flags": {"insecure-port": testing.invalid("http", "invalid port")}})
	r := check.result with input as doc
	r.status == "error"
}

test_outside_profile_keeps_its_own_verdict if {
	r := check.result with input as testing.apiserver({})
	r.status == "not-applicable"
	r.outside == "cis-1.12"
	r.reason == "--insecure-port was removed in 1.24 (the target runs 1.33; setting it stops kube-apiserver)"
}

# An unreadable value of a flag the target's version removed: one result (error: kube-apiserver
# does not start with it), not a conflict of the removed and error clauses.
test_invalid_value_after_removal_is_one_error if {
	doc := object.union(testing.apiserver_at({}, 33), {"flags": {"insecure-port": testing.invalid("http", "invalid port")}})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "error"
}

# not-applicable rests on the known version, which hidden flags cannot change: it stays.
test_removed_flag_stays_not_applicable_when_flags_may_be_missing if {
	doc := object.union(testing.apiserver_at({}, 24), {"diagnostics": [{"code": "incomplete-flags", "message": "cut", "origin": {"file": "ps.txt", "line": 2}}]})
	r := check.result with input as doc with data.kubecis.options.profile as "seed-2020"
	r.status == "not-applicable"
}

# A contradiction gates under every profile: on 1.30 the default profile (cis-1.11) lacks
# this control, whose benchmarks are those of versions that had the flag.
test_contradiction_gates_outside_its_benchmarks if {
	r := check.result with input as testing.apiserver_at({"insecure-port": 0}, 30)
	r.status == "fail"
	not r.outside
	absent := check.result with input as testing.apiserver_at({}, 30)
	absent.outside == "cis-1.11"
}

# An unknown version bounded by the flags below 1.24: the benchmarks of those versions have
# this control, so its fail gates beside the newest benchmark's controls.
test_unknown_version_bounded_by_flags_gates_the_old_benchmarks if {
	doc := json.patch(testing.apiserver_at({"insecure-port": 8080}, null), [{"op": "add", "path": "/kubernetesVersion/range", "value": {"from": 13, "below": 24}}])
	r := check.result with input as doc
	r.status == "fail"
	not r.outside
}
