# METADATA
# title: Audit log files are kept long enough (--audit-log-maxage)
# description: >-
#   --audit-log-maxage is how many days rotated audit log files are kept. CIS asks for at
#   least 30 days (parameter audit-log-maxage); the default, 0, keeps them only by count.
# custom:
#   id: KAS-0026
#   severity: low
#   frameworks:
#     cis-1.5: ["1.2.23"]
#     cis-1.6: ["1.2.23"]
#     cis-1.20: ["1.2.22"]
#     cis-1.23: ["1.2.20"]
#     cis-1.24: ["1.2.19"]
#     cis-1.7: ["1.2.19"]
#     cis-1.8: ["1.2.18"]
#     cis-1.9: ["1.2.17"]
#     cis-1.10: ["1.2.17"]
#     cis-1.11: ["1.2.17"]
#     cis-1.12: ["1.2.17"]
#     seed-2020: ["S15"]
#   remediation: >-
#     Set --audit-log-maxage to at least 30, or to the retention your compliance requirements
#     set (override the audit-log-maxage parameter with --data).
#   flags: [audit-log-maxage]
#   parameters: [audit-log-maxage]
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.checks.apiserver.audit_log_maxage_sufficient

import data.kubecis.lib.audit

_chain := rego.metadata.chain()

result := audit.at_least(_chain, "audit-log-maxage", "rotated audit logs are not kept long enough", "days")
