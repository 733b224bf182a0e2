// Before/after proof for Rego optimisations: writes kubecis/main/report (through kubecis's engine,
// policy.wasm as built by `make build`) for every document of bench/corpus.mjs to one line
// each, keys sorted, so two snapshots can be compared with `diff` or `cmp`.
//
//   node bench/report-diff.mjs OUT.jsonl [N=10000]
//   node bench/report-diff.mjs OUT.jsonl [N] && cmp BEFORE.jsonl OUT.jsonl
import { createWriteStream } from "node:fs";
import { corpus } from "./corpus.mjs";

const [out, n = "10000"] = process.argv.slice(2);
if (!out) throw new Error("usage: node bench/report-diff.mjs OUT.jsonl [N]");
const { normalizeInputs } = await import("../dist/index.js");
const { readBundle } = await import("../dist/engine/bundle.js");
const { loadEngine } = await import("../dist/engine/opa-wasm.js");
const { wasmBundlePath } = await import("../dist/paths.js");

const bundle = readBundle(wasmBundlePath);
const engines = new Map();
const engineFor = (options) => {
  const key = JSON.stringify(options);
  if (!engines.has(key)) engines.set(key, loadEngine(bundle, Object.keys(options).length ? { kubecis: { options } } : {}));
  return engines.get(key);
};
const canonical = (v) =>
  Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
  : v && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`
  : JSON.stringify(v);

const entries = corpus(normalizeInputs, { n: Number(n) });
const stream = createWriteStream(out);
for (const e of entries) stream.write(`${e.name}\t${canonical(engineFor(e.options).evaluate(e.doc))}\n`);
stream.end();
process.stderr.write(`report-diff: ${entries.length} documents written to ${out}\n`);
