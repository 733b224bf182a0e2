// Kube-apiserver's flag table (source: policies/kubecis/flags/data.yaml): the one place that
// says how each flag parses. The policies read it as data.kubecis.flags; the host reads the
// same data through loadHostData (build/out/host-data.json).
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
