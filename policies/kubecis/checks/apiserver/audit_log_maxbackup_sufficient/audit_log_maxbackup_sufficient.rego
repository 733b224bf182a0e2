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

import data.kubecis.lib.flags
import data.kubecis.lib.params
import data.kubecis.lib.verdict

_chain := rego.metadata.chain()

_flag := flags.effective("audit-log-maxbackup")

_param := params.used("audit-log-maxbackup")

_evidence := {"flag": _flag, "threshold": _param}

result := verdict.new(_chain, "pass", "", _evidence) if _flag.value >= _param.value

result := verdict.new(
	_chain,
	"fail",
	concat("", [
		flags.describe(_flag), ": too few rotated audit logs are kept (at least ", format_int(_param.value, 10), " files required)",
	]),
	_evidence,
) if _flag.value < _param.value

result := verdict.new(_chain, "error", flags.describe(_flag), _evidence) if _flag.error
