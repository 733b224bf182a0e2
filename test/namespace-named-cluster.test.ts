// A namespace may be named "cluster" (any DNS label may). RBAC findings write a cluster-wide
// grant's place as "cluster" too, so where a grant applies must be judged from its binding
// (a ClusterRoleBinding applies everywhere, a RoleBinding in its namespace only), never from
// that value. The class: every RBAC fixture, with one of its namespaces renamed "cluster",
// must be judged exactly as before, its findings renamed the same way; and a RoleBinding in
// namespace "cluster" is described, ranked and narrowed as the namespaced grant it is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { readBundle } from "../src/engine/bundle.js";
import { loadEngine } from "../src/engine/opa-wasm.js";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { packageRoot, wasmBundlePath } from "../src/paths.js";
import { rankFindings } from "../src/rank.js";
import type { Verdict } from "../src/types.js";
import { listFixtures } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-ns-cluster-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const engine = loadEngine(readBundle(wasmBundlePath), loadKubecis({ profile: "seed-2020" }).engineOverrides);

/** Every RBAC verdict of the snapshot the files give (undefined: no snapshot, an input error). */
function judge(path: string): Verdict[] | undefined {
  const snapshot = normalizeInputs([path]).documents.find((d) => d.kind === "RbacSnapshot");
  return snapshot ? engine.evaluate(snapshot).results : undefined;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === "object" && !Array.isArray(v);

/** The namespaces an object names (its own, its subjects'). */
function namespacesOf(object: Node, into: Set<string>): void {
  const meta = object["metadata"];
  if (isNode(meta) && typeof meta["namespace"] === "string") into.add(meta["namespace"]);
  for (const subject of Array.isArray(object["subjects"]) ? object["subjects"] : []) {
    if (isNode(subject) && typeof subject["namespace"] === "string") into.add(subject["namespace"]);
  }
}

/** The objects of a kubectl List or stream, each renamed in place from namespace `from` to "cluster". */
function renamed(values: unknown[], from: string): unknown[] {
  const rename = (object: Node): void => {
    const meta = object["metadata"];
    if (isNode(meta) && meta["namespace"] === from) meta["namespace"] = "cluster";
    for (const subject of Array.isArray(object["subjects"]) ? object["subjects"] : []) {
      if (isNode(subject) && subject["namespace"] === from) subject["namespace"] = "cluster";
      // A ServiceAccount named by its user name: system:serviceaccount:<namespace>:<name>.
      if (isNode(subject) && subject["kind"] === "User" && typeof subject["name"] === "string" && subject["name"].startsWith(`system:serviceaccount:${from}:`)) {
        subject["name"] = subject["name"].replace(`system:serviceaccount:${from}:`, "system:serviceaccount:cluster:");
      }
    }
  };
  for (const value of values) {
    if (!isNode(value)) continue;
    if (Array.isArray(value["items"])) {
      for (const item of value["items"]) if (isNode(item)) rename(item);
    } else {
      rename(value);
    }
  }
  return values;
}

/** A verdict as comparable text: its findings sorted (ties may order otherwise once renamed). */
function comparable(verdict: Verdict, rename: (text: string) => string): string {
  const evidence = verdict.evidence as Node;
  const findings = Array.isArray(evidence["findings"]) ? (evidence["findings"] as unknown[]).map((f) => rename(JSON.stringify(f))).sort() : undefined;
  const total = typeof evidence["total"] === "number" ? evidence["total"] : undefined;
  return JSON.stringify({ id: verdict.id, status: verdict.status, total, findings, reason: rename(verdict.reason) });
}

const cases = listFixtures()
  .filter((f) => f.component === "rbac")
  .flatMap((f) => {
    let documents;
    try {
      documents = parseAllDocuments(readFileSync(f.path, "utf8")).map((d) => d.toJS() as unknown);
    } catch {
      return [];
    }
    const names = new Set<string>();
    for (const value of documents) {
      if (!isNode(value)) continue;
      for (const item of Array.isArray(value["items"]) ? value["items"] : [value]) if (isNode(item)) namespacesOf(item, names);
    }
    // A namespace of the fixture's own (kube-system and the like carry meaning of their own).
    const from = [...names].find((n) => !n.startsWith("kube-") && n !== "default" && n !== "cluster");
    return from ? [{ name: relative(join(packageRoot, "test", "fixtures"), f.path), path: f.path, from, documents }] : [];
  });

describe("a namespace named cluster is judged as any other namespace", () => {
  it("covers most RBAC fixtures", () => {
    expect(cases.length).toBeGreaterThan(50);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const before = judge(c.path);
    if (before === undefined) return; // an input error, judged in fixtures.test.ts
    const path = join(scratch, `${c.name.replaceAll("/", "_")}.json`);
    writeFileSync(path, JSON.stringify({ apiVersion: "v1", kind: "List", items: renamed(c.documents, c.from).flatMap((v) => (isNode(v) && Array.isArray(v["items"]) ? v["items"] : [v])) }));
    const after = judge(path)!;
    // The renamed namespace as findings and reasons write it: before a "/" in a key
    // (ServiceAccount:ns/name, RoleBinding:ns/name, a Pod's ns/name), a value, a phrase.
    const escaped = c.from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const rename = (text: string) =>
      text
        .replace(new RegExp(`(?<=[":( ])${escaped}(?=/)`, "g"), "cluster")
        .replace(new RegExp(`"${escaped}"`, "g"), '"cluster"')
        .replace(new RegExp(`in namespace ${escaped}\\b`, "g"), "in namespace cluster");
    expect(after.map((v) => comparable(v, (t) => t))).toEqual(before.map((v) => comparable(v, rename)));
  });
});

describe("a RoleBinding in namespace cluster", () => {
  const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "secret-reader" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] };
  const binding = (name: string, namespace: string | undefined, subject: [string, string]) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: namespace ? "RoleBinding" : "ClusterRoleBinding",
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "secret-reader" },
    subjects: [{ kind: subject[0], apiGroup: "rbac.authorization.k8s.io", name: subject[1] }],
  });
  const write = (name: string, items: unknown[]): string => {
    const path = join(scratch, name);
    writeFileSync(path, JSON.stringify({ apiVersion: "v1", kind: "List", items: [role, ...items] }));
    return path;
  };
  const findingsOf = (verdicts: Verdict[], id: string) => (verdicts.find((v) => v.id === id)!.evidence as { findings: Node[] }).findings;

  it("is described as in namespace cluster, not cluster-wide", () => {
    const krb6 = judge(write("one.json", [binding("reader", "cluster", ["User", "u"])]))!.find((v) => v.id === "KRB-0006")!;
    expect(krb6.reason).toContain("User:u via RoleBinding:cluster/reader (ClusterRole:secret-reader) in namespace cluster");
  });

  it("ranks after a cluster-wide grant, however few findings are kept", () => {
    const path = write("ranked.json", [binding("readers", "cluster", ["Group", "team"]), binding("reader", undefined, ["User", "u"])]);
    expect(findingsOf(judge(path)!, "KRB-0006").map((f) => f["binding"])).toEqual(["ClusterRoleBinding:reader", "RoleBinding:cluster/readers"]);
    const capped = loadEngine(readBundle(wasmBundlePath), { kubecis: { options: { params: { "rbac-max-findings": 1 } } } });
    const snapshot = normalizeInputs([path]).documents.find((d) => d.kind === "RbacSnapshot")!;
    expect(findingsOf(capped.evaluate(snapshot).results, "KRB-0006").map((f) => f["binding"])).toEqual(["ClusterRoleBinding:reader"]);
    expect(rankFindings(findingsOf(judge(path)!, "KRB-0006").reverse(), 1).map((f) => (f as Node)["binding"])).toEqual(["ClusterRoleBinding:reader"]);
  });

  it("is covered by the same role bound cluster-wide: the RoleBinding is the one to remove", () => {
    const path = write("covered.json", [binding("reader", "cluster", ["User", "u"]), binding("reader", undefined, ["User", "u"])]);
    expect(findingsOf(judge(path)!, "KRB-0003")).toEqual([
      expect.objectContaining({ kind: "covered", subject: "User:u", binding: "RoleBinding:cluster/reader", coveredBy: "ClusterRoleBinding:reader" }),
    ]);
  });
});
