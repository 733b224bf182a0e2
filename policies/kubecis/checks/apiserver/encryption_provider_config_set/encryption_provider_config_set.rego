# METADATA
# title: Secrets are encrypted at rest (--encryption-provider-config is set)
# description: >-
#   Without --encryption-provider-config the API server stores Secrets in etcd in plain text,
#   readable by anyone with etcd or backup access. When the file is given to kubecis it must
#   also cover secrets.
# custom:
#   id: KAS-0039
#   severity: high
#   frameworks:
#     cis-1.5: ["1.2.33"]
#     cis-1.6: ["1.2.33"]
#     cis-1.20: ["1.2.32"]
#     cis-1.23: ["1.2.30"]
#     cis-1.24: ["1.2.29"]
#     cis-1.7: ["1.2.29"]
#     cis-1.8: ["1.2.28"]
#     cis-1.9: ["1.2.27"]
#     cis-1.10: ["1.2.27"]
#     cis-1.11: ["1.2.27"]
#     cis-1.12: ["1.2.27"]
#     seed-2020: ["S33"]
#   remediation: >-
#     Create an EncryptionConfiguration whose resources include secrets with aescbc, secretbox
#     or kms v2 as first provider, and point --encryption-provider-config at it (the older
#     --experimental-encryption-provider-config name was removed in 1.24).
#   flags: [encryption-provider-config]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.encryption_provider_config_set

import data.kubecis.lib.files
import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

# The normalizer reads the older name --experimental-encryption-provider-config (1.7-1.23, one
# variable with this flag) as this flag; the evidence says which name was written.
_flag := flags.effective("encryption-provider-config")

_evidence := {"flag": _flag, "file": files.evidence(_flag.flag)}

_covers_secrets if {
	some entry in files.content(_flag.flag).resources
	some name in entry.resources
	name in {"secrets", "*.", "*.*"}
}

result := verdict.new(_chain, "pass", "", _evidence) if {
	_flag.set
	not _uncovered
}

_uncovered if {
	files.content(_flag.flag)
	not _covers_secrets
}

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": secrets are stored unencrypted in etcd"]),
	_evidence,
) if not _flag.set

result := verdict.new(
	_chain,
	"fail",
	concat("", [flags.describe(_flag), ": no resources entry covers secrets"]),
	_evidence,
) if {
	_flag.set
	_uncovered
}
