# METADATA
# title: Arbitrary bearer tokens are not accepted (no --insecure-allow-any-token)
# description: >-
#   --insecure-allow-any-token made the API server accept any bearer token of the form
#   username/group and trust the user it names. Kubernetes removed it in 1.8.
# custom:
#   id: KAS-0007
#   severity: critical
#   frameworks:
#     seed-2020: ["S03"]
#   remediation: >-
#     Remove --insecure-allow-any-token. On Kubernetes 1.8 and later the flag no longer exists
#     and must not be set.
#   flags: [insecure-allow-any-token]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.insecure_allow_any_token_not_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("insecure-allow-any-token")

# A version that removed the flag: not-applicable when it is not set; set, that
# kube-apiserver does not start (a contradiction is a finding, never hidden).
result := verdict.new(_chain, "not-applicable", flags.removed_reason("insecure-allow-any-token"), {"flag": _flag}) if {
	flags.removed("insecure-allow-any-token")
	not _flag.set
}

result := verdict.contradiction(_chain, flags.contradiction_reason("insecure-allow-any-token"), {"flag": _flag}) if flags.contradicted("insecure-allow-any-token")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	not _flag.set
	not flags.removed("insecure-allow-any-token")
	not flags.over_range("insecure-allow-any-token")
}

# Not set, version unknown: judged on every minor the target may run (the flag exists only
# below 1.8): the same verdict everywhere is that verdict, otherwise warn with the split.
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("insecure-allow-any-token", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("insecure-allow-any-token")

_statuses := flags.unset_statuses("insecure-allow-any-token")

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": any bearer token is accepted"]),
	{"flag": _flag},
) if {
	_flag.set
	not flags.removed("insecure-allow-any-token")
}
