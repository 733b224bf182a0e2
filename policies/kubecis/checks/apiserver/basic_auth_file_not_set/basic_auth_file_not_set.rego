# METADATA
# title: Basic authentication is not used (no --basic-auth-file)
# description: >-
#   --basic-auth-file read user passwords in plain text from a CSV file and sent them with
#   every request; the passwords could not be rotated without a restart. Kubernetes deprecated
#   it in 1.16 and removed it in 1.19.
# custom:
#   id: KAS-0006
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.2"]
#     cis-1.6: ["1.2.2"]
#     seed-2020: ["S02"]
#   remediation: >-
#     Remove --basic-auth-file and authenticate users with client certificates, OIDC or webhook
#     tokens. On Kubernetes 1.19 and later the flag no longer exists and must not be set.
#   flags: [basic-auth-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.basic_auth_file_not_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("basic-auth-file")

# A version that removed the flag: not-applicable when it is not set; set, that
# kube-apiserver does not start (a contradiction is a finding, never hidden).
result := verdict.new(_chain, "not-applicable", flags.removed_reason("basic-auth-file"), {"flag": _flag}) if {
	flags.removed("basic-auth-file")
	not _flag.set
}

result := verdict.contradiction(_chain, flags.contradiction_reason("basic-auth-file"), {"flag": _flag}) if flags.contradicted("basic-auth-file")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	not _flag.set
	not flags.removed("basic-auth-file")
	not flags.over_range("basic-auth-file")
}

# Not set, version unknown: judged on every minor the target may run (the flag exists only
# below 1.19): the same verdict everywhere is that verdict, otherwise warn with the split.
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("basic-auth-file", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("basic-auth-file")

_statuses := flags.unset_statuses("basic-auth-file")

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": passwords are read from a plain-text file"]),
	{"flag": _flag},
) if {
	_flag.set
	not flags.removed("basic-auth-file")
}
