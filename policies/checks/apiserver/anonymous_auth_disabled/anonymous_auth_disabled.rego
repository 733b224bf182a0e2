# METADATA
# title: Anonymous requests to the API server are rejected
# description: >-
#   With --anonymous-auth=true (the default) every request that no authenticator claims is
#   served as system:anonymous in group system:unauthenticated, so RBAC bindings to those
#   subjects become reachable without credentials. Set --anonymous-auth=false.
# custom:
#   id: KAS-0001
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.1"]
#     cis-1.6: ["1.2.1"]
#     cis-1.20: ["1.2.1"]
#     cis-1.23: ["1.2.1"]
#     cis-1.24: ["1.2.1"]
#     cis-1.7: ["1.2.1"]
#     cis-1.8: ["1.2.1"]
#     cis-1.9: ["1.2.1"]
#     cis-1.10: ["1.2.1"]
#     cis-1.11: ["1.2.1"]
#     cis-1.12: ["1.2.1"]
#     seed-2020: ["S01"]
#   remediation: >-
#     Add --anonymous-auth=false to the kube-apiserver command (static pod manifest, kubeadm
#     apiServer.extraArgs, or the distribution's kube-apiserver-arg list).
#   flags: [anonymous-auth]
package checks.apiserver.anonymous_auth_disabled

import data.lib.flags
import data.lib.result

_flag := flags.effective("anonymous-auth")

result := result.new(rego.metadata.chain(), "pass", "", {"flag": _flag}) if _flag.value == false

result := result.new(
	rego.metadata.chain(),
	"fail",
	concat("", [flags.describe(_flag), ": anonymous requests are accepted"]),
	{"flag": _flag},
) if {
	_flag.value == true
	not _structured
}

result := result.new(rego.metadata.chain(), "error", flags.describe(_flag), {"flag": _flag}) if _flag.error

# With --authentication-config (Kubernetes 1.31+) anonymous access may be set in the file's
# `anonymous` block instead of the flag; until that file is read, say what to review.
result := result.new(
	rego.metadata.chain(),
	"warn",
	concat("", [
		"--anonymous-auth is not set and --authentication-config=",
		_authn_config.value,
		" may configure anonymous access: review its anonymous block",
	]),
	{"flag": _flag, "authenticationConfig": _authn_config},
) if _structured

_authn_config := flags.effective("authentication-config")

_structured if {
	not _flag.set
	_authn_config.set
}
