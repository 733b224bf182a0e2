#!/usr/bin/env node
// `make bench`: kubecis side by side with opa and conftest on the same policies and inputs.
//
// 0. Before anything is timed, requires the hand-written floor (bench/floor/*.ts) to give
//    kubecis's records, byte for byte, on the corpus and the edge cases (bench/floor-check.mjs);
//    a floor that drifted from the policies stops the run with the first differing record.
// 1. Generates N seeded, varied kube-apiserver static pod manifests (bench/generate.mjs) and
//    normalizes each with kubecis into the ApiServerConfig document that opa and conftest read.
// 2. Runs every subject as its own process on the same inputs (wall time measured here, peak
//    RSS by GNU time): kubecis in-process (WASM) on documents and on manifests, the kubecis CLI
//    on manifests, the hand-written TypeScript floor (bench/floor/*.ts), `opa exec`,
//    `opa eval` (one process per input, and all inputs packed in one array), and conftest.
// 3. Checks that every subject gives the same status for every control of every input, and
//    prints no timing at all if any disagree.
// 4. Prints throughput, warm per-input latency, cold one-file runs, peak RSS, and ratios
//    computed pair by pair from this run; writes .bench/api/results.{json,md}.
// 5. Runs bench/rbac.mjs when it exists.
//
// Environment: KUBECIS_BENCH_SIZES (default "1,100,10000"), KUBECIS_BENCH_SEED (default 7),
// KUBECIS_OPA / KUBECIS_CONFTEST (default .tools/bin/…).
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { generateManifest } from "./generate.mjs";
import { compileFloor, loadFloor } from "./floor.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WORK = join(ROOT, ".bench", "api");
const OPA = process.env.KUBECIS_OPA || join(ROOT, ".tools/bin/opa");
const CONFTEST = process.env.KUBECIS_CONFTEST || join(ROOT, ".tools/bin/conftest");
const CLI = join(ROOT, "dist/kubecis.mjs"); // package.json "bin"
const REGO_BUNDLE = join(ROOT, "build/out/bundle.rego.tar.gz");
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const SIZES = (process.env.KUBECIS_BENCH_SIZES || "1,100,10000").split(",").map(Number);
const SEED = Number(process.env.KUBECIS_BENCH_SEED || 7);
/** Process runs per subject: cold single-file runs are noisy, so they repeat most. */
const REPEATS = (n) => (n <= 1 ? 10 : n <= 100 ? 3 : 1);
/** `opa eval` takes one input per process; above this many it is extrapolated from the mean. */
const OPA_EVAL_PROCESS_LIMIT = 100;
/** Above this many inputs the peers (seconds per 100 inputs with the full catalogue) run on the
 * first PEER_LIMIT inputs and their time is scaled linearly to N; the table says so. */
const PEER_LIMIT = Number(process.env.KUBECIS_BENCH_PEER_LIMIT || 1000);

const log = (text) => process.stderr.write(`bench: ${text}\n`);

// ---------------------------------------------------------------------------------------
// Prerequisites and the machine

for (const f of [CLI, REGO_BUNDLE, join(ROOT, "build/out/bundle.wasm.tar.gz"), join(ROOT, "build/out/catalog.json")]) {
  if (!existsSync(f)) fail(`${f} is missing: run \`make build\``);
}
const catalog = JSON.parse(readFileSync(join(ROOT, "build/out/catalog.json"), "utf8"));
const CONTROLS = catalog.controls.filter((c) => c.component === "apiserver").map((c) => c.id).sort();
// The floor must implement every API-server control of the catalogue, or its ratio means nothing.
compileFloor();
{
  const floor = await loadFloor();
  const slugs = new Set(floor.checks);
  const missing = catalog.controls.filter((c) => c.component === "apiserver" && !slugs.has(c.package.split(".").pop()));
  if (missing.length > 0) fail(`the floor (bench/floor/*.ts) does not implement ${missing.map((c) => `${c.id} (${c.package})`).join(", ")}`);
}
// ...and give kubecis's records, byte for byte, before anything is timed: on the generated
// documents, every API-server fixture, file/manifest/option variants and the edge cases
// (bench/floor-check.mjs). A floor that drifted from the policies stops the run here.
log("the floor against kubecis, record by record (bench/floor-check.mjs 400)");
const floorCheck = (() => {
  const r = spawnSync(process.execPath, [join(ROOT, "bench/floor-check.mjs"), "400"], { cwd: ROOT, encoding: "utf8" });
  const lines = `${r.stdout}${r.stderr}`.trim().split("\n");
  const summary = lines.findLast((l) => l.startsWith("floor-check: ")) ?? lines.at(-1);
  if (r.status === 0) return summary;
  const first = lines.find((l) => !l.startsWith("floor-check: ") && !l.includes("neither could evaluate")) ?? "";
  const detail = lines.slice(lines.indexOf(first), lines.indexOf(first) + 3).join("\n");
  fail(`the floor (bench/floor/*.ts) disagrees with kubecis; no timing is reported. Update the floor to the policies' semantics and rerun \`node bench/floor-check.mjs\`.\n${summary}\nfirst difference: ${detail}`);
})();

const tool = (bin, args) => {
  const r = spawnSync(bin, args, { encoding: "utf8" });
  return r.error ? undefined : `${r.stdout}${r.stderr}`;
};
const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  nproc: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  opa: tool(OPA, ["version"])?.match(/Version: (\S+)/)?.[1],
  conftest: tool(CONFTEST, ["--version"])?.match(/Conftest: (\S+)/)?.[1],
  conftestOpa: tool(CONFTEST, ["--version"])?.match(/OPA: (\S+)/)?.[1],
  conftestPinned: readFileSync(join(ROOT, "Makefile"), "utf8").match(/CONFTEST_VERSION\s*:=\s*(\S+)/)?.[1],
  policyWasmBytes: undefined,
  loadBefore: loadavg()[0],
};
const peers = { opa: Boolean(machine.opa), conftest: Boolean(machine.conftest) };
if (!peers.opa) log(`opa not available at ${OPA}: its rows are marked "not available"`);
if (!peers.conftest) log(`conftest not available at ${CONFTEST}: its rows are marked "not available"`);

// ---------------------------------------------------------------------------------------
// Inputs: manifests, their normalized documents, lists, packed arrays

const maxN = Math.max(...SIZES);
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const policyDir = join(WORK, "policy"); // the Rego bundle unpacked, for conftest
mkdirSync(policyDir);
run("tar", ["xzf", REGO_BUNDLE, "-C", policyDir]);
{
  const { readBundle } = await import("../dist/engine/bundle.js");
  machine.policyWasmBytes = readBundle(join(ROOT, "build/out/bundle.wasm.tar.gz")).wasm.length;
}

log(`generating ${maxN} manifests (seed ${SEED}) and normalizing them`);
const { normalizeInputs } = await import("../dist/index.js");
const names = Array.from({ length: maxN }, (_, i) => `m${String(i).padStart(5, "0")}`);
const manifestText = names.map((_, i) => generateManifest(SEED, i));
const docText = [];
const sets = {};
const SET_SIZES = [...new Set([...SIZES, ...(maxN > PEER_LIMIT ? [PEER_LIMIT] : [])])];
for (const n of SET_SIZES) {
  const dir = join(WORK, `n${n}`);
  for (const sub of ["manifests", "docs"]) mkdirSync(join(dir, sub), { recursive: true });
  for (let i = 0; i < n; i++) {
    const manifest = join(dir, "manifests", `${names[i]}.yaml`);
    writeFileSync(manifest, manifestText[i]);
    if (docText[i] === undefined) {
      const { documents, errors } = normalizeInputs([manifest]);
      if (errors.length > 0 || documents.length !== 1) fail(`generated manifest ${names[i]} did not normalize to one document: ${JSON.stringify(errors)}`);
      docText[i] = JSON.stringify(documents[0]);
    }
    writeFileSync(join(dir, "docs", `${names[i]}.json`), docText[i]);
  }
  const manifests = names.slice(0, n).map((name) => join(dir, "manifests", `${name}.yaml`));
  const docs = names.slice(0, n).map((name) => join(dir, "docs", `${name}.json`));
  writeFileSync(join(dir, "manifests.list"), manifests.join("\n") + "\n");
  writeFileSync(join(dir, "docs.list"), docs.join("\n") + "\n");
  writeFileSync(join(dir, "packed.json"), `[${docText.slice(0, n).join(",")}]`);
  sets[n] = { dir, manifests, docs };
}
const avgManifestBytes = Math.round(manifestText.reduce((a, t) => a + t.length, 0) / maxN);
const avgDocBytes = Math.round(docText.reduce((a, t) => a + t.length, 0) / maxN);

// ---------------------------------------------------------------------------------------
// Subjects. Each returns {verdicts: Map<key, {id: status}> | undefined, partial?: bool}.

/** Verdicts as {key → {controlId → status}}; conftest only reports fail/error/warn. */
const SUBJECTS = [
  { name: "kubecis WASM, in-process (documents)", short: "kubecis-docs", kind: "ours", inputs: "docs", latency: ["wasm", "docs"], run: (n, out) => subject("batch", "wasm", "docs", n, out) },
  { name: "kubecis WASM, in-process (manifests)", short: "kubecis-manifests", kind: "ours", inputs: "manifests", latency: ["wasm", "manifests"], maxBatchN: 1000, run: (n, out) => subject("batch", "wasm", "manifests", n, out) },
  { name: "kubecis CLI `test -o report` (manifests)", short: "kubecis-cli", kind: "ours", inputs: "manifests", run: (n, out) => cliRun(n, out) },
  { name: "floor, hand-written TypeScript (documents)", short: "floor-docs", kind: "floor", inputs: "docs", latency: ["floor", "docs"], run: (n, out) => subject("batch", "floor", "docs", n, out) },
  { name: "floor, hand-written TypeScript (manifests)", short: "floor-manifests", kind: "floor", inputs: "manifests", latency: ["floor", "manifests"], maxBatchN: 1000, run: (n, out) => subject("batch", "floor", "manifests", n, out) },
  { name: "opa exec, topdown (documents)", short: "opa-exec", kind: "peer", inputs: "docs", needs: "opa", run: (n, out) => opaExec(n, out) },
  { name: "opa eval, all inputs packed in one array", short: "opa-eval-packed", kind: "peer", inputs: "docs", needs: "opa", run: (n, out) => opaEvalPacked(n, out) },
  { name: "opa eval, one process per input", short: "opa-eval", kind: "peer", inputs: "docs", needs: "opa", run: (n, out) => opaEvalEach(n, out) },
  { name: "conftest test --namespace kubecis.main (documents)", short: "conftest", kind: "peer", inputs: "docs", needs: "conftest", partialVerdicts: true, run: (n, out) => conftest(n, out) },
];

function subject(mode, engine, inputs, n, out) {
  const list = join(sets[n].dir, `${inputs}.list`);
  const t = timed(process.execPath, [join(ROOT, "bench/subject.mjs"), mode, engine, inputs, list, out], { cwd: ROOT });
  const result = JSON.parse(readFileSync(out, "utf8"));
  return { ...t, internal: result, verdicts: mode === "batch" ? new Map(result.inputs.map((i) => [i.key, i.targets])) : undefined };
}

function cliRun(n, out) {
  const t = timed(process.execPath, [CLI, "test", join(sets[n].dir, "manifests"), "-o", "report"], { cwd: ROOT, stdout: out, okStatus: [0, 1, 4] });
  const report = JSON.parse(readFileSync(out, "utf8"));
  if (report.errors.length > 0) fail(`kubecis CLI reported input errors: ${JSON.stringify(report.errors[0])}`);
  const verdicts = new Map();
  for (const target of report.targets) {
    const key = keyOf(target.source.path);
    verdicts.set(key, [...(verdicts.get(key) ?? []), Object.fromEntries(target.results.map((r) => [r.id, r.status]))]);
  }
  return { ...t, verdicts };
}

function opaExec(n, out) {
  const t = timed(OPA, ["exec", "--decision", "kubecis/main/report", "--bundle", REGO_BUNDLE, join(sets[n].dir, "docs")], { cwd: ROOT, stdout: out });
  const parsed = JSON.parse(readFileSync(out, "utf8"));
  return { ...t, verdicts: new Map(parsed.result.map((r) => [keyOf(r.path), [statusesOf(r.result)]])) };
}

function opaEvalPacked(n, out) {
  const query = "[r | some d in input; r := data.kubecis.main.report with input as d]";
  const t = timed(OPA, ["eval", "--bundle", REGO_BUNDLE, "--format", "json", "--input", join(sets[n].dir, "packed.json"), query], { cwd: ROOT, stdout: out });
  const reports = JSON.parse(readFileSync(out, "utf8")).result[0].expressions[0].value;
  return { ...t, verdicts: new Map(reports.map((r, i) => [names[i], [statusesOf(r)]])) };
}

function opaEvalEach(n, out) {
  const count = Math.min(n, OPA_EVAL_PROCESS_LIMIT);
  const verdicts = new Map();
  let ms = 0;
  let rssKb = 0;
  for (let i = 0; i < count; i++) {
    const t = timed(OPA, ["eval", "--bundle", REGO_BUNDLE, "--format", "json", "--input", sets[n].docs[i], "data.kubecis.main.report"], { cwd: ROOT, stdout: out });
    ms += t.ms;
    rssKb = Math.max(rssKb, t.rssKb ?? 0);
    verdicts.set(names[i], [statusesOf(JSON.parse(readFileSync(out, "utf8")).result[0].expressions[0].value)]);
  }
  return count === n ? { ms, rssKb, verdicts } : { ms: (ms / count) * n, rssKb, verdicts, extrapolatedFrom: count };
}

function conftest(n, out) {
  const t = timed(CONFTEST, ["test", "--no-color", "--namespace", "kubecis.main", "-p", policyDir, "-d", policyDir, "-o", "json", join(sets[n].dir, "docs")], { cwd: ROOT, stdout: out, okStatus: [0, 1] });
  const verdicts = new Map();
  for (const file of JSON.parse(readFileSync(out, "utf8"))) {
    const seen = {};
    for (const f of [...(file.failures ?? []), ...(file.warnings ?? [])]) seen[f.metadata.id] = f.metadata.status ?? "warn";
    verdicts.set(keyOf(file.filename), [seen]);
  }
  return { ...t, verdicts };
}

const keyOf = (path) => basename(path).replace(/\.[^.]+$/, "");
const statusesOf = (report) => Object.fromEntries(report.results.map((r) => [r.id, r.status]));

// ---------------------------------------------------------------------------------------
// Running: process subjects (repeated for small N), then warm per-input latency

const results = {}; // results[n][short] = {ms[], rssKb[], verdicts, …}
const outFile = join(WORK, "out.json");
for (const n of SIZES) {
  results[n] = {};
  for (const s of SUBJECTS) {
    if (s.needs && !peers[s.needs]) continue;
    if (s.maxBatchN && n > s.maxBatchN) {
      // Bounds the run: the YAML path costs ~1.5 ms per manifest, and the CLI row already
      // measures it at this N. Latency is still measured below.
      results[n][s.short] = { skipped: true };
      continue;
    }
    const runs = [];
    const runN = s.kind === "peer" && n > PEER_LIMIT ? PEER_LIMIT : n;
    const repeats = s.short === "opa-eval" && n > 1 ? 1 : REPEATS(runN);
    log(`N=${n} ${s.name} ×${repeats}${runN < n ? ` on the first ${runN} inputs` : ""}`);
    for (let r = 0; r < repeats; r++) runs.push(s.run(runN, outFile));
    results[n][s.short] = {
      ms: runs.map((r) => (r.ms * n) / runN),
      rssKb: Math.max(...runs.map((r) => r.rssKb ?? 0)) || undefined,
      verdicts: runs[0].verdicts,
      internal: runs[0].internal,
      extrapolatedFrom: runs[0].extrapolatedFrom ?? (runN < n ? runN : undefined),
    };
  }
  for (const s of SUBJECTS.filter((s) => s.latency)) {
    log(`N=${n} warm per-input latency: ${s.name}`);
    const [engine, inputs] = s.latency;
    const r = subject("latency", engine, inputs, n, outFile);
    results[n][s.short] = { ...results[n][s.short], latency: r.internal };
  }
}

// ---------------------------------------------------------------------------------------
// Agreement: every subject, every input, every control, the same status

const problems = [];
// conftest's deny and warn hold only the results that gate: a result outside the active
// profile (DESIGN decision 8) keeps its status in the report but never reaches conftest.
const outsideOf = await (async () => {
  const { readBundle } = await import("../dist/engine/bundle.js");
  const { loadEngine } = await import("../dist/engine/opa-wasm.js");
  const engine = loadEngine(readBundle(join(ROOT, "build/out/bundle.wasm.tar.gz")), {});
  const count = Math.min(maxN, PEER_LIMIT);
  return new Map(names.slice(0, count).map((name, i) => [name, new Set(engine.evaluate(JSON.parse(docText[i])).results.filter((r) => r.outside).map((r) => r.id))]));
})();
for (const n of SIZES) {
  const reference = results[n]["kubecis-docs"].verdicts;
  for (const name of names.slice(0, n)) {
    const ref = reference.get(name);
    if (!ref || ref.length !== 1) {
      problems.push(`N=${n} ${name}: kubecis gave ${ref?.length ?? 0} targets, expected 1`);
      continue;
    }
    const ids = Object.keys(ref[0]).sort();
    if (ids.join() !== CONTROLS.join()) problems.push(`N=${n} ${name}: kubecis judged [${ids}], the catalogue has [${CONTROLS}]`);
  }
  for (const s of SUBJECTS) {
    const got = results[n][s.short];
    if (!got || got.skipped || s.short === "kubecis-docs") continue;
    const checked = got.extrapolatedFrom ? names.slice(0, got.extrapolatedFrom) : names.slice(0, n);
    for (const name of checked) {
      const ref = reference.get(name)?.[0] ?? {};
      const targets = got.verdicts.get(name);
      if (!targets || targets.length !== 1) {
        problems.push(`N=${n} ${s.short} ${name}: ${targets?.length ?? 0} targets, expected 1`);
        continue;
      }
      let expected = ref;
      const actual = targets[0];
      if (s.partialVerdicts) {
        // conftest sees deny (fail, error) and warn (warn) of the active profile; pass,
        // not-applicable and results outside the profile are silent.
        const outside = outsideOf.get(name) ?? new Set();
        expected = Object.fromEntries(Object.entries(ref).filter(([id, st]) => ["fail", "error", "warn"].includes(st) && !outside.has(id)));
      }
      const a = JSON.stringify(sorted(actual));
      const e = JSON.stringify(sorted(expected));
      if (a !== e) problems.push(`N=${n} ${s.short} ${name}: ${a} but kubecis WASM says ${e}`);
    }
  }
}
if (problems.length > 0) {
  process.stdout.write(`VERDICTS DISAGREE (${problems.length} differences); no timing is reported.\n`);
  for (const p of problems.slice(0, 30)) process.stdout.write(`  ${p}\n`);
  process.stdout.write(`Inputs are in ${WORK}.\n`);
  process.exit(1);
}
const statusMix = {};
for (const targets of results[maxN]["kubecis-docs"].verdicts.values()) {
  for (const st of Object.values(targets[0])) statusMix[st] = (statusMix[st] ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------
// Report

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)];
const wall = (n, short) => (results[n][short]?.ms ? median(results[n][short].ms) : undefined);
const rate = (n, short) => (wall(n, short) ? (n / wall(n, short)) * 1000 : undefined);
const fmt = (x, digits = 0) => (x === undefined || Number.isNaN(x) ? "n/a" : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (x) => (x === undefined || Number.isNaN(x) ? "n/a" : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);

machine.loadAfter = loadavg()[0];
const lines = [];
const out = (s = "") => lines.push(s);
out(`Machine: ${machine.cpu}, nproc ${machine.nproc}, ${machine.memoryGb} GB; Node ${machine.node}; opa ${machine.opa ?? "not available"}; conftest ${machine.conftestPinned ?? "?"} (reports "${machine.conftest}", built with OPA ${machine.conftestOpa}); policy.wasm ${fmt(machine.policyWasmBytes)} bytes; 1-min load average ${machine.loadBefore.toFixed(1)} at start, ${machine.loadAfter.toFixed(1)} at end (other work on the machine makes every figure noisier).`);
out(`Inputs: seed ${SEED}; ${CONTROLS.length} API-server controls from the catalogue (${CONTROLS.join(", ")}); manifests ${fmt(avgManifestBytes)} B, documents ${fmt(avgDocBytes)} B on average; statuses at N=${maxN}: ${Object.entries(statusMix).map(([k, v]) => `${k} ${v}`).join(", ")}.`);
out(`Agreement: every subject gave the same status for every control of every input (conftest: the same fail/error/warn set, results outside the active profile left out). The floor (hand-written TypeScript) judges all ${CONTROLS.length} controls too, with kubecis's records on the corpus and edge cases (bench/floor-check.mjs): ${floorCheck.replace(/^floor-check: /, "")}.`);
out();
out("Throughput: each subject is one process over all N inputs (wall clock, process start to exit; median of the runs).");
out();
out("| subject | N | runs | wall ms | inputs/s | peak RSS MB |");
out("|---|---:|---:|---:|---:|---:|");
for (const n of SIZES) {
  for (const s of SUBJECTS) {
    const r = results[n][s.short];
    if (!r) {
      out(`| ${s.name} | ${fmt(n)} | – | not available | | |`);
      continue;
    }
    if (r.skipped) {
      out(`| ${s.name} | ${fmt(n)} | – | skipped above N=${s.maxBatchN} to bound the run (the CLI row reads the same manifests) | | |`);
      continue;
    }
    const extra = r.extrapolatedFrom ? ` (measured on the first ${r.extrapolatedFrom} inputs, time scaled linearly to N)` : "";
    out(`| ${s.name}${extra} | ${fmt(n)} | ${r.ms.length} | ${fmt(wall(n, s.short))} | ${fmt(rate(n, s.short))} | ${fmt(r.rssKb ? r.rssKb / 1024 : undefined, 1)} |`);
  }
}
out();
out("Warm per-input latency, in-process: each input timed on its own after a warm-up (read + parse [+ normalize] + judge), µs.");
out();
out("| subject | N | samples | p50 µs | p99 µs | mean µs | load ms |");
out("|---|---:|---:|---:|---:|---:|---:|");
for (const n of SIZES) {
  for (const s of SUBJECTS.filter((s) => s.latency)) {
    const l = results[n][s.short].latency;
    out(`| ${s.name} | ${fmt(n)} | ${fmt(l.samples)} | ${fmt(l.p50Us, 1)} | ${fmt(l.p99Us, 1)} | ${fmt(l.meanUs, 1)} | ${fmt(l.loadedMs, 1)} |`);
  }
}
out();
out(`Cold one-file run (N=1, process start to exit, ${REPEATS(1)} runs): median / p90 ms.`);
out();
const baseline = [];
for (let i = 0; i < REPEATS(1); i++) baseline.push(timed(process.execPath, ["-e", "0"], { cwd: ROOT }).ms);
out("| subject | median ms | p90 ms | peak RSS MB |");
out("|---|---:|---:|---:|");
out(`| node -e 0 (the runtime alone) | ${fmt(median(baseline))} | ${fmt(p90(baseline))} | |`);
for (const short of ["kubecis-cli", "kubecis-docs", "conftest", "opa-eval", "opa-exec"]) {
  const r = results[1]?.[short];
  const s = SUBJECTS.find((x) => x.short === short);
  out(r ? `| ${s.name} | ${fmt(median(r.ms))} | ${fmt(p90(r.ms))} | ${fmt(r.rssKb / 1024, 1)} |` : `| ${s.name} | not available | | |`);
}
out();
out("Ratios, pair by pair from this run (throughput: ours ÷ peer, higher is better; latency and cold time: ours ÷ peer, lower is better).");
out();
const header = ["opa-exec", "opa-eval-packed", "opa-eval", "conftest"];
out(`| ours | N | ${header.join(" | ")} |`);
out(`|---|---:|${header.map(() => "---:").join("|")}|`);
for (const n of SIZES) {
  for (const ours of ["kubecis-docs", "kubecis-manifests", "kubecis-cli"]) {
    out(`| ${ours} throughput | ${fmt(n)} | ${header.map((peer) => ratio(rate(n, ours) / rate(n, peer))).join(" | ")} |`);
  }
}
// The floor judges the same controls as kubecis (all of the catalogue's API-server controls).
const FLOOR_PAIRS = [["kubecis-docs", "floor-docs"], ["kubecis-manifests", "floor-manifests"]];
for (const n of SIZES) {
  for (const [ours, floor] of FLOOR_PAIRS) {
    const a = results[n][ours].latency;
    const b = results[n][floor].latency;
    out(`| ${ours} warm p50 ÷ ${floor} p50 | ${fmt(n)} | ${ratio(a.p50Us / b.p50Us)} (p99 ${ratio(a.p99Us / b.p99Us)}) |`);
  }
  if (rate(n, "kubecis-docs") && rate(n, "floor-docs")) {
    out(`| kubecis-docs throughput ÷ floor-docs | ${fmt(n)} | ${ratio(rate(n, "kubecis-docs") / rate(n, "floor-docs"))} |`);
  }
}
if (results[1]) {
  for (const peer of ["conftest", "opa-eval", "opa-exec"]) {
    if (!results[1][peer]) continue;
    out(`| kubecis CLI cold one-file ÷ ${peer} | 1 | ${ratio(median(results[1]["kubecis-cli"].ms) / median(results[1][peer].ms))} |`);
  }
}
out();
// Targets (issue 7), each from this run's pairs.
const targets = [];
const big = SIZES.includes(10000) ? 10000 : maxN;
const target = (what, value, goal, ok) => targets.push({ what, value, goal, met: value === undefined || Number.isNaN(value) ? "n/a" : ok(value) ? "met" : "NOT met" });
for (const ours of ["kubecis-docs", "kubecis-manifests", "kubecis-cli"]) {
  target(`N=${big} throughput ${ours} ÷ conftest`, rate(big, ours) / rate(big, "conftest"), "≥ 10×", (v) => v >= 10);
  target(`N=${big} throughput ${ours} ÷ opa exec`, rate(big, ours) / rate(big, "opa-exec"), "≥ 2×", (v) => v >= 2);
}
for (const [ours, floor] of FLOOR_PAIRS) {
  const a = results[big][ours].latency;
  const b = results[big][floor].latency;
  target(`N=${big} warm per-input p50 ${ours} ÷ ${floor}`, a.p50Us / b.p50Us, "≤ 2×", (v) => v <= 2);
}
if (results[1]?.conftest) target("cold one-file kubecis CLI ÷ conftest (median)", median(results[1]["kubecis-cli"].ms) / median(results[1].conftest.ms), "≤ 1×", (v) => v <= 1);
out("| target | measured | goal | |");
out("|---|---:|---:|---|");
for (const t of targets) out(`| ${t.what} | ${ratio(t.value)} | ${t.goal} | ${t.met} |`);

const text = lines.join("\n") + "\n";
process.stdout.write(`\n## API server\n\n${text}`);
writeFileSync(join(WORK, "results.md"), text);
writeFileSync(
  join(WORK, "results.json"),
  JSON.stringify(
    {
      machine,
      seed: SEED,
      sizes: SIZES,
      controls: CONTROLS,
      results: Object.fromEntries(SIZES.map((n) => [n, Object.fromEntries(Object.entries(results[n]).map(([k, v]) => [k, { ms: v.ms, rssKb: v.rssKb, latency: v.latency, extrapolatedFrom: v.extrapolatedFrom, skipped: v.skipped }]))])),
      targets,
    },
    null,
    2,
  ),
);

// ---------------------------------------------------------------------------------------
// RBAC benchmarks (another part of the suite), when present

const rbac = join(ROOT, "bench/rbac.mjs");
if (existsSync(rbac)) {
  log("running bench/rbac.mjs");
  const r = spawnSync(process.execPath, [rbac], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) fail(`bench/rbac.mjs exited with ${r.status}`);
}

// ---------------------------------------------------------------------------------------

/** Runs a command to completion; wall time measured here, peak RSS by GNU time when present. */
function timed(bin, args, { cwd, stdout, okStatus = [0], env }) {
  const rssFile = join(WORK, "rss.txt");
  const fd = stdout ? openSync(stdout, "w") : "ignore";
  const cmd = GNU_TIME ? [GNU_TIME, ["-f", "%M", "-o", rssFile, bin, ...args]] : [bin, args];
  const start = performance.now();
  const r = spawnSync(cmd[0], cmd[1], { cwd, env, stdio: ["ignore", fd, "pipe"], maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (typeof fd === "number") closeSync(fd);
  if (r.error) fail(`cannot run ${bin}: ${r.error.message}`);
  if (!okStatus.includes(r.status)) fail(`${bin} ${args.join(" ").slice(0, 200)} exited with ${r.status}: ${r.stderr.toString().slice(0, 2000)}`);
  const rssKb = GNU_TIME ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : undefined;
  return { ms, rssKb };
}

function run(bin, args) {
  const r = spawnSync(bin, args, { encoding: "utf8" });
  if (r.status !== 0) fail(`${bin} ${args.join(" ")}: ${r.stderr}`);
}

function sorted(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
