// Aggregation of ClusterRoles, resolved as the clusterrole-aggregation controller does, over
// the roles of a snapshot being built.
import type { Provenance, RbacSelector } from "../types.js";
import type { RbacObject } from "./rbac-objects.js";
import { isObject, strings, uniqueInOrder } from "./rbac-rules.js";

/** A role while the snapshot is built: its effective rules are indexes into the rule table. */
export interface RoleEntry {
  provenance: Provenance;
  rules: number[];
  /** ClusterRoles only: every label (for aggregation selectors) and the aggregationRule's selectors. */
  labels?: Record<string, string>;
  selectors?: RbacSelector[];
  aggregationLabels?: Record<string, string>;
  aggregation?: { selectors: RbacSelector[]; selects: string[]; declaredRules: number };
  aggregatedInto?: string[];
  /** The object it was read from (to compare another copy of it with). */
  source?: RbacObject;
}

export function normalizeSelectors(raw: unknown): RbacSelector[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((s) => {
    const selector: RbacSelector = {};
    if (!isObject(s)) return selector;
    if (isObject(s["matchLabels"])) {
      selector.matchLabels = Object.fromEntries(Object.entries(s["matchLabels"] as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    if (Array.isArray(s["matchExpressions"])) {
      selector.matchExpressions = (s["matchExpressions"] as unknown[]).filter(isObject).map((e) => ({
        key: String(e["key"]),
        operator: String(e["operator"]),
        ...(Array.isArray(e["values"]) ? { values: strings(e["values"]) } : {}),
      }));
    }
    return selector;
  });
}

/** metav1.LabelSelector semantics; an empty selector matches everything (LabelSelectorAsSelector). */
export function selectorMatches(selector: RbacSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key] as string)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key] as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false; // the API server rejects other operators; match nothing
    }
  }
  return true;
}

/**
 * The clusterrole-aggregation controller, to a fixed point: each aggregated ClusterRole's
 * rules become the de-duplicated rules of every other ClusterRole that any of its selectors
 * matches (OR), taken in name order. The controller replaces the role's own rules, but those
 * the export holds are what it last wrote: when the roles it selected are not in the export
 * (a partial export), they are the only evidence of what the role grants, so they are kept,
 * first, and the resolved rules added. Chains (view → edit → admin) and cycles converge
 * because every pass only adds rules. Returns the keys of the aggregated ClusterRoles (sorted).
 */
export function resolveAggregation(roles: Map<string, RoleEntry>): string[] {
  const order = [...roles].filter(([, role]) => role.selectors).map(([key]) => key).sort();
  if (order.length === 0) return order;
  const clusterRoles = [...roles.keys()].filter((key) => key.startsWith("ClusterRole:")).sort();
  // ClusterRoles by label key: a selector with matchLabels can only match roles carrying its
  // first key, so each selector examines those instead of every ClusterRole (O(A×C) before).
  const byLabel = new Map<string, string[]>();
  for (const key of clusterRoles) {
    for (const label of Object.keys(roles.get(key)?.labels ?? {})) {
      let list = byLabel.get(label);
      if (!list) byLabel.set(label, (list = []));
      list.push(key);
    }
  }
  for (const key of order) {
    const role = roles.get(key) as RoleEntry;
    const selectors = role.selectors as RbacSelector[];
    const found = new Set<string>();
    for (const selector of selectors) {
      const first = Object.keys(selector.matchLabels ?? {})[0];
      const candidates = first === undefined ? clusterRoles : (byLabel.get(first) ?? []);
      for (const other of candidates) {
        if (other !== key && !found.has(other) && selectorMatches(selector, roles.get(other)?.labels ?? {})) found.add(other);
      }
    }
    const matched = clusterRoles.length <= found.size * 8 ? clusterRoles.filter((other) => found.has(other)) : [...found].sort();
    role.aggregation = { selectors, selects: matched, declaredRules: role.rules.length };
    for (const other of matched) ((roles.get(other) as RoleEntry).aggregatedInto ??= []).push(key);
  }
  for (const key of clusterRoles) roles.get(key)?.aggregatedInto?.sort();
  const declared = new Map(order.map((key) => [key, (roles.get(key) as RoleEntry).rules]));
  for (let pass = 0; pass <= order.length + 1; pass++) {
    let changed = false;
    for (const key of order) {
      const role = roles.get(key) as RoleEntry;
      const selected = (role.aggregation as { selects: string[] }).selects.flatMap((other) => (roles.get(other) as RoleEntry).rules);
      const next = uniqueInOrder([...(declared.get(key) as number[]), ...selected]);
      if (next.length !== role.rules.length || next.some((id, i) => id !== role.rules[i])) {
        role.rules = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return order;
}

