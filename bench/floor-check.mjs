// The floor against kubecis, record by record: every document of the corpus (bench/corpus.mjs:
// N generated documents, every API-server fixture, file/manifest/option variants) and the
// edge cases (bench/floor/edges.mjs: versions known and unknown, with and without a range,
// crossed with removed, empty, refused and aliased flags, refused flag pairs, incomplete-flags
// diagnostics, admission lists, the EventRateLimit configuration and audit Policies). The floor's report ({kind, component, profile, kubernetesVersion, results:
// [{id, status, reason, evidence, outside?}]}) must be identical to kubecis/main/report's; an
// input that kubecis cannot evaluate (a conflict) must make the floor throw too. `make bench`
// runs this and reports no timing unless it exits 0: the floor cannot drift silently.
//
//   node bench/floor-check.mjs [N=10000]     exits 0 when every record agrees, 1 otherwise
import { corpus } from "./corpus.mjs";
import { edges } from "./floor/edges.mjs";
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
const attempt = (f) => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: error.message };
  }
};

const entries = corpus(normalizeInputs, { n });
entries.push(...edges(entries.filter((e) => e.name.startsWith("generated/")).slice(0, 3).map((e) => e.doc)));
const shown = Number(process.env.FLOOR_CHECK_SHOW ?? 20);
let statusDiffs = 0;
let recordDiffs = 0;
let conflicts = 0;
const controls = new Set();
const show = (text) => {
  if (statusDiffs + recordDiffs <= shown) console.log(text);
};
for (const e of entries) {
  const { engine, floor } = await subjects(e.options);
  const want = attempt(() => engine.evaluate(e.doc));
  const got = attempt(() => floor.judge(e.doc));
  if (want.error !== undefined || got.error !== undefined) {
    // Both failed on the same check (kubecis names its file, the floor its slug).
    const sameCheck = want.error?.match(/checks\/apiserver\/([a-z_]+)\//)?.[1] === got.error?.match(/^([a-z_]+):/)?.[1];
    if (want.error !== undefined && got.error !== undefined && sameCheck) {
      conflicts++;
      if (conflicts <= 3) console.log(`${e.name}: neither could evaluate it (kubecis: ${want.error.split("\n")[0]}; the floor: ${got.error})`);
      continue;
    }
    statusDiffs++;
    show(`${e.name}: kubecis ${want.error === undefined ? "judged it" : `could not evaluate it (${want.error.split("\n")[0]})`}, the floor ${got.error === undefined ? "judged it" : `threw ${got.error}`}`);
    continue;
  }
  const ws = Object.fromEntries(want.value.results.map((r) => [r.id, r.status]));
  const gs = Object.fromEntries(got.value.results.map((r) => [r.id, r.status]));
  for (const id of Object.keys(ws)) controls.add(id);
  if (canonical(ws) !== canonical(gs)) {
    statusDiffs++;
    show(`${e.name}: statuses differ: ${[...new Set([...Object.keys(ws), ...Object.keys(gs)])].filter((id) => ws[id] !== gs[id]).map((id) => `${id} kubecis ${ws[id]} floor ${gs[id]}`).join("; ")}`);
    continue;
  }
  if (canonical(want.value) !== canonical(got.value)) {
    recordDiffs++;
    const w = new Map(want.value.results.map((r) => [r.id, canonical(r)]));
    const diff = got.value.results.filter((r) => w.get(r.id) !== canonical(r)).map((r) => `${r.id}\n    kubecis ${w.get(r.id)}\n    floor   ${canonical(r)}`);
    show(`${e.name}: records differ: ${diff.join("\n  ") || `report ${canonical({ ...want.value, results: [] })} vs ${canonical({ ...got.value, results: [] })}`}`);
  }
}
console.log(
  `floor-check: ${entries.length} documents, ${controls.size} controls: ${statusDiffs} with different statuses, ${recordDiffs} more with different reasons or evidence` +
    (conflicts > 0 ? `; ${conflicts} that neither could evaluate` : ""),
);
process.exit(statusDiffs + recordDiffs > 0 ? 1 : 0);
