package kubecis.lib.flags_test

import data.kubecis.lib.flags
import data.kubecis.lib.testing

test_set_flag_keeps_origin if {
	f := flags.effective("profiling") with input as testing.apiserver({"profiling": false})
	f == {"flag": "profiling", "set": true, "value": false, "origin": {"file": "test.yaml", "line": 7, "argIndex": 1}}
}

test_absent_flag_takes_default if {
	f := flags.effective("anonymous-auth") with input as testing.apiserver({})
	f == {"flag": "anonymous-auth", "set": false, "value": true, "default": true}
}

test_absent_flag_without_default if {
	f := flags.effective("audit-log-path") with input as testing.apiserver({})
	f == {"flag": "audit-log-path", "set": false}
	flags.describe(f) == "--audit-log-path is not set"
}

test_versioned_default_follows_target if {
	flags.default_value("insecure-port") == 8080 with input as testing.apiserver_at({}, 19)
	flags.default_value("insecure-port") == 0 with input as testing.apiserver_at({}, 20)
	flags.default_value("service-account-lookup") == false with input as testing.apiserver_at({}, 6)
	flags.default_value("service-account-lookup") == true with input as testing.apiserver_at({}, 7)
}

test_unknown_version_uses_plain_default if {
	flags.default_value("insecure-port") == 8080 with input as testing.apiserver_at({}, null)
}

test_removed_flags if {
	flags.removed("insecure-port") with input as testing.apiserver_at({}, 24)
	not flags.removed("insecure-port") with input as testing.apiserver_at({}, 23)
	not flags.removed("insecure-port") with input as testing.apiserver_at({}, null)
	flags.removed_in("basic-auth-file") == "1.19"
}

test_describe_renders_values if {
	flags.describe({"flag": "a", "set": true, "value": ["x", "y"]}) == "--a=x,y"
	flags.describe({"flag": "a", "set": true, "value": 30}) == "--a=30"
	flags.describe({"flag": "a", "set": false, "value": true}) == "--a=true (default)"
}

test_not_applied_to_other_kinds if {
	not flags.effective("profiling") with input as {"kind": "RbacSnapshot"}
}

test_empty_removed_flag_is_set_and_contradicts if {
	f := flags.effective("basic-auth-file") with input as testing.apiserver_at({"basic-auth-file": ""}, 30)
	f.set
	flags.contradicted("basic-auth-file") with input as testing.apiserver_at({"basic-auth-file": ""}, 30)
	g := flags.effective("basic-auth-file") with input as testing.apiserver_at({"basic-auth-file": ""}, 18)
	g.empty
}

test_given_is_value_or_refused_text if {
	flags.given({"flag": "x", "set": true, "value": ["a", "b"]}) == "a,b"
	flags.given({"flag": "x", "set": true, "raw": "$X", "error": "unresolved"}) == "$X"
	not flags.given({"flag": "x", "set": false})
}

test_hidden_names_each_place_and_reason if {
	doc := object.union(testing.apiserver({}), {"diagnostics": [
		{"code": "unknown-flag", "message": "not this one", "origin": {"file": "a.ps", "line": 1}},
		{"code": "incomplete-flags", "message": "the line looks cut short", "origin": {"file": "a.ps", "line": 2}},
		{"code": "incomplete-flags", "message": "the dump is exactly 4096 bytes", "origin": {"file": "cmdline"}},
	]})
	hidden := flags.hidden(["profiling"]) with input as doc
	hidden == "a.ps:2: the line looks cut short; cmdline: the dump is exactly 4096 bytes"
}

test_hidden_is_undefined_when_every_flag_is_shown if {
	not flags.hidden(["profiling"]) with input as testing.apiserver({})
}

# An incomplete-flags diagnostic naming one flag concerns only the controls reading it.
test_hidden_of_one_flag_concerns_only_that_flag if {
	doc := object.union(testing.apiserver({}), {"diagnostics": [{
		"code": "incomplete-flags", "flag": "audit-policy-file",
		"message": "RKE2 adds it after the line", "origin": {"file": "j.log", "line": 4},
	}]})
	hidden := flags.hidden(["audit-log-path", "audit-policy-file"]) with input as doc
	hidden == "j.log:4: RKE2 adds it after the line"
	not flags.hidden(["profiling"]) with input as doc
}
