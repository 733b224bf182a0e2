// The floor against kubecis on the whole corpus (bench/corpus.mjs: N generated documents,
// every API-server fixture, file/manifest/option variants): every control's status must
// agree, and the floor's records ({id, status, reason, evidence}) should be identical to
// kubecis/main/report's. Exits 1 on any status difference; record differences are listed.
//
//   node bench/floor-check.mjs [N=10000]
import { corpus } from "./corpus.mjs";
import { loadFloor } from "./floor.mjs";

const n = Number(process.argv[2] ?? 10000);
const { normalizeInputs } = await import("../dist/index.js");
const { readBundle } = await import("../dist/engine/bundle.js");
const { loadEngine } = await import("../dist/engine/opa-wasm.js");
const { wasmBundlePath } = await import("../dist/paths.js");

const bundle = readBundle(wasmBundlePath);
const cache = new Map();
async function subjects(options) {
  const key = JSON.stringify(options);
  if (!cache.has(key)) {
    const has = Object.keys(options).length > 0;
    cache.set(key, { engine: loadEngine(bundle, has ? { kubecis: { options } } : {}), floor: await loadFloor(options) });
  }
  return cache.get(key);
}
const canonical = (v) =>
  Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
  : v && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`
  : JSON.stringify(v);

const entries = corpus(normalizeInputs, { n });
let statusDiffs = 0;
let recordDiffs = 0;
const controls = new Set();
for (const e of entries) {
  const { engine, floor } = await subjects(e.options);
  const want = engine.evaluate(e.doc);
  let got;
  try {
    got = floor.judge(e.doc);
  } catch (error) {
    statusDiffs++;
    if (statusDiffs <= 20) console.log(`${e.name}: the floor threw ${error.message}`);
    continue;
  }
  const ws = Object.fromEntries(want.results.map((r) => [r.id, r.status]));
  const gs = Object.fromEntries(got.results.map((r) => [r.id, r.status]));
  for (const id of Object.keys(ws)) controls.add(id);
  if (canonical(ws) !== canonical(gs)) {
    statusDiffs++;
    if (statusDiffs <= 20) console.log(`${e.name}: statuses differ: ${[...new Set([...Object.keys(ws), ...Object.keys(gs)])].filter((id) => ws[id] !== gs[id]).map((id) => `${id} kubecis ${ws[id]} floor ${gs[id]}`).join("; ")}`);
    continue;
  }
  if (canonical(want) !== canonical(got)) {
    recordDiffs++;
    if (recordDiffs <= 10) {
      const w = new Map(want.results.map((r) => [r.id, canonical(r)]));
      const diff = got.results.filter((r) => w.get(r.id) !== canonical(r)).map((r) => `${r.id}\n    kubecis ${w.get(r.id)}\n    floor   ${canonical(r)}`);
      console.log(`${e.name}: records differ: ${diff.join("\n  ") || `report ${canonical({ ...want, results: [] })} vs ${canonical({ ...got, results: [] })}`}`);
    }
  }
}
console.log(`floor-check: ${entries.length} documents, ${controls.size} controls: ${statusDiffs} with different statuses, ${recordDiffs} more with different reasons or evidence`);
process.exit(statusDiffs > 0 ? 1 : 0);
