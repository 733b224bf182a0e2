// Every API-server control gives exactly one verdict for every document, and evaluation never
// fails: two clauses of one check that both fire (a "var assignment conflict") used to lose the
// whole run's report. The documents are the bench corpus (generated manifests, every fixture,
// file and option variants) and the edge cases that cross every version case (known, unknown,
// unknown with a range) with flag cases: removed, empty and refused values, aliases, refused
// pairs, incomplete flags, TLS 1.3 only, admission lists and audit Policies
// (bench/floor/edges.mjs).
import { describe, expect, it } from "vitest";
import { readBundle } from "../src/engine/bundle.js";
import { readCatalog } from "../src/engine/catalog.js";
import { loadEngine } from "../src/engine/opa-wasm.js";
import { catalogPath, wasmBundlePath } from "../src/paths.js";
import { normalizeInputs } from "../src/index.js";

type Entry = { name: string; doc: unknown; options: Record<string, unknown> };
// The bench's plain-JS generators, loaded by path (they carry no type declarations).
const bench = (path: string) => import(path) as Promise<Record<string, (...args: unknown[]) => Entry[]>>;
const { corpus } = await bench("../bench/corpus.mjs");
const { edges } = await bench("../bench/floor/edges.mjs");

describe("every control gives one verdict for every document", () => {
  const entries = corpus!(normalizeInputs, { n: 40 });
  entries.push(...edges!(entries.filter((e) => e.name.startsWith("generated/")).slice(0, 3).map((e) => e.doc)));
  const bundle = readBundle(wasmBundlePath);
  const ids = readCatalog(catalogPath)
    .controls.filter((c) => c.component === "apiserver")
    .map((c) => c.id)
    .sort();
  const engines = new Map<string, ReturnType<typeof loadEngine>>();
  const engineFor = (options: Record<string, unknown>) => {
    const key = JSON.stringify(options);
    if (!engines.has(key)) engines.set(key, loadEngine(bundle, Object.keys(options).length > 0 ? { kubecis: { options } } : {}));
    return engines.get(key)!;
  };

  it(`over ${entries.length} documents, no evaluation fails and no control is missing or doubled`, () => {
    expect(entries.length).toBeGreaterThan(500);
    const problems: string[] = [];
    for (const e of entries) {
      try {
        const report = engineFor(e.options).evaluate(e.doc as never) as { results: { id: string; status: string }[] };
        const got = report.results.map((r) => r.id).sort();
        if (got.join() !== ids.join()) problems.push(`${e.name}: controls ${ids.filter((id) => got.filter((g) => g === id).length !== 1).join(", ")} have no single result`);
      } catch (error) {
        problems.push(`${e.name}: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    expect(problems.slice(0, 200)).toEqual([]);
  });
});
