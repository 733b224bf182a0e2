# METADATA
# title: Secrets are encrypted with aescbc, secretbox or KMS v2
# description: >-
#   Kubernetes encrypts a resource with the first provider of the first
#   EncryptionConfiguration entry that covers it; identity first means plain text. CIS accepts
#   aescbc, kms and secretbox first for secrets; KMS v1 is deprecated since 1.28 and off by
#   default from 1.29. kubecis judges every entry that covers secrets (also through *. and *.*
#   wildcards) from the parsed file, never its key material, and lists resources left
#   unencrypted.
# custom:
#   id: KAS-0040
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.34"]
#     cis-1.6: ["1.2.34"]
#     cis-1.20: ["1.2.33"]
#     cis-1.23: ["1.2.31"]
#     cis-1.24: ["1.2.30"]
#     cis-1.7: ["1.2.30"]
#     cis-1.8: ["1.2.29"]
#     cis-1.9: ["1.2.28"]
#     cis-1.10: ["1.2.28"]
#     cis-1.11: ["1.2.28"]
#     cis-1.12: ["1.2.28"]
#     seed-2020: ["S34"]
#   remediation: >-
#     Make aescbc, secretbox or kms (apiVersion v2) the first provider of every resources entry
#     that covers secrets, keep identity only as a later provider for reading old data, then
#     rewrite existing secrets (kubectl get secrets -A -o json | kubectl replace -f -).
#   flags: [encryption-provider-config]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.encryption_providers_strong

import data.kubecis.lib.files
import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# The normalizer reads the older name --experimental-encryption-provider-config (1.7-1.23, one
# variable with this flag) as this flag; the evidence says which name was written.
_flag := flags.effective("encryption-provider-config")

_strong := {"aescbc", "secretbox", "kms"}

_content := files.content(_flag.flag) if _flag.set

# every resources entry that covers secrets, with its first provider
_entries := [_summary(i, entry) |
	some i, entry in _content.resources
	_covers_secrets(entry)
]

_covers_secrets(entry) if {
	some name in entry.resources
	name in {"secrets", "*.", "*.*"}
}

_summary(i, entry) := object.union(
	{"entry": i, "resources": entry.resources, "firstProvider": name},
	_kms_version(entry.providers[0], name),
) if {
	some name, _ in entry.providers[0]
}

_kms_version(provider, "kms") := {"kmsApiVersion": object.get(provider.kms, "apiVersion", "v1")}

_kms_version(_, name) := {} if name != "kms"

# resources whose first provider is identity: stored in plain text
_unencrypted := sort([name |
	some entry in _content.resources
	some first, _ in entry.providers[0]
	first == "identity"
	some name in entry.resources
])

_weak := [e | some e in _entries; not e.firstProvider in _strong]

_kms_v1 := [e | some e in _entries; e.firstProvider == "kms"; e.kmsApiVersion != "v2"]

_evidence := {
	"flag": _flag,
	"file": files.evidence(_flag.flag),
	"secretsEntries": _entries,
	"unencryptedResources": _unencrypted,
}

_evidence_without_file := {"flag": _flag, "file": files.evidence(_flag.flag)}

result := verdict.new(
	_chain,
	"fail",
	"--encryption-provider-config is not set: secrets are stored unencrypted in etcd",
	_evidence_without_file,
) if not _flag.set

result := verdict.new(
	_chain,
	"warn",
	files.not_given_reason(_flag.flag, _flag.value, "which providers encrypt secrets"),
	_evidence_without_file,
) if {
	_flag.set
	files.state(_flag.flag) == "not-given"
}

result := verdict.new(
	_chain,
	"error",
	files.failed_reason(_flag.flag),
	_evidence_without_file,
) if {
	_flag.set
	not files.state(_flag.flag) in {"read", "not-given"}
}

result := verdict.new(_chain, "pass", "", _evidence) if {
	count(_entries) > 0
	count(_weak) == 0
	count(_kms_v1) == 0
}

result := verdict.new(
	_chain,
	"fail",
	"no resources entry of the encryption configuration covers secrets: they are stored unencrypted",
	_evidence,
) if {
	_content
	count(_entries) == 0
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		"secrets are written with ", concat(", ", sort({e.firstProvider | some e in _weak})),
		" as first provider (",
		_identity_note, "CIS accepts aescbc, secretbox or kms first)",
	]),
	_evidence,
) if count(_weak) > 0

_identity_note := "identity stores them unencrypted; " if {
	some e in _weak
	e.firstProvider == "identity"
} else := ""

result := verdict.new(
	_chain,
	"warn",
	"secrets are encrypted with KMS v1, deprecated since Kubernetes 1.28 and off by default from 1.29: migrate to KMS v2 (apiVersion: v2)",
	_evidence,
) if {
	count(_weak) == 0
	count(_kms_v1) > 0
}

# A value kube-apiserver refuses: lib.verdict.new gives the reason (fail closed).
result := verdict.new(_chain, "error", "", _evidence_without_file) if _flag.error
