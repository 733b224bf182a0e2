// Loads kube-apiserver's flag table (policies/kubecis/flags/data.yaml): the one place that
// says how each flag parses. The policies read the same file as data.kubecis.flags; the host
// reads the JSON copy `make build` writes (build/out/flags.json), which spares a cold YAML
// parse on every run (BENCHMARKS.md, cold start).
import { readFileSync } from "node:fs";
import { PolicyError } from "../errors.js";
import { flagTablePath } from "../paths.js";

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

export interface FlagSpec {
  type: FlagType;
  default?: unknown;
  removed?: string;
}

export type FlagTable = ReadonlyMap<string, FlagSpec>;

let cached: FlagTable | undefined;

export function loadFlagTable(): FlagTable {
  if (cached) return cached;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(flagTablePath, "utf8"));
  } catch (error) {
    throw new PolicyError(`cannot read the flag table ${flagTablePath}: ${(error as Error).message} (run \`make build\`)`);
  }
  const table = new Map<string, FlagSpec>();
  for (const [name, spec] of Object.entries(raw as Record<string, FlagSpec>)) {
    table.set(name, spec);
  }
  cached = table;
  return table;
}
