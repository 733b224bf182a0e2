// Nothing checked is never a pass (DESIGN decisions 2 and 9), for RBAC exports that lack part
// of the cluster: an auditor whose `kubectl get clusterroles` was forbidden, an export without
// bindings, or without the bootstrap roles, or one whose file was rejected. The property: taking
// objects away from an export never turns a control that does not pass into one that passes.
// A full export (Kubernetes' bootstrap policy plus user objects that trip every RBAC control)
// is judged, then each partial export; every control that failed or warned on the full one
// must still not pass, whatever it says instead.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_RBAC, runKubecis } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "kubecis-partial-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Item = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

const bootstrap: Item[] = ["cluster-roles.yaml", "cluster-role-bindings.yaml", "namespace-roles.yaml", "namespace-role-bindings.yaml"].flatMap(
  (file) => (parse(readFileSync(join(BOOTSTRAP_RBAC, file), "utf8")) as { items: Item[] }).items,
);

const RBAC = "rbac.authorization.k8s.io";
const group = (name: string) => ({ kind: "Group", apiGroup: RBAC, name });
const sa = (namespace: string, name: string) => ({ kind: "ServiceAccount", namespace, name });
const crb = (name: string, role: string, subjects: unknown[]) => ({ apiVersion: `${RBAC}/v1`, kind: "ClusterRoleBinding", metadata: { name }, roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role }, subjects });
const rb = (namespace: string, name: string, kind: string, role: string, subjects: unknown[]) => ({
  apiVersion: `${RBAC}/v1`,
  kind: "RoleBinding",
  metadata: { name, namespace },
  roleRef: { apiGroup: RBAC, kind, name: role },
  subjects,
});
const clusterRole = (name: string, rules: unknown[], labels?: Record<string, string>) => ({ apiVersion: `${RBAC}/v1`, kind: "ClusterRole", metadata: { name, ...(labels ? { labels } : {}) }, rules });
const everything = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];

// User objects that make every RBAC control fail or warn on the full export.
const user: Item[] = [
  clusterRole("everything", everything),
  clusterRole("unused", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }]),
  clusterRole("nodes-reader", [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]),
  clusterRole("secrets-to-view", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }], { [`${RBAC}/aggregate-to-view`]: "true" }),
  { apiVersion: `${RBAC}/v1`, kind: "Role", metadata: { name: "wild", namespace: "team-a" }, rules: [{ apiGroups: [""], resources: ["*"], verbs: ["*"] }] },
  crb("everyone-everything", "everything", [group("system:authenticated")]),
  crb("masters-too", "cluster-admin", [group("system:masters"), { kind: "User", apiGroup: RBAC, name: "alice" }]),
  crb("view-for-default", "view", [sa("team-a", "default"), sa("team-a", "app")]),
  crb("edit-for-default", "edit", [sa("team-a", "default")]),
  crb("dangling", "no-such-role", [group("team-b")]),
  rb("team-a", "nodes-in-a-namespace", "ClusterRole", "nodes-reader", [group("team-a")]),
  rb("team-a", "wild-twice-1", "Role", "wild", [group("team-c")]),
  rb("team-a", "wild-twice-2", "Role", "wild", [group("team-c")]),
  { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "team-a" } },
  { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "app", namespace: "team-a" } },
] as unknown as Item[];

const isBootstrap = (item: Item) => item.metadata.labels?.["kubernetes.io/bootstrapping"] === "rbac-defaults";
const ROLES = new Set(["Role", "ClusterRole"]);
const BINDINGS = new Set(["RoleBinding", "ClusterRoleBinding"]);

/** Partial exports: what each keeps of the full one. */
const PARTIAL: Record<string, (item: Item) => boolean> = {
  "no bindings": (item) => !BINDINGS.has(item.kind),
  "no roles": (item) => !ROLES.has(item.kind),
  "no ClusterRoles (clusterroles forbidden)": (item) => item.kind !== "ClusterRole",
  "no Roles": (item) => item.kind !== "Role",
  "no bootstrap roles": (item) => !(ROLES.has(item.kind) && isBootstrap(item)),
  "no ServiceAccounts": (item) => item.kind !== "ServiceAccount",
  "bindings only": (item) => BINDINGS.has(item.kind),
};

type Result = { id: string; status: string; reason?: string };

function judge(name: string, items: Item[], extra: string[] = []): Result[] {
  const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  const run = runKubecis(["test", "-o", "report", "--all", file, ...extra]);
  expect([0, 1, 4], run.stderr).toContain(run.status);
  const report = JSON.parse(run.stdout) as { targets: { kind: string; results: Result[] }[] };
  return report.targets.find((t) => t.kind === "RbacSnapshot")?.results ?? [];
}

const full = judge("full", [...bootstrap, ...user]);
const notPassing = full.filter((r) => r.status !== "pass" && r.status !== "not-applicable");

describe("an RBAC export that lacks part of the cluster", () => {
  it("the full export trips most RBAC controls (the property is not vacuous)", () => {
    expect(full.length).toBeGreaterThan(25);
    expect(notPassing.length).toBeGreaterThan(20);
  });

  for (const [name, keep] of Object.entries(PARTIAL)) {
    it(`${name}: no control that does not pass on the full export passes`, () => {
      const partial = new Map(judge(name, [...bootstrap, ...user].filter(keep)).map((r) => [r.id, r]));
      const turned = notPassing.filter((r) => partial.get(r.id)?.status === "pass").map((r) => `${r.id} (${r.status} on the full export)`);
      expect(turned, turned.join(", ")).toEqual([]);
    });
  }

  it("a rejected file: no control that does not pass on the full export passes", () => {
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "apiVersion: v1\nkind: List\nitems: [\n");
    const partial = new Map(judge("rejected", bootstrap, [broken]).map((r) => [r.id, r]));
    const turned = notPassing.filter((r) => partial.get(r.id)?.status === "pass").map((r) => r.id);
    expect(turned, turned.join(", ")).toEqual([]);
  });
});
