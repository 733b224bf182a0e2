// The floor's audit checks: the audit log flags, the audit policy file,
// and the AdvancedAuditing feature gate (judged over the range when the version is unknown);
// what the audit policy records is audit-policy.ts.
import { type Check, type Fired, describeFlag, formatInt, hasError, isNum, minorOf, rangeStatus, uniform } from "./core.js";
import { policyCoversKeyResources } from "./audit-policy.js";
import { given } from "./features.js";
import { setFlag } from "./flags.js";

/** A numeric flag with a lower bound from a parameter. */
function atLeastParam(flag: string, failText: (min: string) => string): Check {
  return (j) => {
    const f = j.effective(flag);
    const param = j.used(flag);
    const evidence = { flag: f, threshold: param };
    const out: Fired = [];
    if (isNum(f.value) && isNum(param.value) && f.value >= param.value) out.push(["pass", "", evidence]);
    if (isNum(f.value) && isNum(param.value) && f.value < param.value) out.push(["fail", `${describeFlag(f)}: ${failText(formatInt(param.value))}`, evidence]);
    if (hasError(f)) out.push(["error", describeFlag(f), evidence]);
    return out;
  };
}

const advancedAuditing: Check = (j) => {
  const f = j.effective("feature-gates");
  const removedIn = j.facts.data.features.removed.AdvancedAuditing!;
  const removed = j.atLeast(removedIn);
  // Either spelling: "AdvancedAuditing" or component-base's "kube:AdvancedAuditing" (1.32+).
  const off = given(j).get("AdvancedAuditing") === false;
  const offText = "--feature-gates sets AdvancedAuditing=false: audit policies are not applied";
  const out: Fired = [];
  if (removed) out.push(["not-applicable", `the AdvancedAuditing feature gate was removed in ${removedIn} (the target runs ${j.target}; naming it stops kube-apiserver)`, { flag: f }]);
  if (j.known && !removed && !off && !hasError(f)) out.push(["pass", "", { flag: f }]);
  if (j.known && !removed && off) out.push(["fail", offText, { flag: f }]);
  if (!j.known && !hasError(f)) {
    const statuses = j.possible().map((m) => (m >= minorOf(removedIn) ? "not-applicable" : off ? "fail" : "pass"));
    let reason: string;
    if (!uniform(statuses)) reason = `the AdvancedAuditing feature gate is ${off ? "set to false by --feature-gates" : "not disabled by --feature-gates"} and the version is unknown: ${j.splitReason(statuses)}`;
    else if (statuses[0] === "pass") reason = "";
    else if (statuses[0] === "fail") reason = offText;
    else reason = `the AdvancedAuditing feature gate was removed in ${removedIn}, before every version the target may run`;
    out.push([rangeStatus(statuses), reason, { flag: f, versions: j.versionsEvidence() }]);
  }
  if (!removed && hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
  return out;
};

export const AUDIT_CHECKS: [string, Check][] = [
  ["audit_log_path_set", setFlag("audit-log-path", "--audit-log-path is not set: audit events are not written to a log")],
  ["audit_log_maxage_sufficient", atLeastParam("audit-log-maxage", (min) => `rotated audit logs are not kept long enough (at least ${min} days required)`)],
  ["audit_log_maxbackup_sufficient", atLeastParam("audit-log-maxbackup", (min) => `too few rotated audit logs are kept (at least ${min} files required)`)],
  ["audit_log_maxsize_sufficient", atLeastParam("audit-log-maxsize", (min) => `audit logs are rotated too early (at least ${min} MB required)`)],
  ["audit_policy_file_set", setFlag("audit-policy-file", "--audit-policy-file is not set: no audit events are recorded")],
  ["audit_policy_covers_key_resources", policyCoversKeyResources],
  ["advanced_auditing_not_disabled", advancedAuditing],
];
