# METADATA
# title: Check parameters
# description: >-
#   Thresholds and allow-lists the checks judge against: the CIS defaults in
#   data.kubecis.params, each key overridable by data.kubecis.options.params (the user's
#   --data file). Every result that uses a parameter shows it with used(name).
package kubecis.lib.params

import data.kubecis.lib.profiles

default _overrides := {}

_overrides := data.kubecis.options.params

# value(name) is the parameter in force: the user's override, else the CIS default.
value(name) := v if {
	v := _overrides[name]
} else := data.kubecis.params[name]

# cis_default(name) holds when the parameter in force is the shipped default.
cis_default(name) if value(name) == data.kubecis.params[name]

# used(name) is the evidence entry for a parameter: its value and whether it is the default.
used(name) := {"parameter": name, "value": value(name), "cisDefault": true} if {
	cis_default(name)
} else := {"parameter": name, "value": value(name), "cisDefault": false}

# cipher_allowlist is the --tls-cipher-suites allow-list in force and where it comes from.
cipher_allowlist := {"name": name, "suites": data.kubecis.params["tls-cipher-suites"][name]} if {
	value("tls-cipher-allowlist") == "benchmark"
	name := profiles.benchmark
}

cipher_allowlist := {"name": "strict", "suites": data.kubecis.params["tls-cipher-suites"].strict} if {
	value("tls-cipher-allowlist") == "strict"
}

cipher_allowlist := {"name": "custom", "suites": value("tls-cipher-allowlist")} if is_array(value("tls-cipher-allowlist"))
