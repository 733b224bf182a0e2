// One in-process benchmark subject, run as its own process so that its wall time and peak RSS
// are measured from outside exactly like the peers' (opa, conftest).
//
//   node bench/subject.mjs <batch|latency> <wasm|floor> <docs|manifests> <list-file> <out-file>
//
// engine  wasm   kubecis's engine (policy.wasm through src/engine/opa-wasm.ts, kubecis/main/report)
//         floor  the hand-written TypeScript checks of bench/floor/floor.ts (bench/floor.mjs)
// inputs  docs       normalized ApiServerConfig JSON documents (what opa and conftest read)
//         manifests  raw static pod manifests: kubecis's reader + normalizer, then the engine
// batch   one pass over every input; writes each input's verdicts ({id: status}) to out-file
// latency times every input (the first 2,000 at most) on its own after a warm-up; writes
//         percentiles to out-file
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";

const [mode, engineName, inputKind, listFile, outFile] = process.argv.slice(2);
const t0 = performance.now();
const api = await import("../dist/index.js");

let judge;
if (engineName === "wasm") {
  const kubecis = api.loadKubecis();
  judge = (doc) => kubecis.engine.evaluate(doc);
} else if (engineName === "floor") {
  const { loadFloor } = await import("./floor.mjs");
  const floor = await loadFloor();
  judge = (doc) => floor.judge(doc);
} else {
  throw new Error(`unknown engine ${engineName}`);
}

/** One input, end to end: read (+ parse/normalize), judge. Returns each document's report. */
const runOne =
  inputKind === "docs"
    ? (path) => [judge(JSON.parse(readFileSync(path, "utf8")))]
    : (path) => {
        const { documents, errors } = api.normalizeInputs([path]);
        if (errors.length > 0) throw new Error(`${path}: ${errors[0].message}`);
        return documents.map(judge);
      };

const paths = readFileSync(listFile, "utf8").split("\n").filter(Boolean);
const loadedMs = performance.now() - t0;

if (mode === "batch") {
  const start = performance.now();
  const out = [];
  for (const path of paths) {
    const reports = runOne(path);
    out.push({ key: basename(path).replace(/\.[^.]+$/, ""), targets: reports.map(verdictsOf) });
  }
  const passMs = performance.now() - start;
  writeFileSync(outFile, JSON.stringify({ loadedMs, passMs, maxRssKb: process.resourceUsage().maxRSS, inputs: out }));
} else if (mode === "latency") {
  // Warm up (JIT tiers, page cache), then time each input on its own. Small sets repeat until
  // there are enough samples for a p99.
  // At most the first 2,000 inputs are timed, which keeps N=10,000 within the run's budget.
  const minSamples = 2000;
  const timedPaths = paths.slice(0, 2000);
  const warm = Math.max(500, timedPaths.length);
  for (let i = 0; i < warm; i++) runOne(timedPaths[i % timedPaths.length]);
  const rounds = Math.max(1, Math.ceil(minSamples / timedPaths.length));
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    for (const path of timedPaths) {
      const s = performance.now();
      runOne(path);
      samples.push((performance.now() - s) * 1000);
    }
  }
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  writeFileSync(outFile, JSON.stringify({ loadedMs, samples: samples.length, p50Us: pct(50), p99Us: pct(99), meanUs: mean, maxRssKb: process.resourceUsage().maxRSS }));
} else {
  throw new Error(`unknown mode ${mode}`);
}

function verdictsOf(report) {
  return Object.fromEntries(report.results.map((r) => [r.id, r.status]));
}
