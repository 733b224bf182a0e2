# METADATA
# title: Enough rotated audit log files are kept (--audit-log-maxbackup)
# description: >-
#   --audit-log-maxbackup is how many rotated audit log files are kept. CIS asks for at least
#   10 (parameter audit-log-maxbackup).
# custom:
#   id: KAS-0027
#   severity: low
#   frameworks:
#     cis-1.5: ["1.2.24"]
#     cis-1.6: ["1.2.24"]
#     cis-1.20: ["1.2.23"]
#     cis-1.23: ["1.2.21"]
#     cis-1.24: ["1.2.20"]
#     cis-1.7: ["1.2.20"]
#     cis-1.8: ["1.2.19"]
#     cis-1.9: ["1.2.18"]
#     cis-1.10: ["1.2.18"]
#     cis-1.11: ["1.2.18"]
#     cis-1.12: ["1.2.18"]
#     seed-2020: ["S16"]
#   remediation: >-
#     Set --audit-log-maxbackup to at least 10, or to your organisation's value (override the
#     audit-log-maxbackup parameter with --data).
#   flags: [audit-log-maxbackup]
#   parameters: [audit-log-maxbackup]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_log_maxbackup_sufficient

import data.kubecis.lib.audit

_chain := rego.metadata.chain()

result := audit.at_least(_chain, "audit-log-maxbackup", "too few rotated audit logs are kept", "files")
