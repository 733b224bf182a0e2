# METADATA
# title: The unauthenticated HTTP port is disabled (--insecure-port=0)
# description: >-
#   Before Kubernetes 1.20 the API server served an unauthenticated, unauthorized HTTP port,
#   8080 by default, unless --insecure-port=0. From 1.20 only 0 is accepted, and the flag was
#   removed in 1.24 (setting it there stops kube-apiserver).
# custom:
#   id: KAS-0022
#   severity: critical
#   frameworks:
#     cis-1.5: ["1.2.19"]
#     cis-1.6: ["1.2.19"]
#     cis-1.20: ["1.2.18"]
#     seed-2020: ["S06"]
#   remediation: >-
#     On Kubernetes 1.19 and earlier set --insecure-port=0; on 1.20-1.23 leave it unset or 0.
#     From 1.24 the flag no longer exists: remove it.
#   flags: [insecure-port]
package checks.apiserver.insecure_port_disabled

import data.lib.flags
import data.lib.result
import data.lib.versions

# _chain is this check's METADATA (id, frameworks) for lib.result.new. A complete rule is
# evaluated once per input; rego.metadata.chain() written in each result clause builds the
# whole annotation literal before that clause's body runs, once per clause.
_chain := rego.metadata.chain()

_flag := flags.effective("insecure-port")

# A known version that removed the flag: not-applicable when it is not set; when it is set,
# that kube-apiserver does not start, so the configuration is wrong (fail, never hidden).
result := result.new(_chain, "not-applicable", flags.removed_reason("insecure-port"), {"flag": _flag}) if {
	flags.removed("insecure-port")
	not _flag.set
}

result := result.new(_chain, "fail", flags.contradiction_reason("insecure-port"), {"flag": _flag}) if {
	flags.contradicted("insecure-port")
}

# A set flag is judged by its real value (an unknown version's range is then below 1.24).
result := result.new(_chain, "pass", "", {"flag": _flag}) if {
	_judged_directly
	_flag.value == 0
}

result := result.new(_chain, "fail", _open_reason(flags.describe(_flag)), {"flag": _flag}) if {
	_judged_directly
	_flag.value != 0
}

# Not set, version unknown: the default over every version the target may run. The same
# verdict everywhere is that verdict; otherwise warn, with the split spelled out.
result := result.new(_chain, _range_statuses[0], _range_reason, {"flag": _flag, "versions": _range_evidence}) if {
	not versions.known
	not _flag.set
	versions.uniform(_range_statuses)
}

result := result.new(_chain, "warn", concat("", ["--insecure-port is not set and the version is unknown: ", versions.split_reason(_range_statuses)]), {
	"flag": _flag,
	"versions": _range_evidence,
}) if {
	not versions.known
	not _flag.set
	not versions.uniform(_range_statuses)
}

result := result.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error

_judged_directly if {
	_flag.set
	not flags.removed("insecure-port")
}

_judged_directly if {
	versions.known
	not flags.removed("insecure-port")
}

_open_reason(described) := concat("", [described, ": the API server serves unauthenticated HTTP requests"])

_status_at(m) := "not-applicable" if flags.removed_at("insecure-port", m)

_status_at(m) := "pass" if {
	not flags.removed_at("insecure-port", m)
	flags.default_at("insecure-port", m) == 0
}

_status_at(m) := "fail" if {
	not flags.removed_at("insecure-port", m)
	flags.default_at("insecure-port", m) != 0
}

_range_statuses := [_status_at(m) | some m in versions.possible]

_range_evidence := {"lowest": versions.lowest, "highest": versions.highest, "statuses": versions.split_reason(_range_statuses)}

_range_reason := _open_reason(concat("", ["--insecure-port=8080 (default on every possible version)"])) if _range_statuses[0] == "fail"

_range_reason := "--insecure-port is removed on every possible version" if _range_statuses[0] == "not-applicable"

_range_reason := "" if _range_statuses[0] == "pass"
