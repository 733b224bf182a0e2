// The floor's audit checks: the audit log flags, the audit policy file and what it records,
// and the AdvancedAuditing feature gate (judged over the range when the version is unknown).
import { type Check, type Fired, type Obj, describeFlag, formatInt, has, hasError, isNum, isObj, minorOf, rangeStatus, truthy, uniform } from "./core.js";
import { setFlag } from "./flags.js";

const SELECTORS = ["users", "userGroups", "verbs", "namespaces", "nonResourceURLs"];
const LOGGED = new Set(["Metadata", "Request", "RequestResponse"]);
const METADATA = new Set(["Metadata"]);
/** What CIS asks for, as [group, resource, the levels that satisfy it]. */
const REQUIREMENTS: [string, string, Set<string>][] = [
  ["", "secrets", METADATA],
  ["", "configmaps", METADATA],
  ["authentication.k8s.io", "tokenreviews", METADATA],
  ["", "pods", LOGGED],
  ["apps", "deployments", LOGGED],
  ["", "pods/exec", LOGGED],
  ["", "pods/portforward", LOGGED],
  ["", "pods/proxy", LOGGED],
  ["", "services/proxy", LOGGED],
];

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
  const off = isObj(f.value) && f.value.AdvancedAuditing === false;
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

const policyCoversKeyResources: Check = (j) => {
  const f = j.effective("audit-policy-file");
  const policy = f.set ? j.content("audit-policy-file") : undefined;
  const rules = isObj(policy) && Array.isArray(policy.rules) ? policy.rules : [];
  const general: [number, Obj][] = [];
  rules.forEach((rule, i) => {
    if (isObj(rule) && !SELECTORS.some((k) => truthy(rule[k]))) general.push([i, rule]);
  });
  const coverage: Obj[] = [];
  for (const [group, resource, levels] of REQUIREMENTS) {
    const hit = general.find(([, rule]) => ruleMatches(rule, group, resource));
    if (!hit) coverage.push({ group, resource, level: "None", rule: null, ok: false });
    else if (has(hit[1], "level")) coverage.push({ group, resource, level: hit[1].level!, rule: hit[0], ok: levels.has(hit[1].level as string) });
  }
  const gaps = coverage.filter((v) => !v.ok).map((v) => (v.group === "" ? `${v.resource} at ${v.level}` : `${v.resource}.${v.group} at ${v.level}`));
  const file = j.fileEvidence("audit-policy-file");
  const evidence = { flag: f, file, coverage };
  const without = { flag: f, file };
  const state = j.fileState("audit-policy-file");
  const out: Fired = [];
  if (truthy(policy) && gaps.length === 0) out.push(["pass", "", evidence]);
  if (truthy(policy) && gaps.length > 0) {
    out.push(["fail", `the audit policy does not cover what CIS asks (secrets, configmaps, tokenreviews at Metadata; pods, deployments, exec, portforward and proxy logged): ${gaps.join(", ")}`, evidence]);
  }
  if (!f.set) out.push(["fail", "--audit-policy-file is not set: no audit events are recorded", without]);
  if (f.set && state === "not-given" && f.value !== undefined) out.push(["warn", j.notGivenReason("audit-policy-file", f.value, "what it records"), without]);
  if (f.set && state !== "read" && state !== "not-given") out.push(["error", j.failedReason("audit-policy-file"), without]);
  // A value kube-apiserver refuses: lib.verdict gives the reason (fail closed).
  if (hasError(f)) out.push(["error", "", without]);
  return out;
};

function ruleMatches(rule: Obj, group: string, resource: string): boolean {
  if (!truthy(rule.resources)) return true;
  if (!Array.isArray(rule.resources)) return false;
  return rule.resources.some((gr) => {
    if (!isObj(gr)) return false;
    if ((has(gr, "group") ? gr.group : "") !== group) return false;
    const names = has(gr, "resources") ? gr.resources : [];
    if (Array.isArray(names) && names.length === 0) return true;
    return Array.isArray(names) && names.some((n) => typeof n === "string" && nameMatches(n, resource));
  });
}

function nameMatches(name: string, resource: string): boolean {
  if (name === "*" || name === resource) return true;
  if (name.endsWith("/*") && resource.startsWith(name.slice(0, -1))) return true;
  if (name.startsWith("*/") && resource.endsWith(name.slice(1))) return true;
  return false;
}

export const AUDIT_CHECKS: [string, Check][] = [
  ["audit_log_path_set", setFlag("audit-log-path", "--audit-log-path is not set: audit events are not written to a log")],
  ["audit_log_maxage_sufficient", atLeastParam("audit-log-maxage", (min) => `rotated audit logs are not kept long enough (at least ${min} days required)`)],
  ["audit_log_maxbackup_sufficient", atLeastParam("audit-log-maxbackup", (min) => `too few rotated audit logs are kept (at least ${min} files required)`)],
  ["audit_log_maxsize_sufficient", atLeastParam("audit-log-maxsize", (min) => `audit logs are rotated too early (at least ${min} MB required)`)],
  ["audit_policy_file_set", setFlag("audit-policy-file", "--audit-policy-file is not set: no audit events are recorded")],
  ["audit_policy_covers_key_resources", policyCoversKeyResources],
  ["advanced_auditing_not_disabled", advancedAuditing],
];
