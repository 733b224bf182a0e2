package kubecis.lib.durations_test

import data.kubecis.lib.durations

test_go_durations if {
	durations.seconds("1m0s") == 60
	durations.seconds("300s") == 300
	durations.seconds("1h30m") == 5400
	durations.seconds("1.5h") == 5400
	durations.seconds("0") == 0
	durations.seconds("-2m") == -120
	durations.seconds("500ms") == 0.5
}

test_invalid_durations if {
	not durations.valid("60")
	not durations.valid("1d")
	not durations.valid("")
	not durations.seconds("banana")
}

# The regex-free path accepts only what the regex accepts, and computes the same seconds as
# the regex's groups give.
test_simple_forms_match_the_regex_path if {
	every text in ["1m0s", "300s", "90s", "1h30m", "2h0m0s", "00s", "5m", "12h", "1h1m1s"] {
		durations._simple(text)
		regex.match(`^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*)$`, text)
		matches := regex.find_all_string_submatch_n(`([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)`, text, -1)
		durations._simple_seconds(text) == (1 * sum([(durations._number(m[1]) * durations._units[m[2]]) | some m in matches])) / 1000000000
	}
}

test_simple_seconds if {
	durations.seconds("90s") == 90
	durations.seconds("2h0m0s") == 7200
	durations.seconds("00s") == 0
	durations.seconds("12h") == 43200
}

test_not_simple_forms if {
	every text in ["5ms", "1.5h", "-2m", "+1m", "0", "s", "m5", "1d", "1mm", "", "1s1"] {
		not durations._simple(text)
	}
	durations.seconds("5ms") == 0.005
	durations.seconds("+1m") == 60
	not durations.valid("1mm")
	not durations.valid("m5")
}
