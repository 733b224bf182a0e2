# METADATA
# title: Service-account token lifetimes are not extended (--service-account-extend-token-expiration=false)
# description: >-
#   With --service-account-extend-token-expiration=true (the default) the API server issues
#   admission-injected service-account tokens valid for up to a year instead of their
#   requested lifetime, to ease migration to bound tokens. CIS 1.11 and later ask for false.
# custom:
#   id: KAS-0037
#   severity: medium
#   frameworks:
#     cis-1.11: ["1.2.30"]
#     cis-1.12: ["1.2.30"]
#   remediation: >-
#     Set --service-account-extend-token-expiration=false once workloads refresh their projected
#     tokens (client-go does so since 1.15).
#   flags: [service-account-extend-token-expiration]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.service_account_token_expiration_not_extended

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("service-account-extend-token-expiration")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	_flag.value == false
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": injected service-account tokens stay valid for up to a year"]),
	{"flag": _flag},
) if {
	_flag.value == true
}

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error
