// A reason that names one finding ("riskiest: …", or the grant a broad-group failure names)
// names one that ranks first by the order the findings list below it uses (src/rank.ts
// riskKey; policies/kubecis/lib/rbac/rank.rego risk_key computes the same key). Before, it
// named OPA's `min`, the alphabetically first: "first: User:aaa …" above a list that starts
// with a cluster-wide Group. test/inputs/rank/reasons.json holds, for each control with such a
// reason, a finding that sorts first alphabetically (names "aaa") and a riskier one ("zzz").
// Where a control's findings sort by binding or role first ("ClusterRoleBinding:" before
// "RoleBinding:"), the two orders cannot differ; the check still holds for them.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { POWER_ORDER, riskKey } from "../src/rank.js";
import type { Report, Result } from "../src/types.js";
import { BOOTSTRAP_RBAC, OPA, runKubecis, runTool } from "./helpers.js";

type Finding = Record<string, unknown>;
const FIXTURE = join(packageRoot, "test/inputs/rank/reasons.json");

/** What each control's reason prints of the finding it names. */
const grant = (f: Finding) => `${f["subject"]} via ${f["binding"]} (${f["role"]})`;
const NAMED: Record<string, (f: Finding) => string> = {
  "KRB-0001": grant,
  "KRB-0002": (f) => String(f["role"]),
  "KRB-0003": (f) => `${f["subject"]} `,
  "KRB-0004": (f) => `riskiest: ${f["role"]})`,
  "KRB-0005": (f) => `riskiest: ${f["binding"]} `,
  "KRB-0006": grant,
  "KRB-0007": (f) => `riskiest: ${f["role"]} in`,
  "KRB-0010": (f) => `riskiest: ${f["binding"]})`,
  "KRB-0017": (f) => `riskiest: ${f["binding"]} →`,
  "KRB-0019": grant,
  "KRB-0030": grant,
};
/** The controls whose findings in the fixture rank differently from their alphabetical order. */
const DIFFERING = ["KRB-0001", "KRB-0003", "KRB-0006", "KRB-0007", "KRB-0019"];

const run = runKubecis(["test", BOOTSTRAP_RBAC, FIXTURE, "--all", "-o", "report"]);
const results = new Map<string, Result>((JSON.parse(run.stdout) as Report).targets.flatMap((t) => t.results.map((r) => [r.id, r] as const)));

describe("a reason names the riskiest finding, by the order of the list below it", () => {
  it("the fixture judges every control with such a reason, and fails", () => {
    expect(run.status).toBe(1);
    for (const id of Object.keys(NAMED)) expect(["fail", "warn"], id).toContain(results.get(id)?.status);
  });

  it.each(Object.keys(NAMED))("%s: the finding its reason names ranks first", (id) => {
    const r = results.get(id)!;
    const reason = r.reason ?? "";
    const findings = (r.evidence["findings"] as Finding[]).filter((f) => reason.includes(NAMED[id]!(f)));
    expect(findings.length, r.reason).toBeGreaterThan(0);
    const top = riskKey((r.evidence["findings"] as Finding[])[0]);
    expect(Math.min(...findings.map(riskKey)), r.reason).toBe(top);
  });

  it.each(DIFFERING)("%s: the fixture's alphabetically first finding is less risky than the named one", (id) => {
    const r = results.get(id)!;
    const all = r.evidence["findings"] as Finding[];
    const aaa = all.filter((f) => JSON.stringify(f).includes("aaa") && !JSON.stringify(f).includes("zzz"));
    expect(aaa.length).toBeGreaterThan(0);
    for (const f of aaa) expect(riskKey(f), JSON.stringify(f)).toBeGreaterThan(riskKey(all[0]));
    expect(r.reason).toContain("zzz");
  });
});

describe("Rego's risk key is the host's", () => {
  it("power_order is POWER_ORDER", () => {
    const out = runTool(OPA, ["eval", "-d", join(packageRoot, "policies"), "--format", "json", "data.kubecis.lib.rbac.power_order"]);
    expect(JSON.parse(out.stdout).result[0].expressions[0].value).toEqual([...POWER_ORDER]);
  });

  it("risk_key equals riskKey on every combination of breadth, subject and power", () => {
    const subjects = [undefined, "Group:system:unauthenticated", "User:system:anonymous", "Group:system:authenticated", "Group:system:serviceaccounts", "Group:system:serviceaccounts:ns", "Group:g", "ServiceAccount:a/b", "User:u", "Odd:x", "nocolon"];
    const places: Finding[] = [
      { binding: "ClusterRoleBinding:x" },
      { binding: "RoleBinding:cluster/x", namespace: "cluster" },
      { namespace: "cluster" },
      { namespace: "a" },
      { role: "ClusterRole:r" },
      { role: "Role:a/r" },
      { namespace: "a", role: "ClusterRole:r" },
      {},
    ];
    const powers = [undefined, [], ["wildcard"], ["pods-exec", "secrets-read"], ["unknown"], ["events-delete", "unknown", "rbac-write"]];
    const findings: Finding[] = [];
    for (const subject of subjects) for (const place of places) for (const power of powers) findings.push({ ...place, ...(subject ? { subject } : {}), ...(power ? { power } : {}) });
    const out = runTool(OPA, ["eval", "-d", join(packageRoot, "policies"), "--stdin-input", "--format", "json", "[k | some f in input; k := data.kubecis.lib.rbac.risk_key(f, {})]"], JSON.stringify(findings));
    expect(JSON.parse(out.stdout).result[0].expressions[0].value).toEqual(findings.map(riskKey));
  });
});
