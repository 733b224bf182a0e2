// The fleet manifests under deploy/: valid against the Kubernetes API types, strictly (an unknown
// field anywhere is an error, as `kubectl apply --validate=strict` makes it), least-privileged,
// and working end to end: the scanner's own command, from the manifest, exits 0 with a report
// whatever the verdicts, and the gate is applied where the reports are collected.
// Plus `kubecis test` over several nodes' reports: every result labelled, per-node totals.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Job } from "kubernetes-models/batch/v1";
import { DaemonSet } from "kubernetes-models/apps/v1";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../src/paths.js";
import { ExitCode } from "../src/exit-codes.js";
import { CLI, FIXTURES, SAMPLE, runKubecis } from "./helpers.js";

/** Each kind the manifests use: its validating model and its TypeScript type. */
const KINDS: Record<string, { model: new (data: never) => { validate(): void }; type: string; module: string }> = {
  Job: { model: Job as never, type: "IJob", module: "kubernetes-models/batch/v1/Job" },
  DaemonSet: { model: DaemonSet as never, type: "IDaemonSet", module: "kubernetes-models/apps/v1/DaemonSet" },
};
const DEPLOY = join(packageRoot, "deploy");
const manifests = readdirSync(DEPLOY)
  .filter((name) => name.endsWith(".yaml"))
  .sort()
  .map((name) => ({ name, object: parse(readFileSync(join(DEPLOY, name), "utf8")) }));
const jobManifest = manifests.find((m) => m.object.kind === "Job")!.object;

interface Container {
  name: string;
  command: string[];
  env?: { name: string; value?: string }[];
  terminationMessagePath?: string;
  securityContext: Record<string, unknown>;
  volumeMounts?: { readOnly?: boolean }[];
}
/** The container that runs `kubecis scan` (a Job's container, a DaemonSet's init container). */
function scanContainer(object: { spec: { template: { spec: { containers: Container[]; initContainers?: Container[] } } } }): Container {
  const pod = object.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].find((c) => /\bkubecis scan\b/.test(c.command?.join(" ") ?? ""))!;
}

/** What a container run leaves: its exit code, its log as `kubectl logs` returns it (stdout and
 * stderr in one stream, kubernetes/kubernetes#28167; `stderrFirst` interleaves them the other
 * way), and its termination message (the file at terminationMessagePath). */
interface ContainerRun {
  status: number;
  log: (stderrFirst?: boolean) => string;
  terminationMessage: string;
}

/**
 * Runs a container's command as the kubelet would, on a node named `node` whose root is `root`:
 * $(VAR) references expanded from the container's env (NODE_NAME from the downward API), the
 * host mounted at /host, /dev/termination-log a file, and `kubecis` on PATH the built CLI.
 */
function runContainer(container: Container, node: string, root: string, scratch: string): ContainerRun {
  const bin = join(scratch, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "kubecis"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  const termination = join(scratch, `termination-log-${node}`);
  writeFileSync(termination, "");
  const env: Record<string, string> = { NODE_NAME: node };
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  const argv = container.command.map((arg) =>
    arg
      .replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? `$(${name})`)
      .replaceAll(container.terminationMessagePath ?? "/dev/termination-log", termination)
      .replace(/(^|[\s"'])\/host(?=$|[\s"'])/g, `$1${root}`),
  );
  const run = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", env: { ...process.env, ...env, PATH: `${bin}:${process.env["PATH"]}` } });
  if (run.error) throw run.error;
  return {
    status: run.status ?? -1,
    log: (stderrFirst = false) => (stderrFirst ? run.stderr + run.stdout : run.stdout + run.stderr),
    terminationMessage: readFileSync(termination, "utf8"),
  };
}

/** TypeScript errors of the manifests written as literals of their Kubernetes API types: an unknown field is TS2353. */
function typeCheck(objects: Record<string, { kind: string }>): string {
  const dir = join(packageRoot, "node_modules", ".kubecis-deploy-check");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = Object.entries(objects).map(([file, object]) => {
    const kind = KINDS[object.kind]!;
    writeFileSync(join(dir, `${file}.ts`), `import type { ${kind.type} } from "${kind.module}";\nexport const manifest: ${kind.type} = ${JSON.stringify(object, null, 2)};\n`);
    return `${file}.ts`;
  });
  const config = { compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: true, types: [] }, files };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
  const tsc = spawnSync(process.execPath, [join(packageRoot, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
  return tsc.stdout + tsc.stderr;
}

describe("deploy/ manifests", () => {
  it("has the Job and the DaemonSet, each of a known kind", () => {
    expect(manifests.map((m) => m.object.kind).sort()).toEqual(["DaemonSet", "Job"]);
  });

  it.each(manifests)("$name is valid against the Kubernetes schema, and the check rejects a wrong type", ({ object }) => {
    const { model } = KINDS[object.kind]!;
    expect(() => new model(object as never).validate()).not.toThrow();
    const broken = structuredClone(object);
    broken.spec.template.spec.hostPID = "yes";
    expect(() => new model(broken as never).validate()).toThrow();
  });

  it("every manifest has only fields the Kubernetes API types know; an unknown field anywhere is rejected", { timeout: 180_000 }, () => {
    const objects: Record<string, { kind: string }> = {};
    for (const { name, object } of manifests) {
      objects[`good-${name}`] = object;
      const misspelt = structuredClone(object);
      scanContainer(misspelt).securityContext["readOnlyRootFileSystem"] = true; // the field is readOnlyRootFilesystem
      objects[`nested-${name}`] = misspelt;
      const top = structuredClone(object);
      top.spec.backofLimit = 1;
      objects[`spec-${name}`] = top;
    }
    const errors = typeCheck(objects);
    for (const { name } of manifests) {
      expect(errors).not.toContain(`good-${name}`);
      expect(errors).toMatch(new RegExp(`nested-${name.replace(".", "\\.")}\\.ts\\(\\d+,\\d+\\): error TS2353: .*"readOnlyRootFileSystem"`));
      expect(errors).toMatch(new RegExp(`spec-${name.replace(".", "\\.")}\\.ts\\(\\d+,\\d+\\): error TS2353: .*"backofLimit"`));
    }
  });

  it.each(manifests)("$name runs kubecis scan on control-plane nodes with least privilege, exiting 0 with a report", ({ object }) => {
    const pod = object.spec.template.spec;
    expect(pod.hostPID).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
    // Every node with the control-plane label whatever its value ("" from kubeadm, "true" from
    // k3s/RKE2: k3s pkg/server/server.go setNodeLabelsAndAnnotations), never a value selector.
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }] },
    ]);
    expect(pod.tolerations.map((t: { key: string }) => t.key)).toEqual(["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"]);
    const scan = scanContainer(object);
    const script = scan.command.join(" ");
    expect(script).toMatch(/kubecis scan --host-root \/host --node "?\$\(?NODE_NAME\)?"? -o report/);
    // The scanner does not gate: --no-fail, no --fail-on-warn.
    expect(script).toContain("--no-fail");
    expect(script).not.toContain("--fail-on-warn");
    expect((scan as unknown as { env: unknown[] }).env).toContainEqual({ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
    expect(scan.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: ["DAC_READ_SEARCH"] },
    });
    for (const mount of scan.volumeMounts ?? []) expect(mount.readOnly).toBe(true);
    for (const volume of pod.volumes) expect(volume.hostPath.type).toBe("Directory");
    for (const c of pod.containers) expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("the Job: one Pod per node that fails alone (Indexed, backoffLimitPerIndex 0), never the whole Job on one node", () => {
    expect(jobManifest.spec).toMatchObject({ completionMode: "Indexed", backoffLimitPerIndex: 0 });
    expect(jobManifest.spec.backoffLimit).toBeUndefined();
    expect(jobManifest.spec.completions).toBe(jobManifest.spec.parallelism);
    const spread = jobManifest.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    expect(spread.topologyKey).toBe("kubernetes.io/hostname");
    expect(spread.labelSelector.matchLabels).toEqual(jobManifest.spec.template.metadata.labels);
  });

  it.each(manifests)("$name end to end: each node's Pod log is its report, the collection gates the fleet with every node's reason", ({ object }) => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-fleet-e2e-"));
    const scan = scanContainer(object);
    const host = (node: string, argv?: string[]) => {
      const root = join(dir, "hosts", node);
      mkdirSync(join(root, "proc"), { recursive: true });
      mkdirSync(join(root, "etc/kubernetes"), { recursive: true });
      if (argv) {
        mkdirSync(join(root, "proc/4242"));
        writeFileSync(join(root, "proc/4242/cmdline"), [...argv, ""].join("\0"));
      }
      return root;
    };
    const nodes = {
      "cp-1": host("cp-1", ["/usr/local/bin/kube-apiserver", "--anonymous-auth=true", "--profiling=true"]),
      "cp-2": host("cp-2", ["/usr/local/bin/kube-apiserver", "--anonymous-auth=false"]),
    };
    // Collected as the recipes (docs/ci.md "Fleet"; test/fleet-recipes.test.ts runs them) do: each Pod's log, stdout and
    // stderr merged by `kubectl logs`, into reports/<its node>.json.
    mkdirSync(join(dir, "reports"));
    for (const [node, root] of Object.entries(nodes)) {
      const pod = runContainer(scan, node, root, dir);
      expect(pod.status, pod.terminationMessage).toBe(ExitCode.Ok);
      const report = JSON.parse(pod.log());
      expect(report.targets.map((t: { node: string }) => t.node)).toEqual([node]);
      writeFileSync(join(dir, "reports", `${node}.json`), pod.log());
    }
    expect(JSON.parse(readFileSync(join(dir, "reports/cp-1.json"), "utf8")).summary.fail).toBeGreaterThan(0);
    const gate = runKubecis(["test", join(dir, "reports")]);
    expect(gate.status).toBe(ExitCode.Failures);
    expect(gate.stdout).toContain("cluster: 2 nodes");
    // A node with no API server: its Pod exits 4 and says why in its termination message
    // (`kubectl describe pod`); its log, however kubectl interleaves the streams, is still its
    // report with the reason, and the collection exits 4 naming the node and the reason.
    const lost = runContainer(scan, "cp-3", host("cp-3"), dir);
    expect(lost.status).toBe(ExitCode.Input);
    for (const stderrFirst of [false, true]) {
      writeFileSync(join(dir, "reports", "cp-3.json"), lost.log(stderrFirst));
      expect(JSON.parse(lost.log(stderrFirst)).errors.map((e: { message: string }) => e.message).join()).toContain("no API server process found");
      const withLost = runKubecis(["test", join(dir, "reports")]);
      expect(withLost.status).toBe(ExitCode.Input);
      expect(withLost.stderr).toMatch(/node cp-3: no API server process found/);
      expect(withLost.stderr).not.toContain("invalid");
    }
    expect(lost.terminationMessage).toContain("no API server process found");
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

describe("docs/ci.md k3s and RKE2 mounts", () => {
  // The page's YAML block, put in place of the kubeadm volume and mount of each manifest.
  const page = readFileSync(join(packageRoot, "docs/ci.md"), "utf8");
  const section = page.slice(page.indexOf("### k3s and RKE2"));
  const block = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]!) as { volumeMounts: { name: string; mountPath: string; readOnly: boolean }[]; volumes: { name: string; hostPath: { path: string; type: string } }[] };

  it.each(manifests)("$name with them is still valid, read-only, and mounts only existing host directories", ({ object }) => {
    const variant = structuredClone(object);
    const pod = variant.spec.template.spec;
    const scan = scanContainer(variant);
    pod.volumes = [...pod.volumes.filter((v: { name: string }) => v.name !== "etc-kubernetes"), ...block.volumes];
    scan.volumeMounts = [...scan.volumeMounts!.filter((m) => (m as { name: string }).name !== "etc-kubernetes"), ...block.volumeMounts];
    expect(() => new KINDS[variant.kind]!.model(variant as never).validate()).not.toThrow();
    expect(block.volumeMounts.map((m) => m.mountPath)).toEqual(["/host/etc/rancher", "/host/var/lib/rancher"]);
    for (const mount of scan.volumeMounts) expect(mount.readOnly).toBe(true);
    // type Directory: a node without the directory does not start the Pod, and nothing is
    // created on the host (containerd's CRI creates a missing hostPath for type "").
    for (const volume of pod.volumes) expect(volume.hostPath.type).toBe("Directory");
    expect(new Set(scan.volumeMounts.map((m) => (m as { name: string }).name))).toEqual(new Set(pod.volumes.map((v: { name: string }) => v.name)));
  });
});
