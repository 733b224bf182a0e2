# METADATA
# title: Effective authorization modes
# description: >-
#   The authorizers kube-apiserver runs, from --authorization-mode (default AlwaysAllow), and
#   whether they are instead configured by an --authorization-config file (Kubernetes 1.29+;
#   the two are mutually exclusive).
package lib.authorization

import data.lib.flags

mode_flag := flags.effective("authorization-mode")

config_flag := flags.effective("authorization-config")

# from_config holds when the authorizers come from --authorization-config.
from_config if {
	not mode_flag.set
	config_flag.set
}

modes := {m | some m in mode_flag.value} if not from_config

# evidence for every authorization check.
evidence := {"flag": mode_flag} if not from_config

evidence := {"flag": mode_flag, "authorizationConfig": config_flag} if from_config

# config_reason explains a warn result for an --authorization-config target.
config_reason(what) := concat("", [
	"authorizers are configured by --authorization-config=", config_flag.value,
	": review that its authorizers ", what,
])
