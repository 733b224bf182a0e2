# METADATA
# title: Service-account tokens are checked against etcd (--service-account-lookup)
# description: >-
#   With --service-account-lookup=false the API server accepts a service-account token after
#   its ServiceAccount or Secret was deleted, as long as the signature is valid. The default
#   is true from Kubernetes 1.7 (false before).
# custom:
#   id: KAS-0030
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.27"]
#     cis-1.6: ["1.2.27"]
#     cis-1.20: ["1.2.26"]
#     cis-1.23: ["1.2.24"]
#     cis-1.24: ["1.2.23"]
#     cis-1.7: ["1.2.23"]
#     cis-1.8: ["1.2.22"]
#     cis-1.9: ["1.2.21"]
#     cis-1.10: ["1.2.21"]
#     cis-1.11: ["1.2.21"]
#     cis-1.12: ["1.2.21"]
#     seed-2020: ["S22"]
#   remediation: >-
#     Remove --service-account-lookup=false, or set --service-account-lookup=true.
#   flags: [service-account-lookup]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.service_account_lookup_enabled

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("service-account-lookup")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	not flags.over_range("service-account-lookup")
	_flag.value == true
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": tokens of deleted service accounts stay valid"]),
	{"flag": _flag},
) if {
	not flags.over_range("service-account-lookup")
	_flag.value == false
}

# Not set, version unknown: the default was false before 1.7, so the check is judged on every
# minor the target may run (warn with the split when it differs).
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("service-account-lookup", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("service-account-lookup")

_statuses := flags.absent_statuses("service-account-lookup", true)

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error
