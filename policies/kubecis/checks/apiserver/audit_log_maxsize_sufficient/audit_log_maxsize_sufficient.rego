# METADATA
# title: Audit log files are rotated at a sufficient size (--audit-log-maxsize)
# description: >-
#   --audit-log-maxsize is the size in megabytes at which the audit log is rotated. CIS asks
#   for at least 100 MB (parameter audit-log-maxsize).
# custom:
#   id: KAS-0028
#   severity: low
#   frameworks:
#     cis-1.5: ["1.2.25"]
#     cis-1.6: ["1.2.25"]
#     cis-1.20: ["1.2.24"]
#     cis-1.23: ["1.2.22"]
#     cis-1.24: ["1.2.21"]
#     cis-1.7: ["1.2.21"]
#     cis-1.8: ["1.2.20"]
#     cis-1.9: ["1.2.19"]
#     cis-1.10: ["1.2.19"]
#     cis-1.11: ["1.2.19"]
#     cis-1.12: ["1.2.19"]
#     seed-2020: ["S17"]
#   remediation: >-
#     Set --audit-log-maxsize to at least 100, or to your organisation's value (override the
#     audit-log-maxsize parameter with --data).
#   flags: [audit-log-maxsize]
#   parameters: [audit-log-maxsize]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_log_maxsize_sufficient

import data.kubecis.lib.audit

_chain := rego.metadata.chain()

result := audit.at_least(_chain, "audit-log-maxsize", "audit logs are rotated too early", "MB")
