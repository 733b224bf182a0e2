// The fleet recipes of docs/ci.md ("Now, once: a Job", "Kept, on every control-plane node: a
// DaemonSet"), read from the page and run as a CI step runs them (`sh`), with the real kubecis
// gating real node reports. The cluster is a stand-in `kubectl` that answers the recipe's calls
// from a state file, with the API's semantics the recipes rely on (cited in fakeKubectl), and
// refuses any call it does not model, so a recipe cannot drift from what is tested here.
// Each case is a way the gate used to pass by mistake (rev-adopt A2): a control-plane node never
// judged (its Pod never ran; a taint the DaemonSet does not tolerate), a previous run's Job or
// Pods collected as today's, a report file left in reports/ from an earlier run.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { CLI, SAMPLE, markdownLines, runKubecis } from "./helpers.js";

const CI_MD = join(packageRoot, "docs/ci.md");
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");
const scratch = mkdtempSync(join(tmpdir(), "kubecis-fleet-recipes-"));

/** The first ```sh block after the heading `heading` in docs/ci.md. */
function recipe(heading: string): string {
  const lines = markdownLines(CI_MD);
  const at = lines.findIndex((l) => !l.code && l.text === heading);
  expect(at, `heading ${heading} in docs/ci.md`).toBeGreaterThan(-1);
  const text = readFileSync(CI_MD, "utf8").split("\n");
  const open = text.findIndex((line, i) => i >= lines[at]!.line && line === "```sh");
  const close = text.findIndex((line, i) => i > open && line === "```");
  return text.slice(open + 1, close).join("\n") + "\n";
}

/** Node reports as the scanner writes them: passing, failing, and a node that could not be judged (each written once). */
const written = new Map<string, string>();
const once = (key: string, args: string[]) => written.get(key) ?? (written.set(key, runKubecis(args).stdout), written.get(key)!);
const report = {
  pass: (node: string) => once(`pass ${node}`, ["test", HARDENED, "--node", node, "-o", "report", "--no-fail"]),
  fail: (node: string) => once(`fail ${node}`, ["test", SAMPLE, "--node", node, "-o", "report", "--no-fail"]),
  lost: (node: string) => once(`lost ${node}`, ["scan", "--host-root", join(scratch, "no-host"), "--node", node, "-o", "report", "--no-fail"]),
};

interface Pod {
  name: string;
  node: string;
  log: string;
  uid?: string;
}
interface Cluster {
  /** Control-plane nodes (what `-l node-role.kubernetes.io/control-plane` lists). */
  controlPlane: string[];
  job?: { uid: string; conditions: { type: string; status: string; reason?: string }[]; completions?: number } | undefined;
  pods: Pod[];
  /** What the Job controller does once the Job is created: its Pods and final conditions. */
  onCreate?: { pods: Omit<Pod, "name" | "uid">[]; conditions: { type: string; status: string; reason?: string }[] };
  daemonSet?: { desired: number; pods: Pod[] };
  /** What a rollout restart leaves: the desired number and the new Pods. */
  onRestart?: { desired: number; pods: Omit<Pod, "name">[] };
  calls: string[];
}

/**
 * A stand-in kubectl over a state file. Semantics modelled, as the recipes rely on them:
 * `create` refuses an existing object (AlreadyExists) and `apply` of an unchanged Job runs
 * nothing ("unchanged"); `delete --cascade=foreground --wait` returns once the Job and its Pods
 * are gone; Job Pods carry the Job's uid in `batch.kubernetes.io/controller-uid`
 * (k8s.io/api batch/v1 types.go ControllerUidLabel) and its name in `job-name`; `rollout status`
 * of a DaemonSet succeeds once the desired Pods are updated and available, whatever the number
 * of nodes (kubectl rollout_status.go DaemonSetStatusViewer).
 */
function fakeKubectl(dir: string): string {
  const script = join(dir, "kubectl.mjs");
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from "node:fs";
const file = ${JSON.stringify(join(dir, "cluster.json"))};
const s = JSON.parse(readFileSync(file, "utf8"));
const argv = process.argv.slice(2).filter((a, i, all) => !(a === "-n" || all[i - 1] === "-n"));
const call = argv.join(" ");
s.calls.push(call);
const save = () => writeFileSync(file, JSON.stringify(s));
const out = (text) => { process.stdout.write(text); save(); process.exit(0); };
const fail = (text, code = 1) => { process.stderr.write(text + "\\n"); save(); process.exit(code); };
const stdin = () => readFileSync(0, "utf8");
const jobPods = () => s.pods.filter((p) => p.uid === s.job?.uid);
const createJob = (text) => {
  const completions = Number(/completions":\\s*(\\d+)/.exec(text)?.[1] ?? /completions: (\\d+)/.exec(text)?.[1]);
  const uid = "uid-" + s.calls.length;
  s.job = { uid, conditions: s.onCreate.conditions, completions };
  s.pods = s.onCreate.pods.map((p, i) => ({ ...p, name: "kubecis-scan-" + i + "-" + uid, uid }));
};
let m;
if (call === "get nodes -l node-role.kubernetes.io/control-plane -o jsonpath={.items[*].metadata.name}") out(s.controlPlane.join(" "));
if (call === "get nodes -l node-role.kubernetes.io/control-plane -o name") out(s.controlPlane.map((n) => "node/" + n + "\\n").join(""));
if (call === "delete job kubecis-scan --ignore-not-found --cascade=foreground --wait" || call === "delete job kubecis-scan") {
  if (s.job) { s.pods = s.pods.filter((p) => p.uid !== s.job.uid); s.job = undefined; }
  out("");
}
if ((m = /^patch --local -f (\\S+) --type merge -o yaml -p (.*)$/.exec(call))) {
  const patch = JSON.parse(m[2]);
  out(readFileSync(m[1], "utf8").replace(/completions: \\d+/, "completions: " + patch.spec.completions).replace(/parallelism: \\d+/, "parallelism: " + patch.spec.parallelism));
}
if (call === "create -f -") { const text = stdin(); if (s.job) fail('Error from server (AlreadyExists): jobs.batch "kubecis-scan" already exists'); createJob(text); out("job.batch/kubecis-scan created\\n"); }
if (call === "apply -f -") { const text = stdin(); if (s.job) out("job.batch/kubecis-scan unchanged\\n"); createJob(text); out("job.batch/kubecis-scan created\\n"); }
if ((m = /^get job kubecis-scan -o (.*)$/.exec(call))) {
  if (!s.job) fail('Error from server (NotFound): jobs.batch "kubecis-scan" not found');
  if (m[1] === 'jsonpath={.status.conditions[?(@.status=="True")].type}') out(s.job.conditions.filter((c) => c.status === "True").map((c) => c.type).join(" "));
  if (m[1] === 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}') out(s.job.conditions.filter((c) => c.type === "Failed").map((c) => c.reason).join(" "));
  if (m[1] === "jsonpath={.metadata.uid}") out(s.job.uid);
}
if ((m = /^get pods -l batch\\.kubernetes\\.io\\/controller-uid=(\\S+) -o name$/.exec(call))) out(s.pods.filter((p) => p.uid === m[1]).map((p) => "pod/" + p.name + "\\n").join(""));
if (call === "get pods -l job-name=kubecis-scan -o name") out(s.pods.filter((p) => p.uid).map((p) => "pod/" + p.name + "\\n").join(""));
const all = () => [...s.pods, ...(s.daemonSet?.pods ?? [])];
if ((m = /^get pod\\/(\\S+) -o jsonpath=\\{\\.spec\\.nodeName\\}$/.exec(call))) out(all().find((p) => p.name === m[1]).node);
if ((m = /^logs pod\\/(\\S+) -c scan$/.exec(call))) out(all().find((p) => p.name === m[1]).log);
if (call === "apply -f deploy/kubecis-scan-daemonset.yaml") out("daemonset.apps/kubecis-scan-daemon unchanged\\n");
if (call === "rollout restart daemonset/kubecis-scan-daemon") {
  s.daemonSet = { desired: s.onRestart.desired, pods: s.onRestart.pods.map((p, i) => ({ ...p, name: "kubecis-scan-daemon-new" + i })) };
  out("daemonset.apps/kubecis-scan-daemon restarted\\n");
}
if (call === "rollout status daemonset/kubecis-scan-daemon --timeout=5m") out('daemon set "kubecis-scan-daemon" successfully rolled out\\n');
if (call === "get pods -l app.kubernetes.io/name=kubecis,app.kubernetes.io/component=scan-daemon -o name") out(s.daemonSet.pods.map((p) => "pod/" + p.name + "\\n").join(""));
if (call === "get daemonset kubecis-scan-daemon -o jsonpath={.status.desiredNumberScheduled}") out(String(s.daemonSet.desired));
fail("stand-in kubectl: a call it does not model: " + call, 99);
`,
  );
  return script;
}

/** Runs a recipe in a fresh directory (with deploy/ and a stale reports/ if given) against `cluster`. */
function runRecipe(name: string, text: string, cluster: Omit<Cluster, "calls">, stale: Record<string, string> = {}) {
  const dir = join(scratch, name);
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  symlinkSync(join(packageRoot, "deploy"), join(dir, "deploy"));
  writeFileSync(join(dir, "cluster.json"), JSON.stringify({ ...cluster, calls: [] }));
  const kubectl = fakeKubectl(dir);
  writeFileSync(join(bin, "kubectl"), `#!/bin/sh\nexec "${process.execPath}" "${kubectl}" "$@"\n`, { mode: 0o755 });
  writeFileSync(join(bin, "kubecis"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  if (Object.keys(stale).length > 0) mkdirSync(join(dir, "reports"));
  for (const [file, content] of Object.entries(stale)) writeFileSync(join(dir, "reports", file), content);
  const run = spawnSync("sh", ["-c", text], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", PATH: `${bin}:${process.env["PATH"]}` } });
  const state = JSON.parse(readFileSync(join(dir, "cluster.json"), "utf8")) as Cluster;
  expect(run.stderr).not.toContain("stand-in kubectl");
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, state, reports: readdirSync(join(dir, "reports")).sort() };
}

describe("docs/ci.md fleet recipe: a Job", () => {
  const job = recipe("### Now, once: a Job");
  const complete = [{ type: "Complete", status: "True" }];

  it("gates every control-plane node's fresh report; a removed node's old file is not gated again", () => {
    const run = runRecipe("job-ok", job, { controlPlane: ["cp-1", "cp-2"], pods: [], onCreate: { pods: [{ node: "cp-1", log: report.pass("cp-1") }, { node: "cp-2", log: report.pass("cp-2") }], conditions: complete } }, { "cp-9.json": report.fail("cp-9") });
    expect(run.stderr).not.toMatch(/no report|failed/);
    expect(run.status).toBe(ExitCode.Ok);
    expect(run.stdout).toContain("cluster: 2 nodes");
    expect(run.reports).toEqual(["cp-1.json", "cp-2.json"]);
    expect(run.state.job!.completions).toBe(2);
  });

  it("a node whose Pod never ran (the Job failed by its deadline) fails the step, named", () => {
    const run = runRecipe("job-deadline", job, {
      controlPlane: ["cp-1", "cp-2", "cp-3"],
      pods: [],
      onCreate: { pods: [{ node: "cp-1", log: report.pass("cp-1") }, { node: "cp-2", log: report.pass("cp-2") }], conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }] },
    });
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain("kubecis-scan Job failed: DeadlineExceeded");
    expect(run.stderr).toContain("no report from control-plane node cp-3");
  });

  it("a previous run's Job (complete, within its TTL) is deleted first: today's verdicts are gated, not its logs", () => {
    const run = runRecipe("job-rerun", job, {
      controlPlane: ["cp-1"],
      job: { uid: "uid-old", conditions: complete },
      pods: [{ name: "kubecis-scan-0-old", node: "cp-1", log: report.pass("cp-1"), uid: "uid-old" }],
      onCreate: { pods: [{ node: "cp-1", log: report.fail("cp-1") }], conditions: complete },
    });
    expect(run.status).toBe(ExitCode.Failures);
    expect(run.state.pods.map((p) => p.uid)).not.toContain("uid-old");
  });

  it("a node that could not be judged (Failed: FailedIndexes) fails the step with its reason", () => {
    const run = runRecipe("job-lost", job, {
      controlPlane: ["cp-1", "cp-2"],
      pods: [],
      onCreate: { pods: [{ node: "cp-1", log: report.pass("cp-1") }, { node: "cp-2", log: report.lost("cp-2") }], conditions: [{ type: "Failed", status: "True", reason: "FailedIndexes" }] },
    });
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toMatch(/node cp-2: cannot list processes/);
  });
});

describe("docs/ci.md fleet recipe: a DaemonSet", () => {
  const daemonSet = recipe("### Kept, on every control-plane node: a DaemonSet");

  it("restarts the scan, so a node made insecure since its Pod started is judged as it is now", () => {
    const run = runRecipe(
      "ds-fresh",
      daemonSet,
      {
        controlPlane: ["cp-1", "cp-2"],
        pods: [],
        daemonSet: { desired: 2, pods: [{ name: "old-1", node: "cp-1", log: report.pass("cp-1") }, { name: "old-2", node: "cp-2", log: report.pass("cp-2") }] },
        onRestart: { desired: 2, pods: [{ node: "cp-1", log: report.fail("cp-1") }, { node: "cp-2", log: report.pass("cp-2") }] },
      },
      { "cp-3.json": report.pass("cp-3") },
    );
    expect(run.status).toBe(ExitCode.Failures);
    expect(run.reports).toEqual(["cp-1.json", "cp-2.json"]);
  });

  it("a control-plane node the DaemonSet does not run on (not desired: rollout status succeeds) fails the step, named", () => {
    const run = runRecipe(
      "ds-tainted",
      daemonSet,
      {
        controlPlane: ["cp-1", "cp-2", "cp-3"],
        pods: [],
        daemonSet: { desired: 2, pods: [] },
        onRestart: { desired: 2, pods: [{ node: "cp-1", log: report.pass("cp-1") }, { node: "cp-2", log: report.pass("cp-2") }] },
      },
      { "cp-3.json": report.pass("cp-3") },
    );
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain("no report from control-plane node cp-3");
    expect(run.stdout).toContain("cluster: 2 nodes");
  });
});
