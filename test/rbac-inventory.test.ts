// Real cluster sizes in one file (issue 19): an RBAC export over the 16 MiB input limit is
// read whole (JSON, YAML, standard input), a large file of anything else is still refused with
// a way forward, and inventory-wide controls never judge an inventory that lost a file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { MAX_INPUT_BYTES, looksLikeRbacExport } from "../src/readers/files.js";
import { MAX_EXPANDED_BYTES, readYamlDocuments } from "../src/readers/yaml.js";
import { readCatalog } from "../src/engine/catalog.js";
import { normalizeInputs } from "../src/index.js";
import { catalogPath } from "../src/paths.js";
import type { RbacSnapshot } from "../src/types.js";
import { BOOTSTRAP_RBAC, SAMPLE, runKubecis } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "kubecis-inventory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A kubectl-style List of RoleBindings, each with a large last-applied annotation (as
 * `kubectl apply` leaves them), so that a few thousand objects pass 16 MiB. */
function bigExport(bindings: number): Record<string, unknown> {
  const items: unknown[] = [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] },
  ];
  for (let i = 0; i < bindings; i++) {
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `rb-${i}`, namespace: `ns-${i % 50}` },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "reader" },
      subjects: [{ kind: "User", name: `user-${i}` }],
    };
    const applied = JSON.stringify({ ...binding, padding: "x".repeat(9000) });
    items.push({ ...binding, metadata: { ...binding.metadata, annotations: { "kubectl.kubernetes.io/last-applied-configuration": applied } } });
  }
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

const list = bigExport(2000);
const jsonExport = join(dir, "one-big-export.json");
writeFileSync(jsonExport, JSON.stringify(list, null, 4));
const yamlExport = join(dir, "one-big-export.yaml");
writeFileSync(yamlExport, stringify(list));

/** The RBAC target of a `-o report` run. */
function rbacTarget(stdout: string): { kind: string; results: unknown[] } | undefined {
  const report = JSON.parse(stdout) as { targets: { kind: string; results: unknown[] }[] };
  return report.targets.find((t) => t.kind === "RbacSnapshot");
}

describe("a single RBAC export over 16 MiB", () => {
  it("the generated exports are over the input limit", () => {
    expect(statSync(jsonExport).size).toBeGreaterThan(MAX_INPUT_BYTES);
    expect(statSync(yamlExport).size).toBeGreaterThan(MAX_INPUT_BYTES);
  });

  for (const [form, path] of [["JSON", jsonExport], ["YAML", yamlExport]] as const) {
    it(`is read whole and judged (${form})`, () => {
      const run = runKubecis(["test", "-o", "report", path]);
      expect(run.stderr).not.toMatch(/limit/);
      expect([0, 1]).toContain(run.status);
      const target = rbacTarget(run.stdout);
      expect(target?.results.length).toBeGreaterThan(10);
      expect(run.stdout).toMatch(/"RoleBinding": 2000/);
    });
  }

  it("is read whole from standard input", () => {
    const run = runKubecis(["test", "-o", "report", "-"], readFileSync(jsonExport, "utf8"));
    expect(run.stderr).not.toMatch(/limit/);
    expect([0, 1]).toContain(run.status);
    expect(run.stdout).toMatch(/"RoleBinding": 2000/);
  });

  it("is refused over --max-rbac-file-size, saying how to proceed, and the other inputs are judged", () => {
    const run = runKubecis(["test", "-o", "report", "--max-rbac-file-size", "10M", jsonExport, SAMPLE]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${jsonExport}: file is ${statSync(jsonExport).size} bytes; the limit for an RBAC export is 10485760`);
    expect(run.stderr).toMatch(/raise --max-rbac-file-size .* or split the export into several files/);
    expect(JSON.parse(run.stdout).targets.map((t: { kind: string }) => t.kind)).toEqual(["ApiServerConfig"]);
  });

  it("refuses a --max-rbac-file-size that is not a size", () => {
    const run = runKubecis(["test", "--max-rbac-file-size", "lots", SAMPLE]);
    expect(run.status).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('--max-rbac-file-size: "lots" is not a size');
  });
});

describe("the alias-expansion limit follows the input's size", () => {
  it("a JSON export whose keys and scalars pass 32 MiB is read (the 100k-binding export did not)", () => {
    const items = Array.from({ length: 900 }, (_, i) => ({ kind: "ServiceAccount", metadata: { name: `sa-${i}`, namespace: "a", annotations: { note: "x".repeat(40_000) } } }));
    const text = JSON.stringify({ apiVersion: "v1", items, kind: "List" });
    expect(text.length).toBeGreaterThan(MAX_EXPANDED_BYTES);
    const documents = readYamlDocuments({ path: "export.json", text });
    expect((documents[0]!.value as { items: unknown[] }).items).toHaveLength(900);
  });
});

describe("the 16 MiB limit still holds for files that hold flags", () => {
  it("refuses a large manifest, from a file or standard input, and says why", () => {
    const manifest = readFileSync(SAMPLE, "utf8").replace("metadata:", `metadata:\n  annotations:\n    pad: "${"x".repeat(MAX_INPUT_BYTES)}"`);
    const big = join(dir, "kube-apiserver.yaml");
    writeFileSync(big, manifest);
    for (const [path, input] of [[big, undefined], ["-", manifest]] as const) {
      const run = runKubecis(["test", path, SAMPLE], input);
      expect(run.status).toBe(ExitCode.Input);
      expect(run.stderr).toContain(`${path}: file is `);
      expect(run.stderr).toContain(`the limit is ${MAX_INPUT_BYTES} (16 MiB) for files that hold API-server flags or configuration`);
      expect(run.stderr).toContain("this file does not begin like one");
      expect(run.stdout).toContain("kube-apiserver"); // the sample is still judged
    }
  });
});

describe("looksLikeRbacExport: decided from the head of a file", () => {
  const cases: [string, string, boolean][] = [
    ["kubectl -o json List", JSON.stringify({ apiVersion: "v1", items: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" }] }, null, 4), true],
    ["minified JSON List", JSON.stringify({ apiVersion: "v1", items: [{ kind: "ClusterRole" }] }), true],
    ["kubectl -o yaml List", "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n", true],
    ["List of Pods (exported beside the RBAC objects)", "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n", true],
    ["YAML stream of RBAC objects", "# exported\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n", true],
    ["a Pod manifest", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n", false],
    ["a List of Deployments", "apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n", false],
    ["a kubeadm configuration", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n", false],
    ["ps text", "root 1 0 0 kube-apiserver --kind=Role\n", false],
  ];
  for (const [name, head, expected] of cases) {
    it(`${name}: ${expected}`, () => expect(looksLikeRbacExport(head)).toBe(expected));
  }
});

describe("an inventory that lost an input file", () => {
  const WHOLE = ["aggregation_rules_audited", "default_service_accounts_unused", "no_dangling_bindings", "no_duplicated_permissions", "no_unused_roles", "service_account_tokens_mounted_where_needed"];
  const controls = readCatalog(catalogPath).controls.filter((c) => c.component === "rbac");
  const whole = new Set(controls.filter((c) => WHOLE.some((name) => c.package.endsWith(`.${name}`))).map((c) => c.id));
  const rejectedCases: [string, string, string | Buffer | undefined][] = [
    ["YAML that does not parse", "broken.yaml", "apiVersion: v1\nitems: [\n"],
    ["an invalid RBAC object", "invalid.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x}\nrules: [{apiGroups: '*', resources: '*', verbs: '*'}]\n"],
    ["a binary file", "binary.json", Buffer.from([0x7b, 0x00, 0x01, 0x7d])],
    ["a path that does not exist", "missing.json", undefined],
  ];

  it("names the six inventory-wide controls", () => expect(whole.size).toBe(WHOLE.length));

  for (const [name, file, content] of rejectedCases) {
    it(`${name}: inventory-wide controls are error naming the file; no other control passes`, () => {
      const path = join(dir, file);
      if (content !== undefined) writeFileSync(path, content);
      const { documents, errors } = normalizeInputs([BOOTSTRAP_RBAC, path]);
      expect(errors.map((e) => e.file)).toEqual([path]);
      const snapshot = documents.find((d): d is RbacSnapshot => d.kind === "RbacSnapshot");
      expect(snapshot?.inventory).toEqual({ complete: false, rejected: [path] });

      const run = runKubecis(["test", "-o", "report", "--profile", "seed-2020", BOOTSTRAP_RBAC, path]);
      expect(run.status).toBe(ExitCode.Input);
      const results = rbacTarget(run.stdout)!.results as { id: string; status: string; reason?: string }[];
      for (const r of results.filter((r) => whole.has(r.id))) {
        expect(r).toMatchObject({ status: "error", reason: expect.stringContaining(`inventory incomplete: ${path} was rejected`) });
      }
      expect(results.filter((r) => whole.has(r.id))).toHaveLength(whole.size);
      // The other controls still report what they found, but none passes: the rejected file
      // could hold the grant that breaks the pass.
      const perGrant = results.filter((r) => !whole.has(r.id));
      expect(perGrant.length).toBeGreaterThan(10);
      expect(perGrant.filter((r) => r.status === "pass")).toEqual([]);
      const unjudged = perGrant.filter((r) => r.status === "error");
      expect(unjudged.length).toBeGreaterThan(10);
      for (const r of unjudged) expect(r.reason).toContain(`inventory incomplete: ${path} was rejected`);
    });
  }

  it("a complete inventory is judged, and a file that held nothing kubecis reads takes nothing from it", () => {
    const other = join(dir, "notes.txt");
    writeFileSync(other, "nothing to see\n");
    const { documents, errors } = normalizeInputs([BOOTSTRAP_RBAC, other]);
    expect(errors.map((e) => e.file)).toEqual([other]);
    const snapshot = documents.find((d): d is RbacSnapshot => d.kind === "RbacSnapshot");
    expect(snapshot?.inventory).toEqual({ complete: true, rejected: [] });
  });
});
