#!/usr/bin/env node
// Seeded generator of realistic large RBAC datasets, as `kubectl get clusterroles,
// clusterrolebindings,roles,rolebindings,serviceaccounts -A -o json` would print them.
//
// Shape (after DataDog/KubeHound#87): about 2.5 bindings
// per role, ~12 % of bindings cluster-wide, ~35 % of roles ClusterRoles, one namespace per
// ~20 bindings with 4-12 ServiceAccounts, one user per ~4 bindings, one group per ~50; Kubernetes' own bootstrap policy (test/datasets/rbac-bootstrap) included;
// ServiceAccounts per namespace (default + workloads); users and groups bound in several
// namespaces; up to 40 custom ClusterRoles aggregated into view/edit, wildcards, many-subject
// bindings, a few dangling bindings and unused roles. Same seed, same bytes.
//
//   node bench/rbac-generate.mjs BINDINGS OUTDIR [--seed N]
// writes OUTDIR/part-NNN.json, each a List below the 16 MiB input limit;
//   node bench/rbac-generate.mjs BINDINGS FILE.json|FILE.yaml --single [--seed N]
// writes one List, as `kubectl get … -A -o json` (or -o yaml) prints a whole cluster.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BOOTSTRAP = join(root, "test", "datasets", "rbac-bootstrap");
const PART_BYTES = 10 * 1024 * 1024;

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESOURCES = [
  ["", "pods"], ["", "services"], ["", "configmaps"], ["", "endpoints"], ["", "persistentvolumeclaims"],
  ["", "pods/log"], ["", "events"], ["apps", "deployments"], ["apps", "statefulsets"], ["apps", "replicasets"],
  ["apps", "daemonsets"], ["batch", "jobs"], ["batch", "cronjobs"], ["networking.k8s.io", "ingresses"],
  ["networking.k8s.io", "networkpolicies"], ["autoscaling", "horizontalpodautoscalers"], ["policy", "poddisruptionbudgets"],
  ["example.com", "widgets"], ["example.com", "gadgets"], ["monitoring.coreos.com", "servicemonitors"],
];
const READ = ["get", "list", "watch"];
const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"];

export function generateRbac(bindings, seed = 42) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const chance = (p) => rand() < p;
  let serial = 0;
  const meta = (name, namespace, labels) => {
    serial++;
    return {
      creationTimestamp: new Date(Date.UTC(2026, 0, 1) + serial * 60_000).toISOString().replace(".000", ""),
      ...(labels ? { labels } : {}),
      name,
      ...(namespace ? { namespace } : {}),
      resourceVersion: String(100000 + serial),
      uid: `${(serial * 2654435761 >>> 0).toString(16).padStart(8, "0")}-1d2c-4b7a-9e3f-${serial.toString(16).padStart(12, "0")}`,
    };
  };
  const rule = (write) => {
    const [group, resource] = pick(RESOURCES);
    const resources = [resource];
    if (chance(0.5)) {
      const [g2, r2] = pick(RESOURCES);
      if (g2 === group && r2 !== resource) resources.push(r2);
    }
    return { apiGroups: [group], resources, verbs: write ? WRITE : READ };
  };
  const rules = () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => rule(chance(0.4)));

  const items = [];
  for (const file of readdirSync(BOOTSTRAP).filter((f) => f.endsWith(".yaml")).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(BOOTSTRAP, file), "utf8"))) items.push(...doc.toJS().items);
  }

  const crbCount = Math.round(bindings * 0.12);
  const rbCount = bindings - crbCount;
  const roleCount = Math.round(bindings / 2.5);
  const clusterRoleCount = Math.max(10, Math.round(roleCount * 0.35));
  const nsRoleCount = roleCount - clusterRoleCount;
  const namespaces = Array.from({ length: Math.max(4, Math.round(bindings / 20)) }, (_, i) => `team-${i.toString(36)}`);
  const users = Array.from({ length: Math.max(50, Math.round(bindings / 4)) }, (_, i) => `user${i}@example.com`);
  const groups = Array.from({ length: Math.max(10, Math.round(bindings / 50)) }, (_, i) => `oidc:team-${i}`);

  // ServiceAccounts: default (mostly hardened) and workloads.
  const accounts = new Map();
  for (const ns of namespaces) {
    const names = ["default", ...Array.from({ length: 3 + Math.floor(rand() * 9) }, (_, i) => `app-${i}`)];
    accounts.set(ns, names);
    for (const name of names) {
      const sa = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name, ns) };
      if (name === "default" ? chance(0.9) : chance(0.3)) sa.automountServiceAccountToken = false;
      items.push(sa);
    }
  }

  // ClusterRoles: readers and writers, some aggregated into view/edit, a few wildcards or sensitive.
  const clusterRoles = [];
  let aggregated = 0;
  for (let i = 0; i < clusterRoleCount; i++) {
    const name = `custom-${i}`;
    let labels;
    let roleRules = rules();
    // Operators add a few roles each to view/edit; their number does not grow with the cluster.
    if (aggregated < 40 && chance(0.05)) {
      aggregated++;
      labels = { [`rbac.authorization.k8s.io/aggregate-to-${chance(0.5) ? "view" : "edit"}`]: "true" };
    }
    if (chance(0.02)) roleRules = [{ apiGroups: ["example.com"], resources: ["*"], verbs: ["*"] }];
    if (chance(0.03)) roleRules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] });
    if (chance(0.01)) roleRules.push({ apiGroups: [""], resources: ["nodes/proxy", "nodes/metrics"], verbs: ["get"] });
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta(name, undefined, labels), rules: roleRules };
    if (chance(0.01)) {
      role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`example.com/aggregate-to-${name}`]: "true" } }] };
      role.rules = null;
    }
    items.push(role);
    clusterRoles.push(name);
  }
  const bindable = [...clusterRoles, "view", "edit", "admin", "view", "edit"];

  // Roles, spread over namespaces.
  const rolesIn = new Map(namespaces.map((ns) => [ns, []]));
  for (let i = 0; i < nsRoleCount; i++) {
    const ns = pick(namespaces);
    const name = `role-${i}`;
    rolesIn.get(ns).push(name);
    items.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(name, ns), rules: rules() });
  }

  const subject = (ns) => {
    const r = rand();
    if (r < 0.45) return { kind: "ServiceAccount", name: pick(accounts.get(ns)), namespace: ns };
    if (r < 0.85) return { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: pick(users) };
    return { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: pick(groups) };
  };
  const subjects = (ns) => Array.from({ length: chance(0.03) ? 5 + Math.floor(rand() * 10) : 1 + Math.floor(rand() * 2) }, () => subject(ns));

  for (let i = 0; i < rbCount; i++) {
    const ns = pick(namespaces);
    const own = rolesIn.get(ns);
    const useRole = own.length > 0 && chance(0.6);
    let roleRef = useRole
      ? { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: pick(own) }
      : { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: pick(bindable) };
    if (chance(0.003)) roleRef = { ...roleRef, name: `${roleRef.name}-deleted` };
    items.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta(`rb-${i}`, ns), roleRef, subjects: subjects(ns) });
  }
  for (let i = 0; i < crbCount; i++) {
    const ns = pick(namespaces);
    items.push({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(`crb-${i}`),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: pick(chance(0.9) ? clusterRoles : ["view", "edit"]) },
      subjects: subjects(ns),
    });
  }
  return items;
}

/** Writes items as kubectl-style JSON Lists below the input size limit; returns the paths. */
export function writeParts(items, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = [];
  let part = [];
  let size = 0;
  const flush = () => {
    if (part.length === 0) return;
    const path = join(dir, `part-${String(paths.length).padStart(3, "0")}.json`);
    writeFileSync(path, JSON.stringify({ apiVersion: "v1", items: part, kind: "List", metadata: { resourceVersion: "" } }, null, 4) + "\n");
    paths.push(path);
    part = [];
    size = 0;
  };
  for (const item of items) {
    const bytes = JSON.stringify(item, null, 4).length + 8;
    if (size + bytes > PART_BYTES) flush();
    part.push(item);
    size += bytes;
  }
  flush();
  return paths;
}

/** Writes items as one kubectl-style List, JSON (4-space indent, as kubectl) or YAML by the
 * file's extension; returns its size in bytes. The YAML is written as kubectl writes it
 * (go-yaml v2): YAML 1.1, so that strings such as "on", "y" or a timestamp are quoted, and
 * sequences not indented under their key. */
export function writeSingle(items, path) {
  mkdirSync(dirname(path), { recursive: true });
  const list = { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
  const text = /\.ya?ml$/i.test(path)
    ? stringify(list, { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false, indentSeq: false })
    : JSON.stringify(list, null, 4) + "\n";
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [count, dir] = process.argv.slice(2);
  if (process.argv.includes("--single") && count && dir) {
    const seedAt = process.argv.indexOf("--seed");
    const bytes = writeSingle(generateRbac(Number(count), seedAt > 0 ? Number(process.argv[seedAt + 1]) : 42), dir);
    process.stdout.write(`${dir}: ${bytes} bytes\n`);
    process.exit(0);
  }
  const seedAt = process.argv.indexOf("--seed");
  const seed = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 42;
  if (!count || !dir || !Number.isInteger(Number(count))) {
    process.stderr.write("usage: node bench/rbac-generate.mjs BINDINGS OUTDIR [--seed N]\n       node bench/rbac-generate.mjs BINDINGS FILE.json|FILE.yaml --single [--seed N]\n");
    process.exit(3);
  }
  const paths = writeParts(generateRbac(Number(count), seed), dir);
  process.stdout.write(`${paths.length} file(s) in ${dir}\n`);
}
