# METADATA
# title: Audit log retention
# description: >-
#   The one judgement of the audit-log retention controls (--audit-log-maxage,
#   --audit-log-maxbackup, --audit-log-maxsize): the flag's effective value against the
#   parameter of the same name (a CIS minimum the user may override with --data).
package kubecis.lib.audit

import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.verdict

# at_least(chain, name, why, unit) is the result of a control that wants --<name> at least
# the parameter <name>: pass, fail with "<flag>: <why> (at least <n> <unit> required)", or
# error when the value could not be parsed. Evidence: {"flag", "threshold"}.
at_least(chain, name, why, unit) := r if {
	flag := flags.effective(name)
	param := params.used(name)
	r := _at_least(chain, flag, param, why, unit)
}

_at_least(chain, flag, param, why, unit) := verdict.new(chain, "error", flags.describe(flag), _evidence(flag, param)) if {
	flag.error
} else := verdict.new(chain, "pass", "", _evidence(flag, param)) if {
	flag.value >= param.value
} else := verdict.new(
	chain,
	"fail",
	concat("", [flags.describe(flag), ": ", why, " (at least ", format_int(param.value, 10), " ", unit, " required)"]),
	_evidence(flag, param),
) if {
	flag.value < param.value
}

_evidence(flag, param) := {"flag": flag, "threshold": param}
