// SARIF and GitHub annotations report RBAC findings one by one: one SARIF result per finding
// the evidence keeps (capped per control, with a notification for the rest), each with a
// partialFingerprints entry that stays the same when the input files are renamed or reordered
// and when unrelated findings appear; GitHub annotations per finding within GitHub's per-step
// budget, the rest listed in the log. Reports are judged in process on real fixtures; the CLI
// process is run where the bytes matter (schema validity).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ajvDraft04 from "ajv-draft-04";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import { renderReport } from "../src/reporters/index.js";
import { MAX_RESULTS_PER_CONTROL } from "../src/reporters/sarif.js";
import { packageRoot } from "../src/paths.js";
import type { Report, Result } from "../src/types.js";
import { FIXTURES, SAMPLE, listFixtures, runKubecis } from "./helpers.js";

const RBAC = join(FIXTURES, "rbac");
const scratch = mkdtempSync(join(tmpdir(), "kubecis-sarif-findings-"));
// One cluster's export with findings for most RBAC controls (the fixtures are many small
// clusters: judged together they define objects differently, and such copies are refused).
const { generateRbac, writeSingle } = (await import(join(packageRoot, "bench", "rbac-generate.mjs"))) as {
  generateRbac(bindings: number, seed: number): unknown[];
  writeSingle(items: unknown[], path: string): number;
};
const EXPORT = join(scratch, "cluster", "rbac.json");
mkdirSync(join(scratch, "cluster"), { recursive: true });
writeSingle(generateRbac(1000, 42), EXPORT);
/** GitHub Actions shows at most 10 error and 10 warning annotations per step (https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md). */
const GITHUB_PER_STEP = 10;

function dataFile(max: number): string {
  const path = join(scratch, `max-${max}.yaml`);
  writeFileSync(path, `params:\n  rbac-max-findings: ${max}\n`);
  return path;
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  partialFingerprints?: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
  properties: { status: string; finding?: Record<string, unknown> };
}
interface SarifRun {
  results: SarifResult[];
  invocations: { toolExecutionNotifications?: { level: string; message: { text: string }; descriptor: { id: string }; associatedRule?: { id: string } }[] }[];
}

const loaded = new Map<number, Kubecis>();
function kubecisWith(max: number): Kubecis {
  if (!loaded.has(max)) loaded.set(max, loadKubecis({ dataFile: dataFile(max) }));
  return loaded.get(max)!;
}
function judge(paths: string[], max = 25): Report {
  return testInputs(paths, {}, kubecisWith(max));
}
function render(report: Report, format: "sarif" | "github", max = 25): string {
  const kubecis = kubecisWith(max);
  return renderReport(report, format, { colour: false, toolVersion: kubecis.version, controls: kubecis.catalog.controls, exitCode: 0 });
}
function sarifOf(report: Report, max = 25): SarifRun {
  return JSON.parse(render(report, "sarif", max)).runs[0];
}
const reported = (r: Result) => r.status === "fail" || r.status === "warn" || r.status === "error";
const findingsOf = (r: Result) => (r.evidence["findings"] as Record<string, unknown>[] | undefined) ?? [];
const perFinding = (r: Result) => (r.status === "fail" || r.status === "warn") && findingsOf(r).length > 0;

/** ruleId + fingerprint → message, for every result of a run. */
function fingerprints(run: SarifRun): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of run.results) {
    const [key, ...others] = Object.values(r.partialFingerprints ?? {});
    expect(others).toEqual([]);
    expect(key, r.message.text).toMatch(/^[0-9a-f]{64}$/);
    const id = `${r.ruleId} ${key}`;
    expect(out.has(id), `two results share a fingerprint: ${r.message.text} / ${out.get(id)}`).toBe(false);
    out.set(id, r.message.text);
  }
  return out;
}

describe("SARIF: one result per finding", () => {
  it("gives every finding the evidence keeps its own result, naming it and the control; other non-pass results one each", () => {
    const report = judge([EXPORT]);
    const run = sarifOf(report);
    const [target] = report.targets;
    let perFindingControls = 0;
    for (const result of target!.results.filter(reported)) {
      const mine = run.results.filter((r) => r.ruleId === result.id);
      if (!perFinding(result)) {
        expect(mine, result.id).toHaveLength(1);
        continue;
      }
      perFindingControls++;
      const findings = findingsOf(result);
      expect(mine, result.id).toHaveLength(Math.min(findings.length, MAX_RESULTS_PER_CONTROL));
      mine.forEach((r, i) => {
        expect(r.properties.finding).toEqual(findings[i]);
        // The message names the finding (each of its names) and the control.
        for (const value of Object.values(findings[i]!)) if (typeof value === "string" && value !== "user") expect(r.message.text).toContain(value);
        expect(r.message.text).toContain(result.title);
        expect(r.message.text.startsWith(`${result.id}: `)).toBe(true);
        // Level as for the control: a note outside the profile, a warning to review, a failure by severity.
        const bySeverity: Record<string, string> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };
        expect(r.level).toBe(result.outside !== undefined ? "note" : result.status === "warn" ? "warning" : bySeverity[result.severity]);
      });
    }
    expect(perFindingControls).toBeGreaterThan(10);
  });

  it("is valid SARIF 2.1.0 with per-finding results and notifications (the CLI's bytes)", () => {
    const schema = JSON.parse(readFileSync(join(packageRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    const Ajv04 = ((ajvDraft04 as unknown as { default?: typeof ajvDraft04 }).default ?? ajvDraft04) as unknown as typeof ajvDraft04.default;
    const validate = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    const run = runKubecis(["test", EXPORT, "-o", "sarif", "--data", dataFile(2)]);
    const sarif = JSON.parse(run.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications.length).toBeGreaterThan(0);
    // An inventory is located at one file, never at a list of them.
    for (const r of sarif.runs[0].results as SarifResult[]) expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/\/cluster\/rbac\.json$/);
  });

  it("caps each control at the findings the evidence keeps and at MAX_RESULTS_PER_CONTROL, and says how many more", () => {
    for (const max of [2, 1000]) {
      const report = judge([EXPORT], max);
      const run = sarifOf(report, max);
      const notes = run.invocations[0]!.toolExecutionNotifications ?? [];
      let capped = 0;
      for (const result of report.targets[0]!.results.filter(perFinding)) {
        const total = result.evidence["total"] as number;
        const shown = Math.min(total, max, MAX_RESULTS_PER_CONTROL);
        expect(run.results.filter((r) => r.ruleId === result.id), result.id).toHaveLength(shown);
        const note = notes.filter((n) => n.associatedRule?.id === result.id);
        if (total > shown) {
          capped++;
          expect(note, result.id).toHaveLength(1);
          expect(note[0]).toMatchObject({ level: "note", descriptor: { id: "findings-not-shown" } });
          expect(note[0]!.message.text).toContain(`${result.id}: ${total - shown} more finding${total - shown === 1 ? "" : "s"} not shown here (${shown} of ${total})`);
          expect(note[0]!.message.text).toContain("kubecis test --all -o report");
        } else {
          expect(note, result.id).toEqual([]);
        }
      }
      // With 2 kept, most controls are cut; with 1000, those with more than MAX_RESULTS_PER_CONTROL still are.
      expect(capped, `rbac-max-findings ${max}`).toBeGreaterThan(0);
    }
  });

  it("API-server results keep one result per control, each with a fingerprint", () => {
    const report = judge([SAMPLE]);
    const run = sarifOf(report);
    const ids = report.targets.flatMap((t) => t.results.filter(reported).map((r) => r.id));
    expect(run.results.map((r) => r.ruleId)).toEqual(ids);
    expect(fingerprints(run).size).toBe(ids.length);
  });

  it("suppresses every finding of a waived control, with the waiver's reason", () => {
    const run = runKubecis(["test", EXPORT, "-o", "sarif", "--skip", "KRB-0008"]);
    const results = (JSON.parse(run.stdout).runs[0].results as (SarifResult & { suppressions?: unknown })[]).filter((r) => r.ruleId === "KRB-0008");
    expect(results.length).toBeGreaterThan(1);
    for (const r of results) expect(r.suppressions).toEqual([{ kind: "external", justification: "skipped with --skip [--skip]" }]);
  });
});

describe("SARIF fingerprints", () => {
  const FILES = [
    join(RBAC, "no_duplicated_permissions/fail/covered_by_broader_role.yaml"),
    join(RBAC, "cluster_admin_restricted_to_masters/fail/ci_service_account.yaml"),
    join(RBAC, "no_wildcards_in_roles/fail/wildcard_verbs.yaml"),
  ];
  const EXTRA = join(scratch, "extra", "mallory.yaml");
  beforeAll(() => {
    mkdirSync(join(scratch, "extra"), { recursive: true });
    writeFileSync(
      EXTRA,
      [
        "apiVersion: rbac.authorization.k8s.io/v1",
        "kind: ClusterRoleBinding",
        "metadata:",
        "  name: mallory-admin",
        "roleRef:",
        "  apiGroup: rbac.authorization.k8s.io",
        "  kind: ClusterRole",
        "  name: cluster-admin",
        "subjects:",
        "- apiGroup: rbac.authorization.k8s.io",
        "  kind: User",
        "  name: mallory@example.com",
        "",
      ].join("\n"),
    );
  });

  it("are the same when the input files are renamed, moved and given in another order", () => {
    const before = fingerprints(sarifOf(judge(FILES, 1000), 1000));
    const moved = join(scratch, "moved", "deeper");
    mkdirSync(moved, { recursive: true });
    const renamed = FILES.map((_, i) => join(moved, `${String.fromCharCode(122 - i)}-export.yaml`));
    FILES.forEach((file, i) => copyFileSync(file, renamed[i]!));
    const after = fingerprints(sarifOf(judge([...renamed].reverse(), 1000), 1000));
    expect(before.size).toBeGreaterThan(5);
    expect([...after].sort()).toEqual([...before].sort());
  });

  it("are the same when an unrelated finding is added, and the new finding gets its own", () => {
    const before = fingerprints(sarifOf(judge(FILES, 1000), 1000));
    const after = fingerprints(sarifOf(judge([...FILES, EXTRA], 1000), 1000));
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added.length).toBeGreaterThan(0);
    expect(added.some((k) => after.get(k)!.includes("User:mallory@example.com via ClusterRoleBinding:mallory-admin"))).toBe(true);
    // Every finding of the first run is still there, under the same fingerprint. (A control's
    // own result, when it has no findings, is tracked by control and target alike.)
    for (const [key, message] of before) expect(after.has(key), message).toBe(true);
  });

  it("tell every finding of a control apart, on every fixture and on a generated 1,000-binding inventory", () => {
    const generated = join(scratch, "rbac-1000");
    execFileSync(process.execPath, [join(packageRoot, "bench/rbac-generate.mjs"), "1000", generated], { stdio: "ignore" });
    for (const paths of [[RBAC], [generated]]) {
      const report = judge(paths, 1000);
      const run = sarifOf(report, 1000);
      const results = report.targets[0]!.results.filter(perFinding);
      expect(fingerprints(run).size).toBe(run.results.length);
      expect(run.results.length).toBe(results.reduce((n, r) => n + Math.min(findingsOf(r).length, MAX_RESULTS_PER_CONTROL), 0) + report.targets[0]!.results.filter((r) => reported(r) && !perFinding(r)).length);
    }
  });

  it("tell findings of a shape they do not know apart by all of their fields, and say every field", () => {
    const report = judge([join(RBAC, "cluster_admin_restricted_to_masters/fail/ci_service_account.yaml")]);
    const result = report.targets[0]!.results.find((r) => r.id === "KRB-0001")!;
    result.evidence = { ...result.evidence, findings: [{ widget: "alpha", size: 1 }, { widget: "alpha", size: 2 }], total: 2 };
    const run = sarifOf(report);
    const mine = run.results.filter((r) => r.ruleId === "KRB-0001");
    expect(mine.map((r) => r.message.text)).toEqual([
      `KRB-0001: size 1; widget alpha — ${result.title}`,
      `KRB-0001: size 2; widget alpha — ${result.title}`,
    ]);
    expect(new Set(mine.map((r) => r.partialFingerprints!["kubecis/v1"])).size).toBe(2);
  });
});

describe("GitHub annotations per finding", () => {
  const annotations = (out: string, level: string) => out.split("\n").filter((l) => l.startsWith(`::${level} `));
  const failing = listFixtures().filter((f) => f.component === "rbac" && f.expected === "fail").map((f) => f.path);

  it.each(failing)("stay within GitHub's per-step budget and list every kept finding: %s", (path) => {
    const report = judge([path]);
    const out = render(report, "github");
    const gating = report.targets.flatMap((t) => t.results.filter((r) => r.outside === undefined && !r.waived));
    for (const [level, status] of [["error", "fail"], ["warning", "warn"]] as const) {
      const controls = gating.filter((r) => r.status === status || (status === "fail" && r.status === "error"));
      const lines = annotations(out, level);
      // One annotation per finding while the budget lasts; never fewer than one per control.
      const findings = controls.reduce((n, r) => n + (perFinding(r) ? findingsOf(r).length : 1), 0);
      expect(lines.length, level).toBe(Math.max(controls.length, Math.min(GITHUB_PER_STEP, findings)));
      for (const r of controls) {
        const mine = lines.filter((l) => l.includes(`::${r.id}: `));
        expect(mine.length, r.id).toBeGreaterThanOrEqual(1);
        if (!perFinding(r)) continue;
        // Every kept finding is in the log, annotated or not.
        const logged = out.split("\n").filter((l) => l.includes(`${r.id}: `) && l.includes(r.title));
        expect(logged, r.id).toHaveLength(findingsOf(r).length);
      }
    }
    const unannotated = out.includes("(not annotated: GitHub shows");
    expect(out.includes("::notice::kubecis: "), "closing notice").toBe(unannotated);
  });

  it("annotates a whole RBAC inventory once per failing control and says where the other findings are", () => {
    const report = judge([RBAC]);
    const out = render(report, "github");
    const failingControls = report.targets[0]!.results.filter((r) => r.outside === undefined && (r.status === "fail" || r.status === "error"));
    expect(failingControls.length).toBeGreaterThan(GITHUB_PER_STEP);
    // One per failing control (the fixtures are judged as one inventory: the files that define an
    // object differently from another are refused, and annotated as input errors besides).
    expect(annotations(out, "error").filter((l) => /::KRB-/.test(l))).toHaveLength(failingControls.length);
    const notice = out.split("\n").find((l) => l.startsWith("::notice::kubecis: "));
    expect(notice).toMatch(/^::notice::kubecis: \d+ of \d+ findings annotated \(GitHub shows 10 error, 10 warning and 10 notice annotations per step, 50 per job\)/);
    // Annotations name one file of the inventory, escaped as a workflow-command property.
    for (const line of annotations(out, "error").filter((l) => /::KRB-/.test(l))) expect(line).toMatch(/^::error file=[^,]*\/test\/fixtures\/rbac\/[^,]*\.yaml,line=1::KRB-/);
  });
});

describe("docs/ci.md shows the notices as kubecis writes them", () => {
  const doc = readFileSync(join(packageRoot, "docs/ci.md"), "utf8").split("\n");
  /** The example line of the docs that starts with `start`, as a pattern: its numbers are any number. */
  const example = (start: string): RegExp => {
    const line = doc.find((l) => l.startsWith(start));
    expect(line, start).toBeDefined();
    return new RegExp(`^${line!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+/g, "\\d+")}$`);
  };

  it("SARIF's findings-not-shown notification", () => {
    const notes = JSON.parse(render(judge([EXPORT]), "sarif")).runs[0].invocations[0].toolExecutionNotifications as { descriptor: { id: string }; message: { text: string } }[];
    const texts = notes.filter((n) => n.descriptor.id === "findings-not-shown").map((n) => n.message.text);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toMatch(example("KRB-0002: "));
  });

  it("the closing notice of -o github when findings are left out of the log", () => {
    const notice = render(judge([EXPORT], 2), "github").split("\n").find((l) => l.startsWith("::notice::kubecis: "));
    expect(notice).toMatch(example("::notice::kubecis: "));
  });
});

describe("SARIF fingerprints of targets that share a file", () => {
  // Two API servers in one file (a List of two Pods, two lines of one `ps`): each result keeps a
  // fingerprint of its own, or code scanning merges the second server's alerts into the first's.
  it.each([
    ["a List of two Pods", "two-pods.yaml", () => {
      const pod = readFileSync(join(packageRoot, "samples", "kubeadm-v1.33", "kube-apiserver.yaml"), "utf8");
      const indented = pod.trimEnd().split("\n").map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`)).join("\n");
      return `apiVersion: v1\nkind: List\nitems:\n${indented}\n${indented}\n`;
    }],
    ["two ps lines", "two.ps", () => {
      const line = readFileSync(join(packageRoot, "samples", "kubeadm-v1.19", "ps-ef.txt"), "utf8").split("\n").find((l) => l.includes("kube-apiserver "))!;
      return `${line}\n${line.replace(/^(\S+\s+)\d+/, "$1 4242")}\n`;
    }],
  ])("%s: every result's fingerprint is distinct", (_, name, text) => {
    const path = join(scratch, name);
    writeFileSync(path, text());
    const run = runKubecis(["test", path, "-o", "sarif"]);
    const results = JSON.parse(run.stdout).runs[0].results as { partialFingerprints: Record<string, string> }[];
    const report = JSON.parse(runKubecis(["test", path, "-o", "report"]).stdout);
    expect(report.targets).toHaveLength(2);
    expect(results.length).toBeGreaterThan(10);
    const prints = results.map((r) => r.partialFingerprints["kubecis/v1"]);
    expect(new Set(prints).size).toBe(prints.length);
  });
});
