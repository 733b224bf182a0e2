// Loads kube-apiserver's flag table (policies/kubecis/flags/data.yaml): the one place that
// says how each flag parses. The policies read the same file as data.kubecis.flags.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
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
    raw = parse(readFileSync(flagTablePath, "utf8"));
  } catch (error) {
    throw new PolicyError(`cannot read the flag table ${flagTablePath}: ${(error as Error).message}`);
  }
  const table = new Map<string, FlagSpec>();
  for (const [name, spec] of Object.entries(raw as Record<string, FlagSpec>)) {
    table.set(name, spec);
  }
  cached = table;
  return table;
}
