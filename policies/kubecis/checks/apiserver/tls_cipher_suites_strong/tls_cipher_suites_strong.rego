# METADATA
# title: The API server offers only strong TLS cipher suites (--tls-cipher-suites)
# description: >-
#   Without --tls-cipher-suites the API server offers Go's default suites, which include CBC
#   and static-RSA suites. CIS asks for an allow-listed subset; the list changes between
#   benchmarks (8 suites up to CIS 1.20, 21 in 1.23-1.9, 15 in 1.10/1.11, 11 in 1.12). The
#   allow-list is a parameter: the active benchmark's list by default, or a stricter one (the
#   CIS 1.12 list) for every version. --tls-cipher-suites configures TLS 1.2 and below only
#   (Go crypto/tls Config.CipherSuites: "TLS 1.3 ciphersuites are not configurable"), so a
#   server that accepts TLS 1.3 alone (--tls-min-version=VersionTLS13) offers only Go's
#   TLS 1.3 suites, all AEAD and on every benchmark's strict list: it passes whatever
#   --tls-cipher-suites says.
# custom:
#   id: KAS-0041
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.35"]
#     cis-1.6: ["1.2.35"]
#     cis-1.20: ["1.2.34"]
#     cis-1.23: ["1.2.32"]
#     cis-1.24: ["1.2.31"]
#     cis-1.7: ["1.2.31"]
#     cis-1.8: ["1.2.30"]
#     cis-1.9: ["1.2.29"]
#     cis-1.10: ["1.2.29"]
#     cis-1.11: ["1.2.29"]
#     cis-1.12: ["1.2.29"]
#     seed-2020: ["S30"]
#   remediation: >-
#     Set --tls-cipher-suites to suites from the allow-list in force, for example
#     TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305
#     (in every benchmark's list).
#   flags: [tls-cipher-suites, tls-min-version]
#   parameters: [tls-cipher-allowlist, tls-cipher-suites]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.tls_cipher_suites_strong

import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("tls-cipher-suites")

_allowed := params.cipher_allowlist

_outside := [suite | some suite in _flag.value; not suite in _allowed.suites]

_min_version := flags.effective("tls-min-version")

_allowlist := {"name": _allowed.name, "parameter": params.used("tls-cipher-allowlist")}

# The evidence's flag is the one the verdict rests on; the other is shown beside it.
_evidence := {"flag": _flag, "minVersion": _min_version, "allowlist": _allowlist}

# Only TLS 1.3 is served: its suites are Go's fixed AEAD set, and the list does not apply.
_tls13_only if _min_version.value == "VersionTLS13"

# An empty --tls-cipher-suites= is an empty list, which Go's TLS stack reads as its defaults.
_go_defaults if not _flag.set

_go_defaults if count(_flag.value) == 0

result := verdict.new(
	_chain,
	"pass",
	concat("", [
		flags.describe(_min_version), ": only TLS 1.3 is served, whose suites Go fixes (all AEAD); ",
		"--tls-cipher-suites applies to TLS 1.2 and below",
	]),
	{"flag": _min_version, "cipherSuites": _flag, "allowlist": _allowlist},
) if _tls13_only

result := verdict.new(_chain, "pass", "", _evidence) if {
	not _tls13_only
	not _go_defaults
	count(_outside) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"--tls-cipher-suites lists suites outside the ", _allowed.name, " allow-list: ",
		concat(", ", _outside),
	]),
	_evidence,
) if {
	not _tls13_only
	not _go_defaults
	count(_outside) > 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		flags.describe(_flag), ": Go's default suites include ones outside the ",
		_allowed.name, " allow-list",
	]),
	_evidence,
) if {
	not _tls13_only
	_go_defaults
}
