# METADATA
# title: API requests are written to an audit log (--audit-log-path)
# description: >-
#   Without --audit-log-path the API server has no log backend for audit events, so who did
#   what to the cluster is not recorded.
# custom:
#   id: KAS-0025
#   severity: medium
#   frameworks:
#     cis-1.5: ["1.2.22"]
#     cis-1.6: ["1.2.22"]
#     cis-1.20: ["1.2.21"]
#     cis-1.23: ["1.2.19"]
#     cis-1.24: ["1.2.18"]
#     cis-1.7: ["1.2.18"]
#     cis-1.8: ["1.2.17"]
#     cis-1.9: ["1.2.16"]
#     cis-1.10: ["1.2.16"]
#     cis-1.11: ["1.2.16"]
#     cis-1.12: ["1.2.16"]
#     seed-2020: ["S14"]
#   remediation: >-
#     Set --audit-log-path to a file on a persistent volume (for example
#     /var/log/kubernetes/audit/audit.log) together with --audit-policy-file.
#   flags: [audit-log-path]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_log_path_set

import data.kubecis.lib.flags
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("audit-log-path")

result := verdict.new(_chain, "pass", "", {"flag": _flag}) if _flag.set

result := verdict.new(_chain, "fail", "--audit-log-path is not set: audit events are not written to a log", {"flag": _flag}) if not _flag.set
