# METADATA
# title: Check verdicts
# description: >-
#   The one constructor for check results, so every check returns the same shape:
#   {"id", "status", "reason", "evidence"}. The id comes from the check's own METADATA
#   (custom.id), read through rego.metadata.chain(), which OPA inlines at compile time,
#   so it works the same in WASM and in topdown. Convention: each check declares
#   `_chain := rego.metadata.chain()` once, below its imports, and passes `_chain` to
#   verdict.new and to the family helpers (lib.admission, lib.audit, lib.rbac); nothing else
#   calls rego.metadata.chain() (a complete rule is evaluated once per input, while the call
#   written in each result clause built the annotation literal once per clause). Profiles
#   gate; they never hide (DESIGN decision 8): a control that the active profile does not
#   contain (its METADATA frameworks lack the profile) keeps its real status and is marked
#   "outside": "<profile>", which keeps it out of the exit code and of conftest's deny/warn.
package kubecis.lib.verdict

import data.kubecis.lib.features
import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.profiles

# new(chain, status, reason, evidence) builds a result. chain is rego.metadata.chain()
# called in the check; status is one of pass, fail, warn, not-applicable, error.
new(chain, status, reason, evidence) := _result(chain, status, reason, evidence, false)

# contradiction(chain, reason, evidence) is the fail of a configuration the target's
# kube-apiserver does not start with: a flag, plugin or field its known version lacks
# (DESIGN decision 1: a finding, never quiet). It gates under every profile: the benchmarks
# that name such a control are those of the versions that still had the flag, so a profile
# of the target's own version lacks it exactly where the contradiction exists.
contradiction(chain, reason, evidence) := _result(chain, "fail", reason, evidence, true)

_result(chain, status, reason, evidence, contradicts) := object.union(
	{"id": id(chain), "status": v.status, "reason": v.reason, "evidence": evidence},
	_outside(chain, _contradicts(v, contradicts)),
) if {
	statuses[status]
	v := _verdict(chain, status, reason)
}

# _contradicts(v, asked): the verdict is a contradiction's fail (one the version refuses: a
# contradiction, or an alias the version no longer has); false when a refused value or
# hidden flags made it an error, which is the same error whoever built it.
_contradicts(v, asked) if {
	v.status == "fail"
	object.get(v, "contradicts", asked) == true
} else := false

# _outside(chain, contradicts) marks a result whose control the active profile lacks (not
# when the requested profile is unknown: then every result is an error that gates; not for
# a contradiction, which gates under every profile).
_outside(chain, contradicts) := {} if {
	profiles.includes(chain)
} else := {} if {
	profiles.unknown_request
} else := {} if {
	contradicts == true
} else := {"outside": profiles.active.name}

# outside(r) holds for a result marked as outside the active profile: shown, never gating.
outside(r) if r.outside

# Fail closed: a control that reads a flag whose value kube-apiserver refuses (no value, a
# value that does not parse, a list item it rejects, an unresolved variable) cannot be judged,
# whatever its own rules concluded: one reason, so a check's clauses never disagree. The flags
# a control reads are the ones its METADATA declares (custom.flags); lib.flags.refused reads
# only those (RBAC controls, some judged apart on a partial input, declare none).
_verdict(chain, status, reason) := {"status": "error", "reason": profiles.unknown_request} if {
	profiles.unknown_request
} else := {"status": "error", "reason": why} if {
	# A parameter the control declares (custom.parameters) set to a value of the wrong shape.
	why := params.problems(_declared_params(chain))
} else := {"status": "error", "reason": why} if {
	why := flags.refused(_declared_flags(chain))
} else := {"status": "fail", "reason": why, "contradicts": true} if {
	# A flag written under an old name the known version no longer has: that kube-apiserver
	# does not start, a contradiction of the version, which is a finding.
	why := flags.renamed_away(_declared_flags(chain))
} else := {"status": "error", "reason": why} if {
	# Flags may be missing or overridden (an incomplete-flags diagnostic: a variable standing
	# for whole arguments, an environment or k3s/RKE2 config file not given, a line cut
	# short): a control that reads any flag gets no verdict from the flags seen. A fail goes
	# too: kubecis does not prove, control by control, that no hidden argument could repair
	# it (a later scalar wins, a hidden --authorization-config or --admission-control changes
	# what a seen flag means), so the reason keeps what the flags seen give. not-applicable
	# stays: it rests on the version, and hidden flags can only narrow a version range.
	status in {"pass", "fail", "warn"}
	_reads_flags(chain)
	why := _incomplete(flags.hidden(_declared_flags(chain)), status, reason)
} else := v if {
	# A flag, plugin or file field the control reads that the version refuses because of a
	# feature gate (lib.features): a contradiction on a known version, warn with the split
	# on an unknown one where only some of its minors refuse it.
	v := features.refusal(_declared_flags(chain), status, reason)
} else := {"status": "warn", "reason": why} if {
	# A flag the distribution sets only on some of the releases the target may run (its patch
	# unknown): the verdict depends on the release (DESIGN decision 1), so warn, saying which
	# releases set it and what the document (as those releases run) gives.
	status in {"pass", "fail", "warn"}
	why := _release_dependent(flags.release_dependent(_declared_flags(chain)), status, reason)
} else := {"status": "error", "reason": why} if {
	# An inventory-wide control (METADATA custom.inventory: whole) never judges an RBAC
	# inventory that lost an input file: what the file held could change its verdict.
	some entry in chain
	object.get(object.get(entry.annotations, "custom", {}), "inventory", "") == "whole"
	input.inventory.complete == false
	why := incomplete(input.inventory.rejected)
} else := {"status": status, "reason": reason}

_declared_flags(chain) := [n | some entry in chain; some n in object.get(object.get(entry.annotations, "custom", {}), "flags", [])]

_declared_params(chain) := [n | some entry in chain; some n in object.get(object.get(entry.annotations, "custom", {}), "parameters", [])]

_reads_flags(chain) if {
	some entry in chain
	count(object.get(object.get(entry.annotations, "custom", {}), "flags", [])) > 0
}

# _incomplete(hidden, status, reason): where and why flags may be missing (lib.flags.hidden),
# then what the flags seen give.
_incomplete(hidden, status, reason) := concat("", [
	"flags may be missing or overridden: ", hidden,
	"; no verdict can rest on the flags seen (they give: ", status, _then(reason), ")",
])

_release_dependent(which, status, reason) := concat("", [
	"the verdict depends on the release: ", which, " (on the releases that set it: ", status, _then(reason), ")",
])

_then("") := ""

_then(reason) := concat("", [", ", reason]) if reason != ""

# incomplete(rejected) says why a control that needs the whole inventory is not judged.
incomplete(rejected) := concat("", [
	"inventory incomplete: ", concat(", ", rejected), _was(count(rejected)),
	" rejected, and this control judges the whole inventory: fix or re-export ", _it(count(rejected)), " and run again",
])

_was(1) := " was"

_was(n) := " were" if n != 1

_it(1) := "it"

_it(n) := "them" if n != 1

statuses := {"pass", "fail", "warn", "not-applicable", "error"}

# id(chain) is the custom.id of the nearest annotation in the chain that has one.
id(chain) := [entry.annotations.custom.id | some entry in chain; entry.annotations.custom.id][0]
