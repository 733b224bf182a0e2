# METADATA
# title: Check results
# description: >-
#   The one constructor for check results, so every check returns the same shape:
#   {"id", "status", "reason", "evidence"}. The id comes from the check's own METADATA
#   (custom.id), read through rego.metadata.chain(), which OPA inlines at compile time,
#   so it works the same in WASM and in topdown.
package lib.result

# new(chain, status, reason, evidence) builds a result. chain is rego.metadata.chain()
# called in the check; status is one of pass, fail, warn, not-applicable, error.
new(chain, status, reason, evidence) := {
	"id": id(chain),
	"status": status,
	"reason": reason,
	"evidence": evidence,
} if status in statuses

statuses := {"pass", "fail", "warn", "not-applicable", "error"}

# id(chain) is the custom.id of the nearest annotation in the chain that has one.
id(chain) := [entry.annotations.custom.id | some entry in chain; entry.annotations.custom.id][0]
