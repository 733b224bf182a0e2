// Findings in risk order (issue 19): the cap keeps the riskiest, text lists the riskiest
// first, --all lists every one, --by subject groups them by subject, -o report says how they
// are ordered and capped. The rule is restated here from docs/rbac.md ("How findings are
// ranked"), independently of src/rank.ts, and checked on a fixture where alphabetical and
// risk order differ and on a generated 10k-binding export.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a JavaScript module of the bench, without types
import { generateRbac, writeParts } from "../bench/rbac-generate.mjs";
import { readBundle } from "../src/engine/bundle.js";
import { loadEngine } from "../src/engine/opa-wasm.js";
import { normalizeInputs } from "../src/index.js";
import { POWER_ORDER, rankFindings } from "../src/rank.js";
import { parse as parseYaml } from "yaml";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot, wasmBundlePath } from "../src/paths.js";
import type { Report, Result } from "../src/types.js";
import { BOOTSTRAP_RBAC, CLI, runKubecis } from "./helpers.js";

const FIXTURE = "test/inputs/rank/risk-order.yaml";
const scratch = mkdtempSync(join(tmpdir(), "kubecis-rank-"));

type Finding = Record<string, unknown>;

// ---- the rule, restated ----
const POWER = ["wildcard", "rbac-escalation", "impersonate", "nodes-proxy", "serviceaccount-token", "webhook-configs", "csr-approval", "rbac-write", "configmaps-write", "secrets-read", "secrets-write", "pods-create", "workloads-write", "pods-exec", "pods-modify", "pods-ephemeral", "pods-proxy", "pv-create", "nodes-cordon", "pods-remove", "services-status-write", "nodes-status-write", "pods-status-write", "workloads-delete", "events-delete"];

function breadth(f: Finding): number {
  // By the binding first: a RoleBinding's namespace may be named "cluster".
  if (typeof f["binding"] === "string") return /^ClusterRoleBinding:/.test(f["binding"]) ? 0 : 1;
  if (typeof f["namespace"] === "string") return f["namespace"] === "cluster" ? 0 : 1;
  if (typeof f["role"] === "string") return /^ClusterRole:/.test(f["role"]) ? 0 : 1;
  return 1;
}

function subject(f: Finding): number {
  const s = f["subject"];
  if (typeof s !== "string") return 99;
  if (s === "Group:system:unauthenticated" || s === "User:system:anonymous") return 0;
  if (s === "Group:system:authenticated") return 1;
  if (s === "Group:system:serviceaccounts") return 2;
  if (s.startsWith("Group:system:serviceaccounts:")) return 3;
  if (s.startsWith("Group:")) return 4;
  if (s.startsWith("ServiceAccount:")) return 5;
  if (s.startsWith("User:")) return 6;
  return 99;
}

function power(f: Finding): [number, number] {
  const held = Array.isArray(f["power"]) ? (f["power"] as string[]) : [];
  const best = Math.min(99, ...held.map((p) => (POWER.includes(p) ? POWER.indexOf(p) : 50)));
  return [best, -held.length];
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(",")}}`;
}

/** <0 when a is riskier than b by the documented rule. */
function byRule(a: Finding, b: Finding): number {
  const ka = [breadth(a), subject(a), ...power(a)];
  const kb = [breadth(b), subject(b), ...power(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  const [ja, jb] = [sortedJson(a), sortedJson(b)];
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

// ---- helpers ----
/** The CLI's output may be larger than runKubecis's 1 MiB buffer (a 10k-binding report). */
function run(args: string[]): { status: number; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [CLI, ...args], { cwd: packageRoot, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" } });
  return { status: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

function report(args: string[]): Report {
  const run_ = run(["test", "-o", "report", ...args]);
  expect(run_.status, run_.stderr).toBeLessThanOrEqual(1);
  return JSON.parse(run_.stdout) as Report;
}


const resultOf = (r: Report, id: string): Result => r.targets.flatMap((t) => t.results).find((x) => x.id === id)!;
const findingsOf = (r: Result) => (r.evidence["findings"] ?? []) as Finding[];

/** The finding lines ("- ...") printed under control `id` in text output, and the line after them. */
function textFindings(text: string, id: string): { lines: string[]; after: string | undefined } {
  const all = text.split("\n");
  let at = all.findIndex((l) => new RegExp(`^  \\S+\\s+${id}  `).test(l));
  expect(at, `${id} in the text`).toBeGreaterThanOrEqual(0);
  at++;
  while (at < all.length && !all[at]!.trimStart().startsWith("- ") && /^ {9}/.test(all[at]!)) at++;
  const lines: string[] = [];
  while (at < all.length && all[at]!.startsWith("           - ")) lines.push(all[at++]!.slice("           - ".length));
  return { lines, after: all[at] };
}

/** Expected order of the KRB-0006 (read Secrets) grants of the fixture, riskiest first. */
const SECRETS_ORDER = [
  "ClusterRoleBinding:zzz-everyone", // cluster-wide, system:authenticated
  "ClusterRoleBinding:zzz-ops", // cluster-wide, a Group (wildcard)
  "ClusterRoleBinding:mmm-robot", // cluster-wide, a ServiceAccount
  "ClusterRoleBinding:aab-admin", // cluster-wide, a User with wildcard
  "ClusterRoleBinding:aaa-ci", // cluster-wide, a User who reads Secrets
  "RoleBinding:zzz/zzz-all-sa", // one namespace, every ServiceAccount of it
  "RoleBinding:aaa/aaa-team", // one namespace, a Group
  "RoleBinding:aaa/aaa-reader", // one namespace, a User
];

describe("risk order on a fixture where it differs from the alphabetical order", () => {
  it("-o report lists findings riskiest first, says so, and carries each role's power", () => {
    const r = resultOf(report([FIXTURE]), "KRB-0006");
    const findings = findingsOf(r);
    expect(findings.map((f) => f["binding"])).toEqual(SECRETS_ORDER);
    expect([...findings].sort(byRule)).toEqual(findings);
    expect(r.evidence).toMatchObject({ order: "risk", total: 8, limit: 25 });
    expect(findings[1]!["power"]).toContain("wildcard");
    expect(findings[0]!["power"]).toEqual(["secrets-read"]);
  });

  it("the cap keeps the riskiest, never the alphabetically first", () => {
    const data = join(scratch, "cap3.json");
    writeFileSync(data, JSON.stringify({ params: { "rbac-max-findings": 3 } }));
    const r = resultOf(report([FIXTURE, "-d", data]), "KRB-0006");
    expect(findingsOf(r).map((f) => f["binding"])).toEqual(SECRETS_ORDER.slice(0, 3));
    expect(r.evidence).toMatchObject({ order: "risk", total: 8, limit: 3 });
    const text = runKubecis(["test", FIXTURE, "-d", data]).stdout;
    const shown = textFindings(text, "KRB-0006");
    expect(shown.lines.map((l) => SECRETS_ORDER.find((b) => l.includes(`via ${b} `)))).toEqual(SECRETS_ORDER.slice(0, 3));
    expect(shown.after).toBe("           and 5 more (--all shows every finding)");
  });

  it("text shows the riskiest few per control with subject, role, binding, namespace and why, then how many more", () => {
    const text = runKubecis(["test", FIXTURE]).stdout;
    const shown = textFindings(text, "KRB-0006");
    expect(shown.lines).toHaveLength(5);
    expect(shown.lines[0]).toBe("Group:system:authenticated via ClusterRoleBinding:zzz-everyone (ClusterRole:secret-reader) cluster-wide; role grants: secrets-read");
    expect(shown.lines.map((l) => SECRETS_ORDER.find((b) => l.includes(`via ${b} `)))).toEqual(SECRETS_ORDER.slice(0, 5));
    expect(shown.lines[1]).toMatch(/^Group:ops via ClusterRoleBinding:zzz-ops \(ClusterRole:zzz-admin\) cluster-wide; role grants: everything \(wildcard\)$/);
    expect(shown.after).toBe("           and 3 more (--all shows every finding)");
  });

  it("--all lists every finding, in text and in -o report (limit null)", () => {
    const text = runKubecis(["test", FIXTURE, "--all"]).stdout;
    const shown = textFindings(text, "KRB-0006");
    expect(shown.lines.map((l) => SECRETS_ORDER.find((b) => l.includes(`via ${b} `)))).toEqual(SECRETS_ORDER);
    expect(shown.after).not.toMatch(/more/);
    expect(text).not.toMatch(/--all shows every finding/);
    const r = resultOf(report([FIXTURE, "--all"]), "KRB-0006");
    expect(r.evidence).toMatchObject({ order: "risk", total: 8, limit: null });
    expect(findingsOf(r).map((f) => f["binding"])).toEqual(SECRETS_ORDER);
  });

  it("--by subject lists each subject, riskiest first, with everything a control flags it for", () => {
    const data = join(scratch, "cap1.json");
    // A cap of 1 would hide most findings: --by subject lifts it.
    writeFileSync(data, JSON.stringify({ params: { "rbac-max-findings": 1 } }));
    const run = runKubecis(["test", FIXTURE, "--by", "subject", "-d", data]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split("\n");
    const start = lines.indexOf("  by subject (8 subjects, riskiest first):");
    expect(start).toBeGreaterThan(0);
    const subjects = lines.slice(start + 1).filter((l) => /^ {2}\S/.test(l) && !l.startsWith("  (")).map((l) => l.trim());
    expect(subjects.slice(0, 8)).toEqual([
      "Group:system:authenticated",
      "Group:ops",
      "ServiceAccount:tools/robot",
      "User:aab",
      "User:ci-bot",
      "Group:system:serviceaccounts:zzz",
      "Group:aaa-team",
      "User:aaa",
    ]);
    // Under Group:ops: every control that flags its wildcard grant, riskiest finding first
    // (the access controls' grants carry the role's power; KRB-0001's findings do not), then
    // by control id.
    const ops = lines.indexOf("  Group:ops");
    const under: string[] = [];
    for (let i = ops + 1; lines[i]!.startsWith("      "); i++) under.push(lines[i]!);
    expect(under.map((l) => /KRB-\d+/.exec(l)![0])).toEqual(["KRB-0006", "KRB-0008", "KRB-0011", "KRB-0012", "KRB-0013", "KRB-0014", "KRB-0015", "KRB-0016", "KRB-0019", "KRB-0020", "KRB-0021", "KRB-0022", "KRB-0023", "KRB-0024", "KRB-0025", "KRB-0026", "KRB-0027", "KRB-0028", "KRB-0029", "KRB-0030", "KRB-0031", "KRB-0032", "KRB-0001"]);
    expect(under[0]).toBe("      FAIL  KRB-0006  ClusterRoleBinding:zzz-ops (ClusterRole:zzz-admin) cluster-wide; role grants: everything (wildcard)");
    expect(under.at(-1)).toBe("      FAIL  KRB-0001  ClusterRoleBinding:zzz-ops (ClusterRole:zzz-admin) cluster-wide");
    // The ServiceAccount's only finding: it reads Secrets cluster-wide.
    const robot = lines.indexOf("  ServiceAccount:tools/robot");
    expect(lines[robot + 1]).toBe("      FAIL  KRB-0006  ClusterRoleBinding:mmm-robot (ClusterRole:secret-reader) cluster-wide; role grants: secrets-read");
    expect(lines[robot + 2]).toMatch(/^ {2}\S/);
  });

  it("--by subject is a text view: other formats refuse it", () => {
    const run = runKubecis(["test", FIXTURE, "--by", "subject", "-o", "report"]);
    expect(run.status).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/--by subject is a text view/);
    expect(run.stdout).toBe("");
  });
});

describe("risk order on a generated 10k-binding export", () => {
  const dir = join(scratch, "rbac-10000");
  let capped: Report;
  let text: string;
  let withFindings: Result[];
  beforeAll(() => {
    execFileSync(process.execPath, [join(packageRoot, "bench", "rbac-generate.mjs"), "10000", dir], { stdio: "ignore" });
    capped = report([dir]);
    const all = report([dir, "--all"]);
    text = run(["test", dir]).stdout;
    withFindings = all.targets[0]!.results.filter((r) => findingsOf(r).length > 1);
  }, 180_000);

  it("every control's findings follow the rule, and the alphabetical order is not it", () => {
    expect(withFindings.length).toBeGreaterThanOrEqual(5);
    let differs = 0;
    for (const r of withFindings) {
      const findings = findingsOf(r);
      expect(findings.length, r.id).toBe(r.evidence["total"]);
      expect([...findings].sort(byRule), r.id).toEqual(findings);
      const alphabetical = [...findings].sort((a, b) => (sortedJson(a) < sortedJson(b) ? -1 : 1));
      if (JSON.stringify(alphabetical) !== JSON.stringify(findings)) differs++;
    }
    expect(differs).toBeGreaterThanOrEqual(3);
  });

  it("the cap keeps each control's riskiest findings", () => {
    for (const r of withFindings) {
      const kept = resultOf(capped, r.id);
      const limit = kept.evidence["limit"] as number;
      expect(findingsOf(kept), r.id).toEqual(findingsOf(r).slice(0, limit));
      expect(kept.evidence).toMatchObject({ order: "risk", total: r.evidence["total"] });
    }
  });

  it("text lists each control's riskiest findings in that order", () => {
    for (const r of withFindings) {
      const { lines, after } = textFindings(text, r.id);
      const top = findingsOf(r).slice(0, 5);
      expect(lines, r.id).toHaveLength(top.length);
      top.forEach((f, i) => {
        for (const field of ["subject", "binding", "role"]) if (typeof f[field] === "string") expect(lines[i], r.id).toContain(f[field] as string);
      });
      const total = r.evidence["total"] as number;
      if (total > 5) expect(after).toBe(`           and ${total - 5} more (--all shows every finding)`);
    }
  });
});

describe("the policies list only the findings that can be kept", () => {
  // The engine asks the policies for the riskiest tiers only (data.kubecis.options.findings:
  // "riskiest", lib.rbac _listed): whatever the cap, what it keeps must be what ranking every
  // finding keeps. Caps from 1 to 200 reach each tier of that narrowing.
  const bundle = readBundle(wasmBundlePath);
  const generated = join(scratch, "rbac-2000");
  writeParts(generateRbac(2000, 5), generated);
  const snapshots = [FIXTURE, BOOTSTRAP_RBAC, generated].map((path) => normalizeInputs([path]).documents.find((d) => d.kind === "RbacSnapshot")!);
  const options = (limit: number, findings: string) => ({ kubecis: { options: { findings, params: { "rbac-max-findings": limit } } } });

  it.each([0, 1, 2, 3, 5, 10, 25, 200])("with a cap of %i", (limit) => {
    const narrowed = loadEngine(bundle, options(limit, "riskiest"));
    const every = loadEngine(bundle, options(limit, "all"));
    let capped = 0;
    for (const snapshot of snapshots) {
      const expected = every.evaluate(snapshot);
      expect(narrowed.evaluate(snapshot)).toEqual(expected);
      capped += expected.results.filter((r) => (r.evidence["total"] as number) > limit).length;
    }
    expect(capped).toBeGreaterThan(0);
  });
});

describe("rankFindings", () => {
  it("selecting a few gives the first few of the full ranking, whatever the input order", () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const findings = Array.from({ length: 2000 }, (_, i) => {
      const f: Finding = {
        // (and subjects with no kind: ranked as naming none, never by a prefix of their name)
        subject: pick(["Group:system:authenticated", "Group:system:serviceaccounts:a", "Group:g", "ServiceAccount:a/b", "User:u", "User:system:anonymous", "Group0", "User"]),
        binding: pick(["ClusterRoleBinding:c", `RoleBinding:n${i % 7}/b`]),
        power: pick([[], ["secrets-read"], ["pods-create", "secrets-read"], ["wildcard", "pods-create"], ["future-power"]]),
      };
      if (random() < 0.5) f["namespace"] = pick(["cluster", "n1"]);
      if (random() < 0.3) f["role"] = `ClusterRole:r${i % 13}`;
      return random() < 0.5 ? Object.fromEntries(Object.entries(f).reverse()) : f;
    });
    const expected = [...findings].sort(byRule);
    expect(rankFindings(findings, findings.length)).toEqual(expected);
    for (const keep of [1, 5, 25, 64, 200]) expect(rankFindings(findings, keep)).toEqual(expected.slice(0, keep));
    expect(rankFindings(findings, 0)).toEqual([]);
  });
});

describe("power classes", () => {
  it("every permission class of the RBAC data has a place in POWER_ORDER, and nothing else does", () => {
    const data = parseYaml(readFileSync(join(packageRoot, "policies/kubecis/rbac/data.yaml"), "utf8")) as { permissions: Record<string, unknown> };
    expect([...POWER_ORDER].filter((p) => p !== "wildcard").sort()).toEqual(Object.keys(data.permissions).sort());
  });
});
