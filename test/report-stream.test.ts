// `kubecis test -o report` is written target by target (src/cli/program.ts runGate, src/run.ts).
// Its bytes and exit code must be exactly those of the whole-report path: the library's
// testInputs → --node label → applyWaivers → renderReportJson → exitCodeForReport, which every
// other format still takes. Cases cover what changes the document's keys: failures, warnings
// only, input errors, no target at all, --node, node reports given as inputs (with and without
// a node), waivers from --skip and --exceptions, --fail-on-warn and --no-fail.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";
import { exitCodeForReport } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { renderReportJson } from "../src/reporters/report-json.js";
import { loadKubecis, testInputs } from "../src/index.js";
import { applyWaivers, readWaiverFile, skipWaivers, todayUtc } from "../src/waivers.js";
import { FIXTURES, SAMPLE, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-stream-"));
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");
const INVALID = join(FIXTURES, "apiserver/profiling_disabled/error/invalid_boolean.ps");
const exceptions = join(scratch, "exceptions.yaml");
writeFileSync(
  exceptions,
  "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: pprof for incident 42\n    expires: 2999-12-31\n  - controls: [KAS-0001]\n    nodes: [cp-2]\n    reason: only on cp-2\n",
);
const nothing = join(scratch, "etcd.yaml");
writeFileSync(nothing, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\nspec:\n  containers:\n  - name: etcd\n    command:\n    - etcd\n");
// Node reports as inputs: one names its node, one is named by its file.
const fleet = join(scratch, "fleet");
mkdirSync(fleet);
writeFileSync(join(fleet, "cp-1.json"), runKubecis(["test", SAMPLE, "--node", "cp-1", "-o", "report"]).stdout);
writeFileSync(join(fleet, "cp-2.json"), runKubecis(["test", HARDENED, INVALID, "-o", "report"]).stdout);

interface Args {
  inputs: string[];
  node?: string;
  skip?: string[];
  exceptions?: string[];
  failOnWarn?: boolean;
  noFail?: boolean;
}

/** The whole-report path, through the library. */
function reference(args: Args): { stdout: string; code: number } {
  const kubecis = loadKubecis();
  const judged = testInputs(args.inputs, {}, kubecis);
  if (args.node) for (const t of judged.targets) t.node ??= args.node;
  const waivers = [...skipWaivers(args.skip ?? []), ...(args.exceptions ?? []).flatMap((f) => readWaiverFile(f))];
  const report = applyWaivers(judged, waivers, todayUtc());
  return { stdout: renderReportJson(report), code: exitCodeForReport(report, { failOnWarn: Boolean(args.failOnWarn), noFail: Boolean(args.noFail) }) };
}

async function streamed(args: Args): Promise<{ stdout: string; code: number }> {
  const argv = ["test", ...args.inputs, "-o", "report"];
  if (args.node) argv.push("--node", args.node);
  for (const s of args.skip ?? []) argv.push("--skip", s);
  for (const e of args.exceptions ?? []) argv.push("--exceptions", e);
  if (args.failOnWarn) argv.push("--fail-on-warn");
  if (args.noFail) argv.push("--no-fail");
  let stdout = "";
  let writes = 0;
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
      writes++;
    },
    stderr: () => undefined,
    stdin: () => Buffer.alloc(0),
    colour: false,
  });
  expect(writes).toBeGreaterThan(0);
  return { stdout, code };
}

describe("streamed -o report", () => {
  const cases: [string, Args][] = [
    ["failures", { inputs: [SAMPLE] }],
    ["warnings only, --fail-on-warn", { inputs: [HARDENED], failOnWarn: true }],
    ["an input error beside judged inputs", { inputs: [SAMPLE, INVALID, nothing] }],
    ["no target at all", { inputs: [nothing] }],
    ["--node", { inputs: [SAMPLE, HARDENED], node: "cp-7" }],
    ["waivers from --skip and --exceptions", { inputs: [SAMPLE, HARDENED], skip: ["1.2", "KAS-0004"], exceptions: [exceptions] }],
    ["node reports as inputs", { inputs: [fleet], exceptions: [exceptions] }],
    ["node reports with a manifest and --node", { inputs: [fleet, SAMPLE], node: "cp-3", noFail: true }],
    ["a directory of fixtures", { inputs: [join(FIXTURES, "apiserver", "profiling_disabled")] }],
  ];
  for (const [name, args] of cases) {
    it(`gives the whole-report bytes and exit code: ${name}`, async () => {
      const want = reference(args);
      const got = await streamed(args);
      expect(got.code).toBe(want.code);
      expect(got.stdout).toBe(want.stdout);
    });
  }
});
