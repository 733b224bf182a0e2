package lib.durations_test

import data.lib.durations

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
