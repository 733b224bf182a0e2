# METADATA
# title: The API server reaches kubelets over HTTPS (--kubelet-https is not false)
# description: >-
#   --kubelet-https=false made the API server talk to kubelets over plain HTTP, exposing
#   exec/logs streams and credentials. From Kubernetes 1.19 the connection is always HTTPS,
#   and the flag was removed in 1.22.
# custom:
#   id: KAS-0010
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.4"]
#     cis-1.6: ["1.2.4"]
#     cis-1.20: ["1.2.3"]
#     cis-1.23: ["1.2.4"]
#     seed-2020: ["S04"]
#   remediation: >-
#     Remove --kubelet-https=false (or set it to true) on Kubernetes 1.21 and earlier. From 1.22
#     the flag no longer exists and must not be set.
#   flags: [kubelet-https]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.kubelet_https_enabled

import data.kubecis.lib.flags
import data.kubecis.lib.verdict
import data.kubecis.lib.versions

_chain := rego.metadata.chain()

_flag := flags.effective("kubelet-https")

# A version that removed the flag: not-applicable when it is not set; set, that
# kube-apiserver does not start (a contradiction is a finding, never hidden).
result := verdict.new(_chain, "not-applicable", flags.removed_reason("kubelet-https"), {"flag": _flag}) if {
	flags.removed("kubelet-https")
	not _flag.set
}

result := verdict.contradiction(_chain, flags.contradiction_reason("kubelet-https"), {"flag": _flag}) if flags.contradicted("kubelet-https")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if {
	_flag.value == true
	not flags.removed("kubelet-https")
	not flags.over_range("kubelet-https")
}

# Not set, version unknown: judged on every minor the target may run (the flag exists only
# below 1.22): the same verdict everywhere is that verdict, otherwise warn with the split.
result := verdict.new(
	_chain,
	flags.range_status(_statuses),
	flags.range_reason("kubelet-https", _statuses),
	{"flag": _flag, "versions": {"lowest": versions.lowest, "highest": versions.highest}},
) if flags.over_range("kubelet-https")

_statuses := flags.absent_statuses("kubelet-https", true)

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": kubelets are reached over plain HTTP"]),
	{"flag": _flag},
) if {
	_flag.value == false
	not flags.removed("kubelet-https")
	not flags.over_range("kubelet-https")
}

result := verdict.new(_chain, "error", flags.describe(_flag), {"flag": _flag}) if {
	not flags.removed("kubelet-https")
	_flag.error
}
