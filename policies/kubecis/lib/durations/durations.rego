# METADATA
# title: Go durations
# description: >-
#   Parses Go duration strings ("1m0s", "300s", "1h30m", "1.5h") as kube-apiserver's
#   duration flags accept them, into seconds, without the time builtins (which the WASM
#   target lacks).
package kubecis.lib.durations

# nanoseconds per unit
_units := {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 1000000, "s": 1000000000, "m": 60000000000, "h": 3600000000000}

# valid(text) holds for a Go duration: "0", or numbers each followed by a unit. The common
# forms ("60s", "1m0s", "1h30m") are recognised without a regex: the WASM runtime compiles a
# regex on every call, which cost more than all the rest of request_timeout_bounded.
valid(text) if {
	_simple(text)
} else if regex.match("^[-+]?(0|([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*)$", text)

# seconds(text) is the duration in seconds; undefined unless valid(text).
seconds(text) := _simple_seconds(text) if {
	_simple(text)
} else := (_sign(text) * sum(parts)) / 1000000000 if {
	valid(text)
	matches := regex.find_all_string_submatch_n(`([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)`, text, -1)
	parts := [(_number(m[1]) * _units[m[2]]) | some m in matches]
}

_sign(text) := -1 if startswith(text, "-")

_sign(text) := 1 if not startswith(text, "-")

_number(digits) := to_number(concat("", ["0", digits]))

# _simple(text) holds for digits followed by h, m or s, one or more times: "90s", "1m0s",
# "2h30m". Every such text is valid and matches the regex's groups one for one.
_simple(text) if {
	chars := split(text, "")
	count(chars) > 1
	_hms[chars[count(chars) - 1]]
	every i, c in chars {
		_simple_char(chars, i, c)
	}
}

_hms := {"h", "m", "s"}

_digits := {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

_simple_char(_, _, c) if _digits[c]

_simple_char(chars, i, c) if {
	_hms[c]
	i > 0
	_digits[chars[i - 1]]
}

# _simple_seconds(text) computes what seconds(text) computes from the regex's groups, in the
# same order and with the same arithmetic, for a _simple text.
_simple_seconds(text) := (1 * sum(parts)) / 1000000000 if {
	chars := split(text, "")
	ends := [i | some i, c in chars; _hms[c]]
	parts := [(_number(substring(text, _start(ends, k), end - _start(ends, k))) * _units[chars[end]]) |
		some k, end in ends
	]
}

_start(_, 0) := 0

_start(ends, k) := ends[k - 1] + 1 if k > 0
