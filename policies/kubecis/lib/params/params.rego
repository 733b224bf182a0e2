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

# value(name) is the parameter in force: the user's override when it has the shape the
# parameter takes, else the CIS default (a control declaring a misshapen one is an error:
# problems).
value(name) := v if {
	v := _overrides[name]
	not problem(name)
} else := data.kubecis.params[name]

# problem(name) says why the user's override of name cannot be used. The CLI refuses such a
# --data file (src/scan.ts paramProblem, the same shapes); OPA and conftest users set
# data.kubecis.options.params themselves, and a control must not pass or vanish on it.
problem(name) := concat("", [
	"data.kubecis.options.params[\"", name, "\"] is ", json.marshal(v), ", not ", _shape(name),
]) if {
	name in object.keys(_overrides)
	v := _overrides[name]
	not _fits(name, v)
}

# problems(names) is every problem among the parameters names, joined, if there is one.
problems(names) := concat("; ", found) if {
	found := [p | some n in names; p := problem(n)]
	count(found) > 0
}

_fits("tls-cipher-allowlist", v) if v in {"benchmark", "strict"}

_fits("tls-cipher-allowlist", v) if {
	count(v) > 0
	_names(v)
}

_fits("manifest-max-mode", v) if {
	is_string(v)
	regex.match(`^[0-7]{3,4}$`, v)
}

# The CLI's --all lifts the findings cap with null.
_fits("rbac-max-findings", null)

_fits(name, v) if {
	not name in _special
	_fits_default(data.kubecis.params[name], v)
}

_special := {"tls-cipher-allowlist", "manifest-max-mode"}

_fits_default(d, v) if {
	is_number(d)
	is_number(v)
	v >= 0
	v == floor(v)
	v <= 9007199254740991 # the largest integer a JSON number holds exactly (Number.MAX_SAFE_INTEGER)
}

_fits_default(d, v) if {
	is_string(d)
	is_string(v)
	trim_space(v) != ""
}

_fits_default(d, v) if {
	is_boolean(d)
	is_boolean(v)
}

_fits_default(d, v) if {
	is_array(d)
	_names(v)
}

_fits_default(d, v) if {
	is_object(d)
	is_object(v)
	every list in v {
		_names(list)
	}
}

_names(v) if {
	is_array(v)
	every item in v {
		is_string(item)
		trim_space(item) != ""
	}
}

_shape("tls-cipher-allowlist") := "\"benchmark\", \"strict\" or a list of cipher suite names"

_shape("manifest-max-mode") := "octal mode bits as a string such as \"600\""

_shape(name) := _default_shape(data.kubecis.params[name]) if not name in _special

_default_shape(d) := "a whole number of 0 or more" if is_number(d)

_default_shape(d) := "a string" if is_string(d)

_default_shape(d) := "true or false" if is_boolean(d)

_default_shape(d) := "a list of names" if is_array(d)

_default_shape(d) := "a map of lists of names" if is_object(d)

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
