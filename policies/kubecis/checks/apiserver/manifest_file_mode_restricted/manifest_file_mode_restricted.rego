# METADATA
# title: The API server manifest is not writable by group or others (mode 600 or stricter)
# description: >-
#   Whoever can write /etc/kubernetes/manifests/kube-apiserver.yaml controls the API server's
#   flags and image. CIS 1.24 and later ask for mode 600 or stricter (earlier benchmarks 644);
#   the allowed bits are the parameter manifest-max-mode. Judged from the file metadata that
#   kubecis collects when it reads the manifest on the node.
# custom:
#   id: KAS-0042
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.1.1"]
#     cis-1.6: ["1.1.1"]
#     cis-1.20: ["1.1.1"]
#     cis-1.23: ["1.1.1"]
#     cis-1.24: ["1.1.1"]
#     cis-1.7: ["1.1.1"]
#     cis-1.8: ["1.1.1"]
#     cis-1.9: ["1.1.1"]
#     cis-1.10: ["1.1.1"]
#     cis-1.11: ["1.1.1"]
#     cis-1.12: ["1.1.1"]
#   remediation: >-
#     chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml (on the node).
#   parameters: [manifest-max-mode]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.manifest_file_mode_restricted

import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_manifest := input.manifest

_allowed := params.used("manifest-max-mode")

_evidence := {"manifest": _manifest, "allowedMode": _allowed}

_octal(text) := sum([bits.lsh(to_number(d), 3 * ((count(text) - 1) - i)) | some i, d in split(text, "")])

# _valid: three or four octal digits (what ^[0-7]{3,4}$ accepts), checked without a regex,
# which the WASM runtime would compile on every evaluation.
_valid if {
	is_string(_manifest.mode)
	count(_manifest.mode) in {3, 4}
	every c in split(_manifest.mode, "") {
		_octal_digits[c]
	}
}

_octal_digits := {"0", "1", "2", "3", "4", "5", "6", "7"}

# mode bits that the allowed mode does not have
_extra := bits.and(_octal(_manifest.mode), bits.negate(_octal(_allowed.value))) if _valid

result := verdict.new(_chain, "pass", "", _evidence) if _extra == 0

result := verdict.new(
	_chain,
	"fail",
	concat("", [_manifest.path, " has mode ", _manifest.mode, ": more permissive than ", _allowed.value]),
	_evidence,
) if _extra != 0

result := verdict.new(
	_chain,
	"error",
	concat("", [_manifest.path, ": mode ", json.marshal(_manifest.mode), " is not an octal file mode"]),
	_evidence,
) if {
	_manifest
	not _valid
}

result := verdict.new(
	_chain,
	"warn",
	"the manifest's file metadata is not part of this input: check that stat -c %a /etc/kubernetes/manifests/kube-apiserver.yaml on each control-plane node shows 600 or stricter",
	{"manifest": "not collected", "allowedMode": _allowed},
) if {
	flags.applies
	not input.manifest
}
