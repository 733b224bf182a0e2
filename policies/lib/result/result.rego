# METADATA
# title: Check results
# description: >-
#   The one constructor for check results, so every check returns the same shape:
#   {"id", "status", "reason", "evidence"}. The id comes from the check's own METADATA
#   (custom.id), read through rego.metadata.chain(), which OPA inlines at compile time,
#   so it works the same in WASM and in topdown. A control that the active profile does
#   not contain (its METADATA frameworks lack the profile) is reported as not-applicable,
#   "not part of <profile>", with the verdict it would have had kept in the evidence.
package lib.result

import data.lib.flags
import data.lib.profiles

# new(chain, status, reason, evidence) builds a result. chain is rego.metadata.chain()
# called in the check; status is one of pass, fail, warn, not-applicable, error. The
# not-applicable form (else) is built only when the active profile lacks the control.
new(chain, status, reason, evidence) := _new(chain, v.status, v.reason, evidence) if {
	statuses[status]
	v := _verdict(chain, status, reason)
}

_new(chain, status, reason, evidence) := {
	"id": id(chain),
	"status": status,
	"reason": reason,
	"evidence": evidence,
} if {
	profiles.includes(chain)
} else := {
	"id": id(chain),
	"status": "not-applicable",
	"reason": concat("", ["not part of ", profiles.active.name, _also(status, reason)]),
	"evidence": object.union(evidence, {"outsideProfile": {
		"profile": profiles.active.name,
		"status": status,
		"reason": reason,
	}}),
}

# Fail closed: a control that reads a flag whose value kube-apiserver refuses (no value, a
# value that does not parse, a list item it rejects, an unresolved variable) cannot be judged,
# whatever its own rules concluded: one reason, so a check's clauses never disagree. The flags
# a control reads are the ones its METADATA declares (custom.flags); lib.flags.refused reads
# only those (RBAC controls, some judged apart on a partial input, declare none).
_verdict(chain, status, reason) := {"status": "error", "reason": why} if {
	why := flags.refused([n | some entry in chain; some n in object.get(object.get(entry.annotations, "custom", {}), "flags", [])])
} else := {"status": status, "reason": reason}

statuses := {"pass", "fail", "warn", "not-applicable", "error"}

# _also adds the control's own reason for not applying (a removed flag, say) to "not part of".
_also("not-applicable", reason) := concat("", ["; ", reason])

_also(status, _) := "" if status != "not-applicable"

# id(chain) is the custom.id of the nearest annotation in the chain that has one.
id(chain) := [entry.annotations.custom.id | some entry in chain; entry.annotations.custom.id][0]
