// The core run (src/run.ts), through the public API: run() hands each target over as soon as
// it is judged, and what it hands over is exactly the report judge() collects. Node reports
// among the inputs are recognised by the one classifier (normalizers/index.ts), only by the
// runs that judge them (`kubecis test`, not `kubecis normalize`).
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode, PolicyError, exitCodeForTally, judge, loadKubecis, normalizeInputs, renderReportJson, reportHead, run, skipWaivers, type JudgeOptions, type Kubecis, type Target } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import { FIXTURES, SAMPLE, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-run-"));
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");
const PS = join(packageRoot, "samples/kubeadm-v1.19/ps-ef.txt");
const INVALID = join(FIXTURES, "apiserver/profiling_disabled/error/invalid_boolean.ps");
const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";
const etcd = join(scratch, "etcd.yaml");
writeFileSync(etcd, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\nspec:\n  containers:\n  - name: etcd\n    command:\n    - etcd\n");
// A fleet's reports: one names its node, one is named by its file; and a file kubecis does not read.
const fleet = join(scratch, "fleet");
mkdirSync(fleet);
writeFileSync(join(fleet, "cp-1.json"), runKubecis(["test", SAMPLE, "--node", "cp-1", "-o", "report"]).stdout);
writeFileSync(join(fleet, "cp-2.json"), runKubecis(["test", HARDENED, INVALID, etcd, "-o", "report"]).stdout);
writeFileSync(join(fleet, "kubeconfig.yaml"), KUBECONFIG);
// The same file kubecis does not read, beside a manifest only.
const plain = join(scratch, "plain");
mkdirSync(plain);
copyFileSync(SAMPLE, join(plain, "kube-apiserver.yaml"));
writeFileSync(join(plain, "kubeconfig.yaml"), KUBECONFIG);

/** kubecis, with every evaluation recorded in `events` (the real engine judges). */
function observed(events: string[]): Kubecis {
  const kubecis = loadKubecis();
  const evaluate = kubecis.engine.evaluate.bind(kubecis.engine);
  kubecis.engine.evaluate = (document) => {
    events.push(`evaluate ${document.metadata.source.path}`);
    return evaluate(document);
  };
  return kubecis;
}

describe("the core run", () => {
  it("hands each target over as soon as it is judged, before the next is evaluated", () => {
    const events: string[] = [];
    const kubecis = observed(events);
    const progress: string[] = [];
    const { rest } = run({ paths: [SAMPLE, HARDENED, PS, fleet] }, { onJudged: (done, total) => progress.push(`${done}/${total}`) }, (t) => events.push(`target ${t.source.path}`), kubecis);
    // evaluate, target, evaluate, target, …: never all evaluations first.
    for (const [i, path] of [SAMPLE, HARDENED, PS].entries()) {
      expect(events[2 * i], events.join("\n")).toBe(`evaluate ${path}`);
      expect(events[2 * i + 1], events.join("\n")).toBe(`target ${path}`);
    }
    // Then the node reports' targets (already judged): cp-1's one, cp-2's two.
    expect(events.slice(6).every((e) => e.startsWith("target "))).toBe(true);
    expect(events).toHaveLength(9);
    expect(progress).toEqual(["1/6", "2/6", "3/6", "4/6", "5/6", "6/6"]);
    expect(rest.errors.map((e) => e.message).some((m) => m.startsWith("node cp-2: "))).toBe(true);
  });

  const cases: [string, string[], JudgeOptions][] = [
    ["manifests and a process list", [SAMPLE, HARDENED, PS], {}],
    ["an input error beside judged inputs", [SAMPLE, INVALID], {}],
    ["node reports, --node and waivers", [fleet, SAMPLE], { node: "cp-3", waivers: skipWaivers(["1.2", "KAS-0004"]) }],
    ["waivers only", [SAMPLE, HARDENED], { waivers: [] }],
  ];
  for (const [name, paths, options] of cases) {
    it(`hands over exactly the report judge() collects: ${name}`, () => {
      const kubecis = loadKubecis();
      const targets: Target[] = [];
      const { rest, tally } = run({ paths }, options, (t) => targets.push(t), loadKubecis());
      const streamed = renderReportJson({ ...reportHead(kubecis), targets, ...rest });
      expect(targets.length).toBeGreaterThan(1);
      expect(streamed).toBe(renderReportJson(judge({ paths }, options, kubecis)));
      expect(tally.inputErrors).toBe(rest.errors.length);
      expect("waived" in rest).toBe(options.waivers !== undefined);
    });
  }
});

describe("node reports among the inputs (one classifier)", () => {
  it("are judged by `test`, not taken as input documents by `normalize`", () => {
    const report = join(fleet, "cp-1.json");
    const judged = judge({ paths: [report] }, {}, loadKubecis());
    expect(judged.errors).toEqual([]);
    expect(judged.targets.map((t) => t.node)).toEqual(["cp-1"]);
    const normalized = normalizeInputs([report]);
    expect(normalized.documents).toEqual([]);
    expect(normalized.errors).toEqual([expect.objectContaining({ file: report, message: expect.stringContaining("no kube-apiserver found") })]);
  });

  it("make their directory a fleet's: its other files must be something kubecis reads", () => {
    const kubecis = loadKubecis();
    const fleetRun = judge({ paths: [fleet] }, {}, kubecis);
    expect(fleetRun.errors.map((e) => e.file)).toEqual([join(fleet, "kubeconfig.yaml"), etcd]);
    expect(fleetRun.errors[1]!.message).toMatch(/^node cp-2: /);
    // In any other directory, a file that holds nothing kubecis reads is skipped.
    const plainRun = judge({ paths: [plain] }, {}, kubecis);
    expect(plainRun.errors).toEqual([]);
    expect(plainRun.targets).toHaveLength(1);
  });
});

describe("an input the policy cannot evaluate", () => {
  it("is a policy error naming it; the inputs before and after it are still judged; exit 5", () => {
    // The real engine judges; it throws for one input the way a policy conflict did (a var
    // assignment conflict in one check once lost every input's report). The engine itself
    // recovers from such an abort: test/verdict-complete.test.ts keeps the policies free of them.
    const kubecis = loadKubecis();
    const evaluate = kubecis.engine.evaluate.bind(kubecis.engine);
    kubecis.engine.evaluate = (document) => {
      if (document.metadata.source.path === PS) throw new PolicyError("evaluating kubecis/main/report: checks/x.rego:38:1: var assignment conflict");
      return evaluate(document);
    };
    const targets: Target[] = [];
    const { rest, tally } = run({ paths: [HARDENED, PS, SAMPLE] }, {}, (t) => targets.push(t), kubecis);
    expect(targets.map((t) => t.source.path)).toEqual([HARDENED, SAMPLE]);
    expect(rest.errors).toEqual([{ kind: "policy", file: PS, message: expect.stringContaining("var assignment conflict") }]);
    expect(exitCodeForTally(tally)).toBe(ExitCode.Policy);
    expect(exitCodeForTally(tally, { noFail: true })).toBe(ExitCode.Policy);
  });
});

describe("a run that judged nothing", () => {
  it("is never clean: exit 4 even when no input said why, with --no-fail too", () => {
    const tally = { inputErrors: 0, policyErrors: 0, error: false, fail: false, warn: false, targets: 0 };
    expect(exitCodeForTally(tally)).toBe(ExitCode.Input);
    expect(exitCodeForTally(tally, { noFail: true })).toBe(ExitCode.Input);
    expect(exitCodeForTally({ ...tally, targets: 1 })).toBe(ExitCode.Ok);
  });

  it("an empty directory, or one whose files --exclude leaves out, is an input error naming it, in every format", () => {
    const empty = join(scratch, "empty-dir");
    mkdirSync(join(empty, "sub"), { recursive: true });
    writeFileSync(join(empty, "sub", "README.md"), "not read\n");
    for (const format of ["text", "report", "json", "sarif", "junit", "github"]) {
      const run = runKubecis(["test", empty, "-o", format]);
      expect(run.status, format).toBe(ExitCode.Input);
      expect(run.stderr, format).toContain(`${empty}: no file under this directory has a name kubecis reads`);
    }
    const dir = join(scratch, "all-excluded");
    mkdirSync(dir, { recursive: true });
    copyFileSync(HARDENED, join(dir, "kube-apiserver.yaml"));
    const run = runKubecis(["test", dir, "--exclude", "**/*.yaml", "--no-fail"]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain("that --exclude leaves in");
  });
});

describe("options that shape verdicts, given with node reports", () => {
  it("are said not to apply to them, once each, on stderr", () => {
    const data = join(scratch, "thresholds.yaml");
    writeFileSync(data, "params:\n  audit-log-maxage: 90\n");
    const run = runKubecis(["test", join(fleet, "cp-1.json"), "--data", data, "--profile", "cis-1.11", "--kubernetes-version", "1.31"]);
    const warnings = run.stderr.split("\n").filter((line) => line.startsWith("kubecis: warning: "));
    expect(warnings).toEqual(
      ["--data", "--profile", "--kubernetes-version"].map(
        (flag) => `kubecis: warning: ${flag} does not apply to the 1 target(s) of node reports: they were judged on their nodes; give it to \`kubecis scan\` there`,
      ),
    );
    // Without node reports, nothing is said.
    expect(runKubecis(["test", HARDENED, "--data", data]).stderr).not.toContain("warning");
  });
});
