# METADATA
# title: Check results
# description: >-
#   The one constructor for check results, so every check returns the same shape:
#   {"id", "status", "reason", "evidence"}. The id comes from the check's own METADATA
#   (custom.id), read through rego.metadata.chain(), which OPA inlines at compile time,
#   so it works the same in WASM and in topdown. Profiles gate; they never hide (DESIGN
#   decision 8): a control that the active profile does not contain (its METADATA
#   frameworks lack the profile) keeps its real status and is marked
#   "outside": "<profile>", which keeps it out of the exit code and of conftest's deny/warn.
package lib.result

import data.lib.profiles

# new(chain, status, reason, evidence) builds a result. chain is rego.metadata.chain()
# called in the check; status is one of pass, fail, warn, not-applicable, error.
new(chain, status, reason, evidence) := object.union(
	{"id": id(chain), "status": status, "reason": reason, "evidence": evidence},
	_outside(chain),
) if statuses[status]

# _outside(chain) marks a result whose control the active profile lacks.
_outside(chain) := {} if {
	profiles.includes(chain)
} else := {"outside": profiles.active.name}

# outside(r) holds for a result marked as outside the active profile: shown, never gating.
outside(r) if r.outside

statuses := {"pass", "fail", "warn", "not-applicable", "error"}

# id(chain) is the custom.id of the nearest annotation in the chain that has one.
id(chain) := [entry.annotations.custom.id | some entry in chain; entry.annotations.custom.id][0]
