# METADATA
# title: The API server manifest is owned by root:root
# description: >-
#   A manifest owned by another user lets that user change the API server's flags. CIS asks
#   for root:root. Judged from the file metadata that kubecis collects when it reads the
#   manifest on the node.
# custom:
#   id: KAS-0043
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.1.2"]
#     cis-1.6: ["1.1.2"]
#     cis-1.20: ["1.1.2"]
#     cis-1.23: ["1.1.2"]
#     cis-1.24: ["1.1.2"]
#     cis-1.7: ["1.1.2"]
#     cis-1.8: ["1.1.2"]
#     cis-1.9: ["1.1.2"]
#     cis-1.10: ["1.1.2"]
#     cis-1.11: ["1.1.2"]
#     cis-1.12: ["1.1.2"]
#   remediation: >-
#     chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml (on the node).
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.manifest_file_owned_by_root

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_manifest := input.manifest

_evidence := {"manifest": _manifest}

result := verdict.new(_chain, "pass", "", _evidence) if {
	_manifest.uid == 0
	_manifest.gid == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		_manifest.path, " is owned by ", _name(_manifest, "owner", "uid"), ":",
		_name(_manifest, "group", "gid"), ", not root:root",
	]),
	_evidence,
) if {
	_manifest
	not _root_owned
}

_root_owned if {
	_manifest.uid == 0
	_manifest.gid == 0
}

_name(m, name, _) := m[name] if m[name]

_name(m, name, id) := format_int(m[id], 10) if not m[name]

result := verdict.new(
	_chain,
	"warn",
	"the manifest's file metadata is not part of this input: check that stat -c %U:%G /etc/kubernetes/manifests/kube-apiserver.yaml on each control-plane node shows root:root",
	{"manifest": "not collected"},
) if {
	flags.applies
	not input.manifest
}
