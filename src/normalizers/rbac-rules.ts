// The rules of an RBAC snapshot: PolicyRules normalized (every list present) and stored once
// each in a RuleTable, which roles name by index; and the small value helpers the RBAC
// modules share.
import type { RbacRule } from "../types.js";

/**
 * Distinct rules, each with an index: roles name their rules by index, so a rule written in
 * many roles is stored (and judged) once. Identity is exact equality of the five lists.
 */
export class RuleTable {
  readonly rules: RbacRule[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * Rules already met, as a trie over their five lists' strings in RULE_FIELDS order (each
   * list closed by `end`), so that most rules are found by walking the strings they hold,
   * several times faster than a JSON.stringify of each and a lookup of that text.
   */
  private readonly known: RuleNode = newRuleNode();

  /** The de-duplicated indexes of raw PolicyRules, first occurrence first (as the aggregation controller de-duplicates). */
  internAll(raw: readonly unknown[]): number[] {
    return uniqueInOrder(raw.map((item) => this.intern(item)));
  }

  private intern(raw: unknown): number {
    if (!isObject(raw)) return this.identify(raw);
    let node = this.known;
    for (const field of RULE_FIELDS) {
      const list = raw[field];
      if (Array.isArray(list)) {
        for (const value of list) {
          // Anything but a string (String() writes it) is identified by the normalized rule, so
          // that the trie holds strings only and does not grow with each object or number met.
          if (typeof value !== "string") return this.identify(raw);
          const next = (node.next ??= new Map<string, RuleNode>());
          node = next.get(value) ?? setNode(next, value);
        }
      }
      node = node.end ??= newRuleNode();
    }
    return (node.id ??= this.identify(raw));
  }

  /** The index of a rule by the identity of its normalized form (a new index the first time). */
  private identify(raw: unknown): number {
    const rule = normalizeRule(raw);
    const identity = ruleId(rule);
    let id = this.ids.get(identity);
    if (id === undefined) {
      id = this.rules.length;
      this.rules.push(rule);
      this.ids.set(identity, id);
    }
    return id;
  }
}

/** The fields of a PolicyRule that make its identity, in the order the trie walks them. */
export const RULE_FIELDS = ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const;

/** A node of RuleTable's trie: the strings that follow, the end of the current list, and the rule's index at the end of the last. */
interface RuleNode {
  next: Map<string, RuleNode> | undefined;
  end: RuleNode | undefined;
  id: number | undefined;
}

function newRuleNode(): RuleNode {
  return { next: undefined, end: undefined, id: undefined };
}

function setNode(map: Map<string, RuleNode>, value: string): RuleNode {
  const node = newRuleNode();
  map.set(value, node);
  return node;
}

function normalizeRule(raw: unknown): RbacRule {
  const rule = isObject(raw) ? raw : {};
  return {
    verbs: strings(rule["verbs"]),
    apiGroups: strings(rule["apiGroups"]),
    resources: strings(rule["resources"]),
    resourceNames: strings(rule["resourceNames"]),
    nonResourceURLs: strings(rule["nonResourceURLs"]),
  };
}

/** A rule's identity: its five lists, each element JSON-quoted (as exact as JSON.stringify, cheaper). */
function ruleId(rule: RbacRule): string {
  const list = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(",");
  return `${list(rule.verbs)}|${list(rule.apiGroups)}|${list(rule.resources)}|${list(rule.resourceNames)}|${list(rule.nonResourceURLs)}`;
}

/** Rule ids without repeats, each where it first occurs (the aggregation controller's de-duplication). */
export function uniqueInOrder(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

/**
 * A key (role, binding or subject) as one flat string. A template literal or `+` makes a
 * concatenation (a V8 cons string), which JSON.stringify writes several times slower than
 * a flat one; these keys are written once per reference when a snapshot is serialized.
 */
export function joinKey(...parts: string[]): string {
  return parts.join("");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
