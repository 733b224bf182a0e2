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
}

export type FlagTable = ReadonlyMap<string, FlagSpec>;

let cached: FlagTable | undefined;

export function loadFlagTable(): FlagTable {
  if (cached) return cached;
  const table = new Map<string, FlagSpec>();
  for (const [name, spec] of Object.entries(loadHostData().flags as Record<string, FlagSpec>)) {
    table.set(name, spec);
  }
  cached = table;
  return table;
}
