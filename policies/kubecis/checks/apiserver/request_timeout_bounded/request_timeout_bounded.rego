# METADATA
# title: The global request timeout is a sensible value (--request-timeout)
# description: >-
#   --request-timeout (default 1m0s) bounds how long the API server works on a non-watch
#   request. CIS says to set it as appropriate (example 300s): too long a timeout lets slow
#   clients hold server resources. kubecis judges it against bounds that are parameters
#   (request-timeout-min-seconds 60, request-timeout-max-seconds 300).
# custom:
#   id: KAS-0029
#   severity: low
#   frameworks:
#     cis-1.5: ["1.2.26"]
#     cis-1.6: ["1.2.26"]
#     cis-1.20: ["1.2.25"]
#     cis-1.23: ["1.2.23"]
#     cis-1.24: ["1.2.22"]
#     cis-1.7: ["1.2.22"]
#     cis-1.8: ["1.2.21"]
#     cis-1.9: ["1.2.20"]
#     cis-1.10: ["1.2.20"]
#     cis-1.11: ["1.2.20"]
#     cis-1.12: ["1.2.20"]
#     seed-2020: ["S37"]
#   remediation: >-
#     Leave --request-timeout unset (1m0s) or set it within the organisation's bounds (CIS's
#     example is 300s); adjust the request-timeout-min-seconds / request-timeout-max-seconds
#     parameters with --data if needed.
#   flags: [request-timeout]
#   parameters: [request-timeout-min-seconds, request-timeout-max-seconds]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.request_timeout_bounded

import data.kubecis.lib.durations
import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("request-timeout")

_min := params.used("request-timeout-min-seconds")

_max := params.used("request-timeout-max-seconds")

_seconds := durations.seconds(_flag.value)

_evidence := object.union({"flag": _flag, "bounds": {"min": _min, "max": _max}}, _parsed)

_parsed := {"seconds": _seconds} if _seconds

_parsed := {} if not _seconds

result := verdict.new(_chain, "pass", "", _evidence) if {
	_seconds >= _min.value
	_seconds <= _max.value
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		flags.describe(_flag), ": outside ", format_int(_min.value, 10), "s-",
		format_int(_max.value, 10), "s",
	]),
	_evidence,
) if {
	is_number(_seconds)
	_outside
}

_outside if _seconds < _min.value

_outside if _seconds > _max.value

result := verdict.new(_chain, "error", flags.describe(_flag), _evidence) if _flag.error

result := verdict.new(
	_chain,
	"error",
	concat("", [flags.describe(_flag), ": not a Go duration such as 300s or 5m"]),
	_evidence,
) if {
	is_string(_flag.value)
	not durations.valid(_flag.value)
}
