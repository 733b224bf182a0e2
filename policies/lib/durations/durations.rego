# METADATA
# title: Go durations
# description: >-
#   Parses Go duration strings ("1m0s", "300s", "1h30m", "1.5h") as kube-apiserver's
#   duration flags accept them, into seconds, without the time builtins (which the WASM
#   target lacks).
package lib.durations

# nanoseconds per unit
_units := {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 1000000, "s": 1000000000, "m": 60000000000, "h": 3600000000000}

# valid(text) holds for a Go duration: "0", or numbers each followed by a unit.
valid(text) if regex.match(`^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*)$`, text)

# seconds(text) is the duration in seconds; undefined unless valid(text).
seconds(text) := (_sign(text) * sum(parts)) / 1000000000 if {
	valid(text)
	matches := regex.find_all_string_submatch_n(`([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)`, text, -1)
	parts := [(_number(m[1]) * _units[m[2]]) | some m in matches]
}

_sign(text) := -1 if startswith(text, "-")

_sign(text) := 1 if not startswith(text, "-")

_number(digits) := to_number(concat("", ["0", digits]))
