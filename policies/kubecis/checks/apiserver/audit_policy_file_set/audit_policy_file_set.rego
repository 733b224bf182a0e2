# METADATA
# title: An audit policy is configured (--audit-policy-file)
# description: >-
#   Without --audit-policy-file the API server records no audit events, even when an audit log
#   path is set.
# custom:
#   id: KAS-0038
#   severity: medium
#   frameworks:
#     cis-1.5: ["3.2.1"]
#     cis-1.6: ["3.2.1"]
#     cis-1.20: ["3.2.1"]
#     cis-1.23: ["3.2.1"]
#     cis-1.24: ["3.2.1"]
#     cis-1.7: ["3.2.1"]
#     cis-1.8: ["3.2.1"]
#     cis-1.9: ["3.2.1"]
#     cis-1.10: ["3.2.1"]
#     cis-1.11: ["3.2.1"]
#     cis-1.12: ["3.2.1"]
#   remediation: >-
#     Create an audit Policy (at least Metadata level for every request) and point
#     --audit-policy-file at it.
#   flags: [audit-policy-file]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_policy_file_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("audit-policy-file")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.set

result := verdict.new(_chain, "fail", "--audit-policy-file is not set: no audit events are recorded", {"flag": _flag}) if not _flag.set
