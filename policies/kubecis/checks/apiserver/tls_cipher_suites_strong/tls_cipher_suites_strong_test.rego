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

# A TLS 1.3-only server offers Go's fixed TLS 1.3 suites whatever --tls-cipher-suites says.
test_tls13_only_passes_without_a_list if {
	r := check.result with input as testing.apiserver({"tls-min-version": "VersionTLS13"})
	r.status == "pass"
	r.reason == "--tls-min-version=VersionTLS13: only TLS 1.3 is served, whose suites Go fixes (all AEAD); --tls-cipher-suites applies to TLS 1.2 and below"
	r.evidence.flag.value == "VersionTLS13"
	r.evidence.cipherSuites.set == false
}

test_tls13_only_passes_with_a_weak_list if {
	r := check.result with input as testing.apiserver({"tls-min-version": "VersionTLS13", "tls-cipher-suites": ["TLS_RSA_WITH_AES_128_CBC_SHA"]})
	r.status == "pass"
}

test_tls12_minimum_still_judges_the_list if {
	r := check.result with input as testing.apiserver({"tls-min-version": "VersionTLS12"})
	r.status == "fail"
	startswith(r.reason, "--tls-cipher-suites is not set")
}
