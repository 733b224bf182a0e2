# METADATA
# title: Effective authorization modes
# description: >-
#   The authorizers kube-apiserver runs, from --authorization-mode (default AlwaysAllow), or,
#   when they are configured by an --authorization-config file instead (Kubernetes 1.29+; the
#   two are mutually exclusive), from the `type` of each entry of that file's `authorizers`.
#   When the file was not given to kubecis the checks ask for review (warn); when it was given
#   but could not be read or parsed they cannot judge (error).
package kubecis.lib.authorization

import data.kubecis.lib.files
import data.kubecis.lib.flags

mode_flag := flags.effective("authorization-mode")

config_flag := flags.effective("authorization-config")

# from_config holds when the authorizers come from --authorization-config.
from_config if {
	not mode_flag.set
	config_flag.set
}

_config := files.content("authorization-config") if from_config

# judged holds when the authorizers are known: from the flag, or from the file's content.
judged if not from_config

judged if _config

# pending holds when --authorization-config names a file that was not given to kubecis.
pending if {
	from_config
	files.state("authorization-config") == "not-given"
}

# failed holds when that file was given but is missing, unreadable or invalid.
failed if {
	from_config
	not files.state("authorization-config") in {"read", "not-given"}
}

modes := {m | some m in mode_flag.value} if not from_config

modes := {a.type | some a in object.get(_config, "authorizers", [])} if _config

_types := [a.type | some a in object.get(_config, "authorizers", [])]

# evidence for every authorization check; the file's authorizers when it was read.
evidence := {"flag": mode_flag} if not from_config

evidence := {
	"flag": config_flag,
	"authorizationMode": mode_flag,
	"file": files.evidence("authorization-config"),
} if {
	from_config
	not _config
}

evidence := {
	"flag": config_flag,
	"authorizationMode": mode_flag,
	"file": files.evidence("authorization-config"),
	"authorizers": [object.filter(a, {"type", "name"}) | some a in object.get(_config, "authorizers", [])],
	"satisfiedBy": "authorization-config",
} if _config

# describe renders where the authorizers come from, for fail reasons.
describe := flags.describe(mode_flag) if not from_config

describe := concat("", ["--authorization-config=", flags.given(config_flag), " (authorizers: ", concat(",", _types), ")"]) if _config

# config_reason explains a warn result for an --authorization-config file that was not given.
config_reason(what) := concat("", [
	"authorizers are configured by --authorization-config=", flags.given(config_flag),
	", which was not given to kubecis: provide the file, or review that its authorizers ", what,
])

failed_reason := files.failed_reason("authorization-config")
