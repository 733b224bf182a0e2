// Kube-apiserver's flag table (source: policies/kubecis/flags/data.yaml): the one place that
// says how each flag parses. The policies read it as data.kubecis.flags; the host reads the
// same data through loadHostData (build/out/host-data.json).
import type { Diagnostic, EffectiveFlag, Origin } from "../types.js";
import { loadHostData } from "./host-data.js";

export type FlagType =
  | "bool"
  | "string"
  | "int"
  | "float"
  | "duration"
  | "ip"
  | "port"
  | "stringSlice"
  | "stringArray"
  | "mapStringBool"
  | "mapStringString";

/** What kube-apiserver accepts in a list flag (data.yaml `items`). */
export interface ItemRules {
  oneOf?: string[];
  unique?: boolean;
  required?: boolean;
}

export interface FlagSpec {
  type: FlagType;
  default?: unknown;
  removed?: string;
  items?: ItemRules;
  /** The first Kubernetes minor ("1.10") whose kube-apiserver has the flag, where recorded. */
  added?: string;
  /** Another name of the flag named here (data.yaml `alias`): kube-apiserver registers both on
   * one variable. Such an entry takes its type and items from that flag; `added` and `removed`
   * stay its own. */
  alias?: string;
  /** Flags kube-apiserver refuses together with this one (data.yaml `excludes`). */
  excludes?: string[];
  /** List flags that must not name an item this one names (data.yaml `disjoint`). */
  disjoint?: string[];
}

export type FlagTable = ReadonlyMap<string, FlagSpec>;

/** The flag a name stands for: the canonical flag of an alias, else the name itself. */
export function canonicalFlag(table: FlagTable, name: string): string {
  return table.get(name)?.alias ?? name;
}

let cached: FlagTable | undefined;

export function loadFlagTable(): FlagTable {
  if (cached) return cached;
  const table = new Map<string, FlagSpec>();
  const flags = loadHostData().flags as Record<string, FlagSpec>;
  for (const [name, spec] of Object.entries(flags)) {
    const canonical = spec.alias === undefined ? undefined : flags[spec.alias];
    if (spec.alias !== undefined && (!canonical || canonical.alias !== undefined)) {
      throw new Error(`flag table: --${name} is an alias of --${spec.alias}, which is not a flag of its own`);
    }
    table.set(name, canonical ? { ...spec, type: canonical.type, ...(canonical.items ? { items: canonical.items } : {}) } : spec);
  }
  cached = table;
  return table;
}

/** A flag is given when it is set, except a string flag set empty (kube-apiserver reads that
 * as not set). */
function given(table: FlagTable, name: string, flag: EffectiveFlag | undefined): boolean {
  return flag !== undefined && !(table.get(name)?.type === "string" && flag.value === "");
}

/** The flag pairs kube-apiserver refuses to start with (data.yaml `excludes`, `disjoint`): each
 * flag of a refused pair is marked refused (`error`, so the controls reading it are `error`),
 * unless it already is, and each pair is one `conflicting-flags` diagnostic naming both places.
 * The Rego Pod adapter (kubecis.lib.pod) applies the same rules. */
export function checkCombinations(flags: Record<string, EffectiveFlag>, table: FlagTable, diagnostics: Diagnostic[]): void {
  const reasons = new Map<string, string[]>();
  const refuse = (a: string, b: string, why: string) => {
    for (const [x, y] of [[a, b], [b, a]] as const) reasons.set(x, [...(reasons.get(x) ?? []), `kube-apiserver refuses it together with --${y}${why}`]);
    diagnostics.push({
      code: "conflicting-flags",
      message: `--${a} (${place(flags[a]!.origin)}) and --${b} (${place(flags[b]!.origin)})${why}: kube-apiserver refuses to start`,
      flag: a,
      origin: flags[a]!.origin,
    });
  };
  for (const name of Object.keys(flags).sort()) {
    const spec = table.get(name);
    if (!spec || !given(table, name, flags[name])) continue;
    for (const other of spec.excludes ?? []) {
      if (given(table, other, flags[other])) refuse(name, other, " (mutually exclusive)");
    }
    for (const other of spec.disjoint ?? []) {
      const mine = flags[name]!.value;
      const theirs = flags[other]?.value;
      if (!Array.isArray(mine) || !Array.isArray(theirs)) continue;
      const both = [...new Set(mine.filter((item) => theirs.includes(item)))].sort();
      if (both.length > 0) refuse(name, other, ` naming the same ${both.join(", ")}`);
    }
  }
  for (const [name, why] of reasons) {
    const flag = flags[name]!;
    if (flag.error) continue;
    const raw = Array.isArray(flag.value) ? flag.value.join(",") : typeof flag.value === "string" ? flag.value : JSON.stringify(flag.value);
    const { value: _value, ...rest } = flag;
    flags[name] = { ...rest, raw, error: [...why].sort().join("; ") };
  }
}

function place(origin: Origin): string {
  return origin.line !== undefined ? `${origin.file ?? "-"}:${origin.line}` : origin.argIndex !== undefined ? `argument ${origin.argIndex}` : (origin.source ?? "-");
}
