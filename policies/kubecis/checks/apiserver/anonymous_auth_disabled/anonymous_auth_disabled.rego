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
#   flags: [anonymous-auth, authentication-config]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.anonymous_auth_disabled

import data.kubecis.lib.files
import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("anonymous-auth")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.value == false

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": anonymous requests are accepted"]),
	{"flag": _flag},
) if {
	_flag.value == true
	not _structured
}

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if _flag.error

# With --authentication-config (Kubernetes 1.31+) anonymous access may be set in the file's
# `anonymous` block instead of the flag (the two are mutually exclusive). The file decides
# when it was given; without an `anonymous` block the flag's default (true) applies.
_authn_config := flags.effective("authentication-config")

_structured if {
	not _flag.set
	_authn_config.set
}

_anonymous := files.content("authentication-config").anonymous if _structured

_config_evidence := object.union(
	{"flag": _flag, "authenticationConfig": _authn_config, "file": files.evidence("authentication-config")},
	_anonymous_evidence,
)

_anonymous_evidence := {"anonymous": _anonymous, "satisfiedBy": "authentication-config"} if _anonymous

_anonymous_evidence := {} if not _anonymous

result := verdict.new(_chain, "pass", "", _config_evidence) if _anonymous.enabled == false

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"--authentication-config=", flags.given(_authn_config),
		" enables anonymous requests (anonymous.enabled: true", _conditions, ")",
	]),
	_config_evidence,
) if _anonymous.enabled == true

_conditions := concat("", [" for ", concat(", ", [c.path | some c in _anonymous.conditions])]) if {
	count(object.get(_anonymous, "conditions", [])) > 0
} else := ""

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"--authentication-config=", flags.given(_authn_config),
		" has no anonymous block and --anonymous-auth is not set: anonymous requests are accepted (default true)",
	]),
	_config_evidence,
) if {
	files.content("authentication-config")
	_structured
	not _anonymous
}

result := verdict.new(
	_chain,
	"warn",
	concat("", [
		"--anonymous-auth is not set and --authentication-config=",
		flags.given(_authn_config),
		" may configure anonymous access, but the file was not given to kubecis: provide it or review its anonymous block",
	]),
	_config_evidence,
) if {
	_structured
	files.state("authentication-config") == "not-given"
}

result := verdict.new(_chain, "error", files.failed_reason("authentication-config"), _config_evidence) if {
	_structured
	not files.state("authentication-config") in {"read", "not-given"}
}
