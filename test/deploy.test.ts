// The fleet Job under deploy/: valid against the Kubernetes JSON schemas (kubernetes-models
// validates with the OpenAPI-derived schemas), and least-privileged as the README promises.
// Plus `kubecis test` over several nodes' reports: every result labelled, per-node totals.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Job } from "kubernetes-models/batch/v1";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../src/paths.js";
import { ExitCode } from "../src/exit-codes.js";
import { FIXTURES, SAMPLE, runKubecis } from "./helpers.js";

const manifest = parse(readFileSync(join(packageRoot, "deploy/kubecis-scan-job.yaml"), "utf8"));

describe("deploy/kubecis-scan-job.yaml", () => {
  it("is a valid batch/v1 Job", () => {
    expect(() => new Job(manifest).validate()).not.toThrow();
  });

  it("the schema check rejects a broken manifest", () => {
    const broken = structuredClone(manifest);
    broken.spec.template.spec.hostPID = "yes";
    expect(() => new Job(broken).validate()).toThrow();
  });

  it("runs kubecis scan on control-plane nodes with least privilege", () => {
    const pod = manifest.spec.template.spec;
    expect(pod.hostPID).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.nodeSelector).toEqual({ "node-role.kubernetes.io/control-plane": "" });
    expect(pod.tolerations.map((t: { key: string }) => t.key)).toContain("node-role.kubernetes.io/control-plane");
    const [container] = pod.containers;
    expect(container.command.slice(0, 2)).toEqual(["kubecis", "scan"]);
    expect(container.command).toContain("$(NODE_NAME)");
    expect(container.env).toContainEqual({ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
    expect(container.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: ["DAC_READ_SEARCH"] },
    });
    for (const mount of container.volumeMounts) expect(mount.readOnly).toBe(true);
    for (const volume of pod.volumes) expect(volume.hostPath.type).toBe("Directory");
  });
});

describe("kubecis test over several nodes' reports", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubecis-fleet-"));
  mkdirSync(join(dir, "reports"));
  writeFileSync(join(dir, "reports/cp-1.json"), runKubecis(["test", SAMPLE, "-o", "report"]).stdout);
  writeFileSync(join(dir, "reports/cp-2.json"), runKubecis(["test", join(FIXTURES, "apiserver/profiling_disabled/pass/flag_false.yaml"), "-o", "report"]).stdout);

  it("labels every result with its node and sums per node", () => {
    const run = runKubecis(["test", join(dir, "reports"), "-o", "report", "--exceptions", writeExceptions(dir)]);
    expect(run.status).toBe(ExitCode.Failures);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { node: string }) => t.node)).toEqual(["cp-1", "cp-2"]);
    const own = (node: string) => JSON.parse(readFileSync(join(dir, `reports/${node}.json`), "utf8")).summary;
    expect(report.nodes).toEqual([
      { node: "cp-1", targets: 1, summary: own("cp-1"), waived: 1 },
      { node: "cp-2", targets: 1, summary: own("cp-2"), waived: 0 },
    ]);
    const text = runKubecis(["test", join(dir, "reports"), "--exceptions", writeExceptions(dir)]).stdout;
    expect(text).toContain(`node cp-1: 1 target, ${own("cp-1").pass} passed, ${own("cp-1").fail} failed`);
    expect(text).toContain("cluster: 2 nodes");
  });

  it("takes the node from a report that names it (kubecis scan --node, as the Job runs it)", () => {
    const named = join(dir, "named");
    mkdirSync(named);
    writeFileSync(join(named, "whatever.json"), runKubecis(["test", SAMPLE, "--node", "cp-9", "-o", "report"]).stdout);
    const report = JSON.parse(runKubecis(["test", named, "-o", "report"]).stdout);
    expect(report.targets.map((t: { node: string }) => t.node)).toEqual(["cp-9"]);
    expect(report.nodes.map((n: { node: string }) => n.node)).toEqual(["cp-9"]);
  });

  it("keeps nodes apart in conftest formats", () => {
    const out = JSON.parse(runKubecis(["test", join(dir, "reports"), "-o", "json"]).stdout);
    expect(out.map((e: { filename: string }) => e.filename.split(":")[0])).toEqual(["cp-1", "cp-2"]);
  });
});

function writeExceptions(dir: string): string {
  const path = join(dir, "exceptions.yaml");
  writeFileSync(path, "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    nodes: [cp-1]\n    reason: profiling on cp-1 for incident 7\n");
  return path;
}
