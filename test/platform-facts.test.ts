// The platform facts (which RBAC objects Kubernetes and managed platforms own, which
// ClusterRoles the API server creates) have one home: policies/kubecis/rbac/data.yaml. The
// host judges provenance and assumed roles with those very lists (through host-data.json),
// every shipped bundle carries them, and no TypeScript source keeps a copy.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { normalizeInputs } from "../src/index.js";
import { hostStrings } from "../src/normalizers/host-data.js";
import { PolicyError } from "../src/errors.js";
import { hostDataPath, packageRoot } from "../src/paths.js";
import type { RbacSnapshot } from "../src/types.js";

const FACTS = ["bootstrap_label", "vendor_labels", "vendor_name_prefixes", "bootstrap_cluster_roles"] as const;
const source = parse(readFileSync(join(packageRoot, "policies", "kubecis", "rbac", "data.yaml"), "utf8")) as Record<string, unknown>;
const facts = {
  label: source["bootstrap_label"] as { key: string; value: string },
  vendorLabels: source["vendor_labels"] as string[],
  vendorPrefixes: source["vendor_name_prefixes"] as string[],
  bootstrapRoles: source["bootstrap_cluster_roles"] as string[],
};

function* tsSources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsSources(path);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) yield path;
  }
}

/** The RbacSnapshot of a run over one file holding `items` (a kubectl-style List). */
function snapshotOf(items: unknown[]): RbacSnapshot {
  const dir = mkdtempSync(join(tmpdir(), "kubecis-facts-"));
  const path = join(dir, "rbac.json");
  writeFileSync(path, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  const document = normalizeInputs([path]).documents.find((d) => d.kind === "RbacSnapshot");
  expect(document).toBeDefined();
  return document as RbacSnapshot;
}

const clusterRole = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  metadata: { name, labels },
  rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
});
const bindingTo = (role: string, i: number) => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: `binding-${i}` },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
  subjects: [{ kind: "User", name: `user-${i}` }],
});

describe("platform facts in the policy data", () => {
  it("are declared in policies/kubecis/rbac/data.yaml, and nowhere in src/", () => {
    expect(facts.label.key).toBe("kubernetes.io/bootstrapping");
    for (const list of [facts.vendorLabels, facts.vendorPrefixes, facts.bootstrapRoles]) {
      expect(list.length).toBeGreaterThan(2);
      for (const entry of list) expect(typeof entry).toBe("string");
    }
    // Quoted as a TypeScript string literal, any entry of these lists is a second copy.
    const literals = [facts.label.key, facts.label.value, ...facts.vendorLabels, ...facts.vendorPrefixes, ...facts.bootstrapRoles].map((s) => JSON.stringify(s));
    const copies = [...tsSources(join(packageRoot, "src"))].flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return literals.filter((literal) => text.includes(literal)).map((literal) => `${relative(packageRoot, file)}: ${literal}`);
    });
    expect(copies).toEqual([]);
  });

  it("ship in the WASM bundle, the Rego bundle (opa, conftest) and host-data.json as written", () => {
    const data = (tarball: string) => JSON.parse(execFileSync("tar", ["-xzOf", join(packageRoot, "build", "out", tarball), "/data.json"], { encoding: "utf8" }));
    const shipped = [data("bundle.wasm.tar.gz"), data("bundle.rego.tar.gz"), JSON.parse(readFileSync(hostDataPath, "utf8"))];
    for (const root of shipped) {
      const rbac = (root.kubecis ?? root).rbac;
      for (const fact of FACTS) expect(rbac[fact], fact).toEqual(source[fact]);
    }
  });

  it("decide provenance: the bootstrap label, every vendor label and every vendor name prefix", () => {
    const items = [
      clusterRole("plain"),
      clusterRole("defaults", { [facts.label.key]: facts.label.value }),
      clusterRole("wrong-value", { [facts.label.key]: `${facts.label.value}-not` }),
      ...facts.vendorLabels.map((label, i) => clusterRole(`labelled-${i}`, { [label]: "x" })),
      ...facts.vendorPrefixes.map((prefix) => clusterRole(`${prefix}role`)),
    ];
    const { roles } = snapshotOf(items);
    expect(roles["ClusterRole:plain"]?.provenance).toBe("user");
    expect(roles["ClusterRole:wrong-value"]?.provenance).toBe("user");
    expect(roles["ClusterRole:defaults"]?.provenance).toBe("bootstrap");
    facts.vendorLabels.forEach((_, i) => expect(roles[`ClusterRole:labelled-${i}`]?.provenance).toBe("vendor"));
    for (const prefix of facts.vendorPrefixes) expect(roles[`ClusterRole:${prefix}role`]?.provenance, prefix).toBe("vendor");
  });

  it("decide the assumed roles: every bootstrap ClusterRole, and no other name", () => {
    const names = [...facts.bootstrapRoles, "not-a-bootstrap-role"];
    const snapshot = snapshotOf(names.map(bindingTo));
    expect(snapshot.assumedRoles).toEqual(facts.bootstrapRoles.map((n) => `ClusterRole:${n}`).sort());
    expect(snapshot.missingRoles).toContain("ClusterRole:not-a-bootstrap-role");
  });

  it("fail closed when host-data.json holds a malformed list", () => {
    const data = { rbac: { vendor_labels: ["a", "b"], broken: ["a", 1], notList: "a" } };
    expect(hostStrings(data, "rbac", "vendor_labels")).toEqual(["a", "b"]);
    for (const name of ["broken", "notList", "absent"]) {
      expect(() => hostStrings(data, "rbac", name)).toThrow(PolicyError);
      expect(() => hostStrings(data, "rbac", name)).toThrow(`rbac.${name}`);
    }
  });
});
