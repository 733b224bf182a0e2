// The fleet gate (`kubecis test reports/`) reads each node's Report fail-closed
// (src/normalizers/node-report.ts): a Report it cannot vouch for is an input error naming the
// file, the line and the JSON place (exit 4), never results counted nowhere or a node dropped;
// the other reports of the run are still judged. All through the real CLI on real reports.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import type { Report } from "../src/types.js";
import { BOOTSTRAP_RBAC, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-node-trust-"));
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");
const VERSION = (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
/** A real node report of the hardened sample (every result pass or warn-free), as the Job writes it. */
const hardened = runKubecis(["test", HARDENED, "--node", "cp-1", "-o", "report", "--no-fail"]).stdout;
const rbac = runKubecis(["test", BOOTSTRAP_RBAC, "--node", "cp-2", "-o", "report", "--no-fail"]).stdout;
const fresh = (): Report => JSON.parse(hardened) as Report;

/** A fleet directory: the good RBAC report of cp-2 beside cp-1's report as `edit` leaves it. */
function fleetWith(name: string, edit: (r: Report & Record<string, unknown>) => unknown): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const report = fresh() as Report & Record<string, unknown>;
  edit(report);
  writeFileSync(join(dir, "cp-1.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(dir, "cp-2.json"), rbac);
  return dir;
}

const kas = (r: Report) => r.targets[0]!.results;

// Each way a Report can fail to say that every control was judged on its node, with what the
// error must name.
const BROKEN: [string, (r: Report & Record<string, unknown>) => unknown, RegExp][] = [
  [
    "a status kubecis does not know",
    (r) => Object.assign(kas(r).find((x) => x.id === "KAS-0005")!, { status: "blocked" }),
    /cp-1\.json:\d+: node report: targets\[0\]\.results\[\d+\]\.status: "blocked" is not a status kubecis knows/,
  ],
  ["a control missing (an older catalogue)", (r) => (r.targets[0]!.results = kas(r).filter((x) => x.id !== "KAS-0001")), /cp-1\.json:\d+: node report: targets\[0\]\.results: no result for 1 apiserver control\(s\) .*KAS-0001/],
  ["a target with no result", (r) => (r.targets[0]!.results = []), /cp-1\.json:\d+: node report: targets\[0\]\.results: no result: nothing was judged/],
  [
    "no target and no error",
    (r) => {
      r.targets = [];
      r.summary = { fail: 0, error: 0, warn: 0, pass: 0, "not-applicable": 0 };
    },
    /cp-1\.json:1: node report: it holds no target and no error/,
  ],
  ["another kubecis version", (r) => (r.tool.version = "0.0.1"), new RegExp(`cp-1\\.json:\\d+: node report: tool\\.version: written by kubecis 0\\.0\\.1 .*this is kubecis ${VERSION.replaceAll(".", "\\.")}`)],
  ["another policy bundle", (r) => (r.tool.bundleRevision = "9.9.9"), /tool\.bundleRevision: written by kubecis .*\(policy bundle 9\.9\.9\)/],
  ["a control this kubecis does not have", (r) => Object.assign(kas(r)[0]!, { id: "KAS-9999" }), /results\[0\]\.id: KAS-9999 is not a control of kubecis/],
  ["a control twice", (r) => kas(r).push(kas(r)[0]!), /results\[\d+\]\.id: a second result for KAS-0001/],
  ["a summary that does not count its results", (r) => (r.targets[0]!.summary.pass += 1), /targets\[0\]\.summary: does not count its results/],
  ["a result without evidence", (r) => delete (kas(r)[0] as Partial<Report["targets"][0]["results"][0]>).evidence, /targets\[0\]\.results\[0\]: expected frameworks and evidence maps/],
];

describe("a node report the gate cannot vouch for is an input error, and the other reports are still judged", () => {
  it("the untouched reports pass the gate (the checks below refuse only what is wrong)", () => {
    const dir = fleetWith("good", () => undefined);
    const run = runKubecis(["test", dir, "-o", "report"]);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as Report;
    expect(report.errors).toEqual([]);
    expect(report.nodes!.map((n) => n.node)).toEqual(["cp-1", "cp-2"]);
    expect(report.targets.find((t) => t.node === "cp-1")!.summary).toEqual(fresh().targets[0]!.summary);
  });

  it.each(BROKEN)("%s", (name, edit, message) => {
    const dir = fleetWith(name.replace(/\W+/g, "-"), edit);
    // Every format for the status no reporter knows (`-o text` crashed on it); text and report for the rest.
    const formats = name === BROKEN[0]![0] ? ["text", "report", "json", "sarif", "junit", "github"] : ["text", "report"];
    for (const format of formats) {
      const run = runKubecis(["test", dir, "-o", format]);
      expect(run.status, `${format}: ${run.stderr}`).toBe(ExitCode.Input);
      expect(run.stderr).toMatch(message);
      if (format === "report") {
        const report = JSON.parse(run.stdout) as Report;
        // cp-1 is not judged (its report is the error), cp-2 still is.
        expect(report.targets.map((t) => t.node)).toEqual(["cp-2"]);
        expect(report.errors).toEqual([expect.objectContaining({ kind: "input", file: join(dir, "cp-1.json"), message: expect.stringMatching(/^node report: /) })]);
      }
    }
  });
});
