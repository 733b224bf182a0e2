// The risk order of findings (the RBAC checks' evidence.findings): the one rule by which the
// engine keeps the riskiest findings under a control's cap and the reporters list them.
// Riskier first by, in turn:
//   1. breadth: cluster-wide (a ClusterRoleBinding, a ClusterRole) before one namespace;
//   2. subject: everyone (system:unauthenticated, system:anonymous), then every authenticated
//      identity, every ServiceAccount, every ServiceAccount of a namespace, then any other
//      Group, a ServiceAccount, a User, and last findings that name no subject;
//   3. power (a finding's `power`, what its role grants, policies/kubecis/lib/rbac): the most
//      powerful class it holds by POWER_ORDER, then the number of classes it holds;
// and ties by the finding's canonical JSON (object keys sorted), so the order is the same on
// every run and runtime. Documented in docs/rbac.md, "How findings are ranked".

import { isClusterWideBinding } from "./types.js";

/** Power classes, most powerful first: "wildcard" is every verb on every resource. */
export const POWER_ORDER = [
  "wildcard",
  "rbac-escalation",
  "impersonate",
  "nodes-proxy",
  "serviceaccount-token",
  "webhook-configs",
  "csr-approval",
  "rbac-write",
  "configmaps-write",
  "secrets-read",
  "secrets-write",
  "pods-create",
  "workloads-write",
  "pods-exec",
  "pods-modify",
  "pods-ephemeral",
  "pods-proxy",
  "pv-create",
  "nodes-cordon",
  "pods-remove",
  "services-status-write",
  "nodes-status-write",
  "pods-status-write",
  "workloads-delete",
  "events-delete",
] as const;

/** Subjects that stand for many identities, most first (all others: SUBJECT_KIND_RANK). */
const BROAD_SUBJECT_RANK: Record<string, number> = {
  "Group:system:unauthenticated": 0,
  "User:system:anonymous": 0,
  "Group:system:authenticated": 1,
  "Group:system:serviceaccounts": 2,
};
const NAMESPACE_SERVICEACCOUNTS = "Group:system:serviceaccounts:";
const SUBJECT_KIND_RANK: Record<string, number> = { Group: 4, ServiceAccount: 5, User: 6 };
const NO_SUBJECT = 7;

type Finding = Record<string, unknown>;

/**
 * Whether a finding applies cluster-wide: by its binding (a ClusterRoleBinding) when it names
 * one, since a RoleBinding's findings write its namespace and a namespace may be named
 * "cluster", the value written for cluster-wide grants; else by that value; else by its role.
 */
export function isClusterWide(f: unknown): boolean {
  if (f === null || typeof f !== "object") return false;
  const finding = f as Finding;
  if (typeof finding["binding"] === "string") return isClusterWideBinding(finding["binding"]);
  if (typeof finding["namespace"] === "string") return finding["namespace"] === "cluster";
  if (typeof finding["role"] === "string") return finding["role"].startsWith("ClusterRole:");
  return false;
}

function breadthRank(f: Finding): number {
  return isClusterWide(f) ? 0 : 1;
}

function subjectRank(f: Finding): number {
  const subject = f["subject"];
  if (typeof subject !== "string") return NO_SUBJECT;
  const broad = BROAD_SUBJECT_RANK[subject];
  if (broad !== undefined) return broad;
  if (subject.startsWith(NAMESPACE_SERVICEACCOUNTS)) return 3;
  const colon = subject.indexOf(":");
  return colon < 0 ? NO_SUBJECT : (SUBJECT_KIND_RANK[subject.slice(0, colon)] ?? NO_SUBJECT);
}

const POWER_INDEX = new Map<string, number>(POWER_ORDER.map((name, i) => [name, i]));
/** A power name the order does not know ranks after the known ones; no power after that. */
const UNKNOWN_POWER = POWER_ORDER.length;
const NO_POWER = POWER_ORDER.length + 1;

function powerOf(f: Finding): string[] {
  const power = f["power"];
  return Array.isArray(power) ? power.filter((p): p is string => typeof p === "string") : [];
}

/**
 * A finding's place in the risk order as one number (smaller is riskier): breadth, subject,
 * most powerful class, then more classes first. Equal numbers tie (broken by canonical JSON).
 */
export function riskKey(f: unknown): number {
  if (f === null || typeof f !== "object" || Array.isArray(f)) return Number.MAX_SAFE_INTEGER;
  const finding = f as Finding;
  const power = powerOf(finding);
  let best = NO_POWER;
  for (const name of power) best = Math.min(best, POWER_INDEX.get(name) ?? UNKNOWN_POWER);
  return ((breadthRank(finding) * 8 + subjectRank(finding)) * 32 + best) * 64 + (63 - Math.min(power.length, 63));
}

/** A finding's power names in POWER_ORDER (unknown names after, alphabetically): the "why" to show. */
export function orderedPower(f: unknown): string[] {
  if (f === null || typeof f !== "object" || Array.isArray(f)) return [];
  const rank = (name: string) => POWER_INDEX.get(name) ?? UNKNOWN_POWER;
  return [...powerOf(f as Finding)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

interface Entry {
  key: number;
  finding: unknown;
  text?: string;
}

/**
 * The first `keep` findings in risk order (all of them, ordered, for keep >= their number).
 * Keeping a few of many (at 100k RBAC bindings ~50k findings are cut to 25 per control) selects
 * them without sorting the rest, and computes a finding's canonical JSON only when its risk
 * ties with the last kept one.
 */
export function rankFindings(findings: readonly unknown[], keep: number): unknown[] {
  if (keep <= 0) return [];
  const order: KeyOrder = { shapes: [] };
  const textOf = (entry: Entry): string => (entry.text ??= canonicalJson(entry.finding, order));
  const compare = (a: Entry, b: Entry): number => {
    if (a.key !== b.key) return a.key - b.key;
    const ta = textOf(a);
    const tb = textOf(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  };
  if (keep > 64 || keep * 8 >= findings.length) {
    // Many are kept (--all, a raised rbac-max-findings): sort them all.
    const entries: Entry[] = findings.map((finding) => ({ key: riskKey(finding), finding }));
    entries.sort(compare);
    return entries.slice(0, keep).map((e) => e.finding);
  }
  const top: Entry[] = [];
  for (const finding of findings) {
    const entry: Entry = { key: riskKey(finding), finding };
    if (top.length === keep) {
      const last = top[keep - 1] as Entry;
      if (entry.key > last.key) continue;
      if (entry.key === last.key) {
        // A start of its JSON that sorts after the last kept one's rules it out early.
        const text = canonicalJson(finding, order, textOf(last));
        if (text === undefined) continue;
        entry.text = text;
      }
    }
    let at = top.length;
    while (at > 0 && compare(top[at - 1] as Entry, entry) > 0) at--;
    top.splice(at, 0, entry);
    if (top.length > keep) top.pop();
  }
  return top.map((e) => e.finding);
}

/**
 * The object shapes met so far (a verdict's findings come in one or a few): each shape's keys
 * as policy.wasm returned them, sorted, and the text that opens each sorted key.
 */
interface KeyOrder {
  shapes: { keys: string[]; sorted: string[]; openers: string[] }[];
}

/** At most this many shapes are remembered (findings of one verdict have two or three). */
const SHAPES = 8;

function shapeOf(keys: string[], order: KeyOrder): { sorted: string[]; openers: string[] } {
  for (const shape of order.shapes) {
    if (shape.keys.length !== keys.length) continue;
    let same = true;
    for (let i = 0; i < keys.length && same; i++) same = shape.keys[i] === keys[i];
    if (same) return shape;
  }
  const sorted = [...keys].sort();
  const shape = { keys, sorted, openers: sorted.map((key, i) => (i > 0 ? "," : "{") + JSON.stringify(key) + ":") };
  if (order.shapes.length >= SHAPES) order.shapes.pop();
  order.shapes.unshift(shape);
  return shape;
}

/**
 * JSON with object keys sorted: the same text whichever runtime built the value (policy.wasm
 * returns object keys in hash order). Given a `bound`, the text only when it sorts before
 * it, else undefined: an object's text is given up as soon as its start sorts after the bound
 * (most findings differ from the kept ones in their first key).
 */
function canonicalJson(value: unknown, order: KeyOrder): string;
function canonicalJson(value: unknown, order: KeyOrder, bound: string | undefined): string | undefined;
function canonicalJson(value: unknown, order: KeyOrder, bound?: string): string | undefined {
  let text: string;
  if (value === null || typeof value !== "object") {
    text = JSON.stringify(value);
  } else if (Array.isArray(value)) {
    text = "[";
    for (let i = 0; i < value.length; i++) text += (i > 0 ? "," : "") + canonicalJson(value[i], order);
    text += "]";
  } else {
    const object = value as Record<string, unknown>;
    const { sorted, openers } = shapeOf(Object.keys(object), order);
    text = sorted.length === 0 ? "{" : "";
    for (let i = 0; i < sorted.length; i++) {
      text += (openers[i] as string) + canonicalJson(object[sorted[i] as string], order);
      // A start that sorts after the bound has every continuation sort after it.
      if (bound !== undefined && text > bound) return undefined;
    }
    text += "}";
  }
  return bound === undefined || text < bound ? text : undefined;
}
