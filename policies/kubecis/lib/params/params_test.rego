package kubecis.lib.params_test

import data.kubecis.lib.params
import data.kubecis.lib.testing

test_defaults_are_cis_values if {
	params.used("audit-log-maxage") == {"parameter": "audit-log-maxage", "value": 30, "cisDefault": true}
}

test_overrides_merge_per_key if {
	params.value("audit-log-maxage") == 90 with data.kubecis.options.params as {"audit-log-maxage": 90}
	params.value("audit-log-maxbackup") == 10 with data.kubecis.options.params as {"audit-log-maxage": 90}
	params.used("audit-log-maxage").cisDefault == false with data.kubecis.options.params as {"audit-log-maxage": 90}
}

test_cipher_allowlist_follows_the_benchmark if {
	params.cipher_allowlist.name == "cis-1.12" with input as testing.apiserver({})
	params.cipher_allowlist.name == "cis-1.20" with input as testing.apiserver_at({}, 19)
	count(params.cipher_allowlist.suites) == 8 with input as testing.apiserver_at({}, 19)
	count(params.cipher_allowlist.suites) == 21 with input as testing.apiserver_at({}, 24)
	count(params.cipher_allowlist.suites) == 15 with input as testing.apiserver_at({}, 29)
	count(params.cipher_allowlist.suites) == 11 with input as testing.apiserver({})
}

test_seed_profile_on_an_old_version_uses_the_fallback_list if {
	params.cipher_allowlist.name == "cis-1.12" with input as testing.apiserver_at({}, 13)
}

# A misshapen override (OPA and conftest users set options.params themselves; the CLI refuses
# it) never makes a control pass or vanish: the control is an error naming it.
test_misshapen_override_is_an_error_of_the_controls_declaring_it if {
	every case in [
		["audit-log-maxage", "90", "audit_log_maxage_sufficient"],
		["tls-cipher-allowlist", "strict2", "tls_cipher_suites_strong"],
		["request-timeout-max-seconds", "x", "request_timeout_bounded"],
		["manifest-max-mode", 600, "manifest_file_mode_restricted"],
		["required-admission-plugins", [null], "node_restriction_plugin_enabled"],
	] {
		_misshapen_error(case[0], case[1], case[2])
	}
}

_misshapen_error(name, v, check) if {
	r := data.kubecis.checks.apiserver[check].result with input as testing.apiserver({})
		with data.kubecis.options.params as {name: v}
	r.status == "error"
	startswith(r.reason, concat("", ["data.kubecis.options.params[\"", name, "\"] is "]))
}

test_misshapen_switch_still_gates if {
	params.value("gate-rbac-risks") == true with data.kubecis.options.params as {"gate-rbac-risks": "no"}
	params.problem("gate-rbac-risks") == "data.kubecis.options.params[\"gate-rbac-risks\"] is \"no\", not true or false" with data.kubecis.options.params as {"gate-rbac-risks": "no"}
	not params.problem("rbac-max-findings") with data.kubecis.options.params as {"rbac-max-findings": null}
	not params.problem("audit-log-maxage") with data.kubecis.options.params as {"audit-log-maxage": 90}
}
