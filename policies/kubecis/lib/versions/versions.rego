# METADATA
# title: Kubernetes version facts
# description: >-
#   The target's Kubernetes minor version, and comparisons against "MAJOR.MINOR" strings
#   used in data.kubecis (flag removals and versioned defaults).
package kubecis.lib.versions

# minor is the target's Kubernetes minor (33 for v1.33.2); undefined when the version is unknown.
minor := input.kubernetesVersion.minor if is_number(input.kubernetesVersion.minor)

known if minor

# minor_of("1.24") == 24
minor_of(text) := to_number(split(text, ".")[1])

# at_least(text) holds when the target's version is known and is text or later.
at_least(text) if minor >= minor_of(text)

# target describes the target's version for messages: "1.33" or "an unknown version".
target := concat(".", ["1", format_int(minor, 10)]) if known

target := "an unknown version" if not known

# The minors the target may run, lowest to highest (inclusive): the known minor, else the
# range the set flags allow (input.kubernetesVersion.range: from <= minor < below), else
# every minor up to the newest kubecis knows (data.kubecis.profiles.newest).
lowest := minor if known

lowest := _range_from if not known

highest := minor if known

highest := _range_below - 1 if not known

# The range's bounds, or the widest (object.get: a missing range is not an undefined `not`).
_range_from := v if {
	v := object.get(input.kubernetesVersion, ["range", "from"], 0)
	is_number(v)
} else := 0

_range_below := v if {
	v := object.get(input.kubernetesVersion, ["range", "below"], data.kubecis.profiles.newest + 1)
	is_number(v)
} else := data.kubecis.profiles.newest + 1

# possible is every minor the target may run, lowest first. Flags no version accepts together
# give an empty range (lowest > highest: a version-contradiction diagnostic, KAS-0045 fails);
# the checks are then judged over the minors between the two bounds, each side's evidence,
# never over a reversed list.
possible := numbers.range(lowest, highest) if lowest <= highest

possible := numbers.range(highest, lowest) if lowest > highest

# uniform(statuses) holds when a check's status is the same for every possible minor
# (statuses: one status per entry of `possible`, in order).
uniform(statuses) if count({s | some s in statuses}) == 1

# split_reason(statuses) spells out how a status depends on the version, for a `warn`:
# "fail below 1.20, pass 1.20-1.23, not-applicable from 1.24; give --kubernetes-version".
split_reason(statuses) := concat("", [concat(", ", [_segment(statuses, i) | some i in _starts(statuses)]), "; give --kubernetes-version"])

# _starts are the indexes of `possible` where the status changes (and 0).
_starts(statuses) := [i | some i in numbers.range(0, count(statuses) - 1); _starts_at(statuses, i)]

_starts_at(_, 0) := true

_starts_at(statuses, i) if {
	i > 0
	statuses[i] != statuses[i - 1]
}

_segment(statuses, i) := concat("", [statuses[i], " ", _span(statuses, i, _end(statuses, i))])

# _end is the last index of the segment starting at i: before the next start, else the last.
_end(statuses, i) := later[0] - 1 if {
	later := [j | some j in _starts(statuses); j > i]
	count(later) > 0
} else := count(statuses) - 1

_span(_, 0, e) := concat("", ["below 1.", format_int(possible[e] + 1, 10)]) if e < count(possible) - 1

_span(_, i, e) := concat("", ["from 1.", format_int(possible[i], 10)]) if {
	i > 0
	e == count(possible) - 1
}

_span(_, i, e) := concat("", ["1.", format_int(possible[i], 10), "-1.", format_int(possible[e], 10)]) if {
	i > 0
	e < count(possible) - 1
}

_span(_, 0, e) := "for every version" if e == count(possible) - 1
