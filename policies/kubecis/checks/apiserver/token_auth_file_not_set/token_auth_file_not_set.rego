# METADATA
# title: Static token authentication is not used (no --token-auth-file)
# description: >-
#   --token-auth-file reads bearer tokens from a plain-text CSV file; they never expire and
#   can only be changed by restarting the API server.
# custom:
#   id: KAS-0008
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.3"]
#     cis-1.6: ["1.2.3"]
#     cis-1.20: ["1.2.2"]
#     cis-1.23: ["1.2.2"]
#     cis-1.24: ["1.2.2"]
#     cis-1.7: ["1.2.2"]
#     cis-1.8: ["1.2.2"]
#     cis-1.9: ["1.2.2"]
#     cis-1.10: ["1.2.2"]
#     cis-1.11: ["1.2.2"]
#     cis-1.12: ["1.2.2"]
#     seed-2020: ["S19"]
#   remediation: >-
#     Remove --token-auth-file and use client certificates, OIDC, webhook token authentication
#     or service-account tokens instead.
#   flags: [token-auth-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.token_auth_file_not_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("token-auth-file")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	not _flag.set
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": static bearer tokens are read from a plain-text file"]),
	{"flag": _flag},
) if {
	_flag.set
}
