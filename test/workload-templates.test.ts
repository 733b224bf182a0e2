// A kube-apiserver run by a workload (hosted control planes: a Deployment, StatefulSet, ... whose
// Pod template runs it) is judged as the Pod its template creates, and a kube-apiserver container
// kubecis cannot read (only `args`: the command is the image's entrypoint) is an input error
// naming the file and container. Both were skipped without a word in a walked directory (exit 0,
// a wrong pass) and were "no kube-apiserver found" when named alone.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { packageRoot } from "../src/paths.js";
import type { Result, Target } from "../src/types.js";
import { CONFTEST, SAMPLE, runAsync, runKubecisAsync } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "kubecis-workloads-"));
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");
// kubeadm's Pod with every request authorized: KAS-0002 fails.
const pod = parse(readFileSync(SAMPLE, "utf8").replace("--authorization-mode=Node,RBAC", "--authorization-mode=AlwaysAllow"));
const template = { metadata: { labels: { app: "kas" } }, spec: pod.spec };
const meta = { name: "kube-apiserver", namespace: "tenant-a" };
const selector = { matchLabels: { app: "kas" } };
/** Every workload kind whose Pod template kubecis reads, as `kubectl get -o yaml` prints it. */
const WORKLOADS: Record<string, object> = {
  Deployment: { apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: { replicas: 2, selector, template } },
  StatefulSet: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: meta, spec: { serviceName: "kas", selector, template } },
  DaemonSet: { apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta, spec: { selector, template } },
  ReplicaSet: { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta, spec: { selector, template } },
  ReplicationController: { apiVersion: "v1", kind: "ReplicationController", metadata: meta, spec: { selector: { app: "kas" }, template } },
  Job: { apiVersion: "batch/v1", kind: "Job", metadata: meta, spec: { template: { ...template, spec: { ...pod.spec, restartPolicy: "Never" } } } },
  CronJob: { apiVersion: "batch/v1", kind: "CronJob", metadata: meta, spec: { schedule: "@daily", jobTemplate: { spec: { template: { ...template, spec: { ...pod.spec, restartPolicy: "Never" } } } } } },
  PodTemplate: { apiVersion: "v1", kind: "PodTemplate", metadata: meta, template },
};

function write(path: string, value: unknown): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof value === "string" ? value : stringify(value));
  return path;
}

async function report(args: string[]) {
  const run = await runKubecisAsync([...args, "-o", "report"]);
  return { status: run.status, stderr: run.stderr, report: JSON.parse(run.stdout) as { targets: Target[]; errors: { file?: string; message: string }[] } };
}
const statusOf = (target: Target, id: string) => target.results.find((r: Result) => r.id === id)?.status;

describe("a kube-apiserver in a workload's Pod template", () => {
  it.each(Object.keys(WORKLOADS))("a %s is judged as the Pod it creates, naming the workload", async (kind) => {
    const file = write(join(work, "alone", `${kind}.yaml`), WORKLOADS[kind]);
    const { status, report: r } = await report(["test", file]);
    expect(r.errors).toEqual([]);
    expect(r.targets).toHaveLength(1);
    expect(r.targets[0]!.source).toMatchObject({ path: file, format: "pod-manifest", container: "kube-apiserver", workload: `${kind} tenant-a/kube-apiserver` });
    expect(statusOf(r.targets[0]!, "KAS-0002")).toBe("fail");
    expect(r.targets[0]!.kubernetesVersion.version).toBe("1.33.0");
    expect(status).toBe(1);
  });

  it("a List of workloads (kubectl get deploy,sts -o yaml): each one is a target", async () => {
    const file = write(join(work, "list.yaml"), { apiVersion: "v1", kind: "List", items: [WORKLOADS["Deployment"], { ...WORKLOADS["StatefulSet"], metadata: { name: "kas-b", namespace: "tenant-b" } }] });
    const { report: r } = await report(["test", file]);
    expect(r.targets.map((t) => t.source.workload)).toEqual(["Deployment tenant-a/kube-apiserver", "StatefulSet tenant-b/kas-b"]);
  });

  it("a walked directory judges the Deployment beside a static Pod, and the run fails", async () => {
    const dir = join(work, "hcp");
    write(join(dir, "static.yaml"), readFileSync(HARDENED, "utf8"));
    write(join(dir, "tenant-a-kas-deploy.yaml"), WORKLOADS["Deployment"]);
    // A workload that runs something else is still not a target, and says nothing.
    write(join(dir, "nginx.yaml"), { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { selector, template: { metadata: {}, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } } });
    const { status, stderr, report: r } = await report(["test", dir]);
    expect(r.errors).toEqual([]);
    expect(stderr).toBe("");
    expect(r.targets.map((t) => t.source.workload ?? null).sort()).toEqual(["Deployment tenant-a/kube-apiserver", null]);
    expect(status).toBe(1);
  });
});

describe("a kube-apiserver container kubecis cannot read is an input error, never skipped", () => {
  const argsOnly = (spec: { containers: { command?: string[]; args?: string[] }[] }) => {
    const container = { ...spec.containers[0]!, args: spec.containers[0]!.command!.slice(1) };
    delete container.command;
    return { ...spec, containers: [container] };
  };
  const cases: [string, object][] = [
    ["a Pod with only args", { ...pod, spec: argsOnly(pod.spec) }],
    ["a Deployment with only args", { ...WORKLOADS["Deployment"], spec: { selector, template: { ...template, spec: argsOnly(pod.spec) } } }],
    ["a Pod whose kube-apiserver container runs a wrapper", { ...pod, spec: { ...pod.spec, containers: [{ ...pod.spec.containers[0], command: ["/entrypoint.sh", ...pod.spec.containers[0].command.slice(1)] }] } }],
  ];

  it.each(cases)("%s, in a walked directory: exit 4 naming file and container; the other file is judged", async (name, value) => {
    const dir = join(work, name.replace(/\W+/g, "-"));
    write(join(dir, "static.yaml"), readFileSync(HARDENED, "utf8"));
    const file = write(join(dir, "kas.yaml"), value);
    const { status, stderr, report: r } = await report(["test", dir]);
    expect(r.targets).toHaveLength(1);
    expect(r.targets[0]!.source.path).toBe(join(dir, "static.yaml"));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file, message: expect.stringContaining('container "kube-apiserver"') });
    expect(stderr).toContain(file);
    expect(status).toBe(4);
  });

  it.each(cases)("%s, named alone: the same input error", async (name, value) => {
    const file = write(join(work, "alone-err", `${name.replace(/\W+/g, "-")}.yaml`), value);
    const { status, report: r } = await report(["test", file]);
    expect(r.errors).toEqual([expect.objectContaining({ file, message: expect.stringContaining('container "kube-apiserver"') })]);
    expect(status).toBe(4);
  });
});

describe("a kube-apiserver container in a kind kubecis does not read as a Pod", () => {
  const rollout = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: meta, spec: { selector, template } };
  const values = { controlPlane: { apiServer: { containers: [pod.spec.containers[0]] } } };
  it.each([
    ["a custom resource's Pod template (Argo Rollout)", rollout, "spec.template.spec.containers"],
    ["a values file", values, "controlPlane.apiServer.containers"],
    ["a List item", { apiVersion: "v1", kind: "List", items: [rollout] }, "items[0].spec.template.spec.containers"],
  ])("%s, in a walked directory: an input error naming file and field, never skipped", async (_name, value, field) => {
    const dir = join(work, `stray-${field.replace(/\W+/g, "-")}`);
    write(join(dir, "static.yaml"), readFileSync(HARDENED, "utf8"));
    const file = write(join(dir, "kas.yaml"), value);
    const { status, report: r } = await report(["test", dir]);
    expect(r.targets).toHaveLength(1);
    expect(r.errors).toEqual([expect.objectContaining({ file, message: expect.stringContaining(`${field}[0]`) })]);
    expect(status).toBe(4);
  });
});

describe("conftest with the bundle on the new forms", () => {
  const argsOnlyPod = { ...pod, spec: { ...pod.spec, containers: [{ ...pod.spec.containers[0], command: undefined, args: pod.spec.containers[0].command.slice(1) }] } };
  it.each([["Deployment", WORKLOADS["Deployment"]], ["CronJob", WORKLOADS["CronJob"]], ["args-only Pod", argsOnlyPod]])("a %s running kube-apiserver is denied, never passed", async (kind, value) => {
    const file = write(join(work, "conftest", `${kind.replace(/\W/g, "-")}.yaml`), value);
    const bundle = join(work, "bundle");
    mkdirSync(bundle, { recursive: true });
    expect(spawnSync("tar", ["-xzf", join(packageRoot, "build/out/bundle.rego.tar.gz"), "-C", bundle]).status).toBe(0);
    const run = await runAsync(CONFTEST, ["test", "--no-color", "--namespace", "kubecis.main", "-p", bundle, "-d", join(bundle, "data.json"), "-o", "json", file]);
    expect(run.status).toBe(1);
    const failures = (JSON.parse(run.stdout) as { failures?: { msg: string }[] }[]).flatMap((r) => r.failures ?? []);
    expect(failures.length).toBeGreaterThan(0);
  });
});
