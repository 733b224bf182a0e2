package kubecis.checks.apiserver.tls_cipher_suites_strong_test

import data.kubecis.checks.apiserver.tls_cipher_suites_strong as check
import data.kubecis.lib.testing

test_allow_listed_suites_pass if {
	r := check.result with input as testing.apiserver({"tls-cipher-suites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]})
	r.status == "pass"
	r.id == "KAS-0041"
	r.evidence.allowlist.name == "cis-1.12"
}

test_cbc_suite_fails_on_cis_1_12 if {
	r := check.result with input as testing.apiserver({"tls-cipher-suites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]})
	r.status == "fail"
	r.reason == "--tls-cipher-suites lists suites outside the cis-1.12 allow-list: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
}

test_list_follows_benchmark if {
	r := check.result with input as testing.apiserver_at({"tls-cipher-suites": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]}, 27)
	r.status == "pass"
	r.evidence.allowlist.name == "cis-1.9"
}

test_strict_option if {
	r := check.result with input as testing.apiserver_at({"tls-cipher-suites": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]}, 27) with data.kubecis.options.params as {"tls-cipher-allowlist": "strict"}
	r.status == "fail"
	r.evidence.allowlist.parameter.cisDefault == false
}

test_custom_list if {
	r := check.result with input as testing.apiserver({"tls-cipher-suites": ["TLS_RSA_WITH_AES_128_GCM_SHA256"]}) with data.kubecis.options.params as {"tls-cipher-allowlist": ["TLS_RSA_WITH_AES_128_GCM_SHA256"]}
	r.status == "pass"
	r.evidence.allowlist.name == "custom"
}

test_seed_profile_uses_version_benchmark if {
	r := check.result with input as testing.apiserver_at({"tls-cipher-suites": ["TLS_RSA_WITH_AES_128_GCM_SHA256"]}, 19) with data.kubecis.options.profile as "seed-2020"
	r.status == "pass"
	r.evidence.allowlist.name == "cis-1.20"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
	startswith(r.reason, "--tls-cipher-suites is not set")
}
