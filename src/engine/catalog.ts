// The control catalogue (build/out/catalog.json), generated from the policies' METADATA.
import { readFileSync } from "node:fs";
import { PolicyError } from "../errors.js";
import type { Control } from "../types.js";

export interface Catalog {
  revision: string;
  controls: Control[];
  byId: ReadonlyMap<string, Control>;
}

export function readCatalog(path: string): Catalog {
  let parsed: { revision: string; controls: Control[] };
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PolicyError(`cannot read control catalogue ${path}: ${(error as Error).message} (run \`make build\`)`);
  }
  return { ...parsed, byId: new Map(parsed.controls.map((c) => [c.id, c])) };
}
