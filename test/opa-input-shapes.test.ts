// The shared bundle fails closed for OPA and conftest users, whatever the input's shape
// (DESIGN decisions 9 and 10): the real `opa eval` and the real conftest, on the bundle `make
// build` writes, deny every input they cannot judge, and `report` says so with an `input`
// error, never an empty, clean list. `report` judges what `deny` judges (a raw Pod through
// lib.pod), and data.kubecis.options.skip never hides an `error`.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { readTextFile } from "../src/readers/files.js";
import { readYamlDocuments } from "../src/readers/yaml.js";
import { CONFTEST, OPA, SAMPLE, runKubecis, runTool } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "kubecis-shapes-"));
const bundleDir = join(work, "bundle");
const BUNDLE = join(packageRoot, "build/out/bundle.rego.tar.gz");
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");

interface Denial {
  msg: string;
  id: string;
  status: string;
}
interface Result {
  id: string;
  status: string;
  reason: string;
  outside?: string;
}

function opaEval(query: string, input: string, data: string[] = []): unknown {
  const args = ["eval", "-b", BUNDLE, ...data.flatMap((d) => ["-d", d]), "-I", "-f", "json", query];
  const run = runTool(OPA, args, input);
  expect(run.status, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout).result as { expressions: { value: unknown }[] }[] | undefined;
  return result?.[0]?.expressions[0]?.value;
}

function conftest(file: string, data: string[] = []) {
  return runTool(CONFTEST, ["test", "--no-color", "--namespace", "kubecis.main", "-p", bundleDir, "-d", join(bundleDir, "data.json"), ...data.flatMap((d) => ["-d", d]), "-o", "json", file]);
}

beforeAll(() => {
  mkdirSync(bundleDir, { recursive: true });
  const untar = spawnSync("tar", ["-xzf", BUNDLE, "-C", bundleDir], { encoding: "utf8" });
  expect(untar.status, untar.stderr).toBe(0);
});

const rbacList = {
  apiVersion: "v1",
  kind: "List",
  items: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "x" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] }],
};

// [what, file name, text]: every shape an input may have that this bundle cannot judge.
const UNJUDGEABLE: [string, string, string][] = [
  ["a k3s config.yaml (YAML without a kind)", "config.yaml", "kube-apiserver-arg:\n  - anonymous-auth=true\n  - authorization-mode=AlwaysAllow\n"],
  ["an object without a kind", "nokind.json", JSON.stringify({ apiVersion: "v1", metadata: { name: "x" } })],
  ["an empty object", "empty.json", "{}"],
  ["kind a number", "kind-number.json", JSON.stringify({ kind: 5 })],
  ["kind a list", "kind-list.json", JSON.stringify({ kind: ["Pod"], spec: { containers: [] } })],
  ["kind null", "kind-null.json", JSON.stringify({ kind: null })],
  ["null", "null.json", "null"],
  ["a string", "string.json", '"kube-apiserver --anonymous-auth=true"'],
  ["a number", "number.json", "42"],
  ["a boolean", "boolean.json", "true"],
  ["a ConfigMap", "configmap.json", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: {} })],
  ["an unknown kind", "widget.json", JSON.stringify({ apiVersion: "example.dev/v1", kind: "Widget", spec: {} })],
  ["a Pod without a kube-apiserver", "etcd.json", JSON.stringify({ kind: "Pod", spec: { containers: [{ name: "etcd", command: ["etcd"] }] } })],
  ["a PodList whose items are not a list", "podlist.json", JSON.stringify({ kind: "PodList", items: "x" })],
  ["raw RBAC objects", "rbac.json", JSON.stringify(rbacList)],
];

describe("every input shape the bundle cannot judge is denied, and report says so", () => {
  it.each(UNJUDGEABLE)("%s", (_what, name, text) => {
    const file = join(work, name);
    writeFileSync(file, text);
    const input = name.endsWith(".yaml") ? JSON.stringify({ "kube-apiserver-arg": ["anonymous-auth=true", "authorization-mode=AlwaysAllow"] }) : text;
    const denied = opaEval("data.kubecis.main.deny", input) as Denial[];
    expect(denied).toEqual([expect.objectContaining({ id: "input", status: "error", msg: expect.stringMatching(/^kubecis: /) })]);
    const report = opaEval("data.kubecis.main.report", input) as { results: Result[] };
    expect(report.results).toEqual([expect.objectContaining({ id: "input", status: "error", reason: denied[0]!.msg.replace(/^kubecis: /, "") })]);
    const run = conftest(file);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const [out] = JSON.parse(run.stdout) as { failures?: { msg: string }[] }[];
    expect(out!.failures?.map((f) => f.msg)).toEqual([denied[0]!.msg]);
  });

  it("an evaluation without input (opa eval with no -i) is denied too", () => {
    const run = runTool(OPA, ["eval", "-b", BUNDLE, "-f", "json", "data.kubecis.main.deny"]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).result[0].expressions[0].value).toEqual([expect.objectContaining({ id: "input", status: "error" })]);
  });

  it("a JSON array (kubecis normalize of two API servers): opa denies it; conftest judges each element", () => {
    const normalized = runKubecis(["normalize", SAMPLE, HARDENED]);
    expect(normalized.status, normalized.stderr).toBe(0);
    expect(JSON.parse(normalized.stdout)).toHaveLength(2);
    const denied = opaEval("data.kubecis.main.deny", normalized.stdout) as Denial[];
    expect(denied).toEqual([expect.objectContaining({ id: "input", status: "error", msg: expect.stringContaining("array of 2 values") })]);
    const report = opaEval("data.kubecis.main.report", normalized.stdout) as { results: Result[] };
    expect(report.results).toEqual([expect.objectContaining({ id: "input", status: "error" })]);
    // conftest reads a top-level array as one document per element: the sample's failures.
    const file = join(work, "two.json");
    writeFileSync(file, normalized.stdout);
    const run = conftest(file);
    expect(run.status).toBe(1);
    const cli = JSON.parse(runKubecis(["test", SAMPLE, "-o", "json"]).stdout)[0].failures.map((f: { msg: string }) => f.msg);
    expect(cli.length).toBeGreaterThan(0);
    const failures = (JSON.parse(run.stdout) as { failures?: { msg: string }[] }[]).flatMap((r) => (r.failures ?? []).map((f) => f.msg));
    expect([...new Set(failures)].sort()).toEqual([...cli].sort());
  });
});

describe("report judges what deny judges", () => {
  it.each([SAMPLE, HARDENED])("a raw static Pod manifest: %s", (path) => {
    const document = runKubecis(["normalize", path, "-o", "json"]);
    expect(document.status, document.stderr).toBe(0);
    const fromPod = opaEval("data.kubecis.main.report", JSON.stringify(readYaml(path))) as { component: string; results: Result[] };
    const fromDocument = opaEval("data.kubecis.main.report", document.stdout) as { results: Result[] };
    expect(fromPod.component).toBe("apiserver");
    const verdicts = (results: Result[]) => results.map((r) => `${r.id} ${r.status} ${r.outside ?? ""}`).sort();
    expect(fromPod.results.length).toBeGreaterThan(40);
    expect(verdicts(fromPod.results)).toEqual(verdicts(fromDocument.results));
    const denied = opaEval("data.kubecis.main.deny", JSON.stringify(readYaml(path))) as Denial[];
    expect(denied.map((d) => d.id).sort()).toEqual(
      fromPod.results
        .filter((r) => ["fail", "error"].includes(r.status) && !r.outside)
        .map((r) => r.id)
        .sort(),
    );
  });

  it("a List of two kube-apiserver Pods: both judged, in report as in deny", () => {
    const pods = [SAMPLE, HARDENED].map((p) => readYaml(p));
    const input = JSON.stringify({ apiVersion: "v1", kind: "List", items: pods });
    const report = opaEval("data.kubecis.main.report", input) as { results: Result[]; kubernetesVersion: { version: unknown } };
    expect(report.results.length).toBe(2 * 45);
    expect(report.kubernetesVersion.version).toBeNull();
    const denied = opaEval("data.kubecis.main.deny", input) as Denial[];
    const failing = new Set(report.results.filter((r) => ["fail", "error"].includes(r.status) && !r.outside).map((r) => r.id));
    expect(new Set(denied.map((d) => d.id))).toEqual(failing);
  });

  it("a Pod of a shape kubelet refuses: report has its input error", () => {
    const input = JSON.stringify({ kind: "Pod", spec: { containers: [null] } });
    const report = opaEval("data.kubecis.main.report", input) as { results: Result[] };
    expect(report.results).toEqual([expect.objectContaining({ id: "input", status: "error", reason: expect.stringContaining("spec.containers[0]") })]);
  });
});

describe("data.kubecis.options.skip waives fail and warn, never an error", () => {
  it("--profiling=off is an error that skip does not hide; a fail is still skipped", () => {
    const manifest = readFileSync(HARDENED, "utf8").replace("--profiling=false", "--profiling=off");
    const file = join(work, "kube-apiserver.yaml");
    writeFileSync(file, manifest);
    const waivers = join(work, "waivers.json");
    writeFileSync(waivers, JSON.stringify({ kubecis: { options: { skip: ["KAS-0005"] } } }));
    const run = conftest(file, [waivers]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const failures = (JSON.parse(run.stdout) as { failures?: { msg: string }[] }[]).flatMap((r) => r.failures ?? []);
    expect(failures.map((f) => f.msg)).toContainEqual(expect.stringMatching(/^KAS-0005: /));
    // the CLI keeps the error too (docs/waivers.md)
    const cli = runKubecis(["test", file, "--skip", "KAS-0005", "-o", "json"]);
    expect(cli.status).toBe(4);
    // a fail is waived: --profiling=true with the same skip
    writeFileSync(file, readFileSync(HARDENED, "utf8").replace("--profiling=false", "--profiling=true"));
    const skipped = conftest(file, [waivers]);
    const left = (JSON.parse(skipped.stdout) as { failures?: { msg: string }[] }[]).flatMap((r) => r.failures ?? []);
    expect(left.map((f) => f.msg)).not.toContainEqual(expect.stringMatching(/^KAS-0005: /));
    const unskipped = conftest(file);
    expect((JSON.parse(unskipped.stdout) as { failures?: { msg: string }[] }[]).flatMap((r) => (r.failures ?? []).map((f) => f.msg))).toContainEqual(expect.stringMatching(/^KAS-0005: /));
  });
});

/** The one YAML document of a static Pod manifest, read by the project's YAML reader. */
function readYaml(path: string): unknown {
  const docs = readYamlDocuments(readTextFile(path));
  expect(docs).toHaveLength(1);
  return docs[0]!.value;
}
