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
