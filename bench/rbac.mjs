#!/usr/bin/env node
// RBAC at scale: generate seeded datasets (bench/rbac-generate.mjs) of 1k, 10k and 100k
// bindings and measure kubecis end to end on each, in a fresh child process per size:
// reserve (the engine sizes its WASM memory before the inputs are read, as `kubecis test` does,
// and from 32 MiB of input starts the helper thread that judges most controls: src/engine/split.ts),
// read + parse (kubectl -o json Lists), normalize (the RbacSnapshot: aggregation, subjects,
// indexes), evaluate (policy.wasm, every RBAC control; on two threads for a large snapshot,
// which includes computing the deferred redundancy join) and build the report.
// Reports wall time per phase, the CPU time (user + system, of every thread of the process) of
// normalize + evaluate (steadier than wall time on a shared machine), peak RSS
// (process.resourceUsage().maxRSS of the child) and
// the scaling exponent (least-squares slope of log time over log bindings).
//
// Each size is measured in --runs fresh processes (default 5): on the shared 2-core machine
// one run of the same 100k work took anywhere from 2.6 to 4.0 s. The table shows the run
// with the median time (for an even number of runs, the faster of the two middle ones), with
// the fastest and slowest beside it; peak RSS is the largest of all runs; the exponent and
// the time target are judged on the medians.
//
// Then one-file exports (a single `kubectl get … -A -o json` List, and the same as -o yaml) of
// --single bindings (default 100000; 0 skips them), judged end to end by the CLI
// (`kubecis test -o report FILE`, the report written to /dev/null): wall time, CPU time and
// peak RSS of that process, --single-runs times per format (default 3), the formats
// interleaved so that they meet the same load; medians, and the YAML/JSON ratio of each pair.
//
//   node bench/rbac.mjs [--sizes 1000,10000,100000|none] [--seed 42] [--runs 5] [--single 100000] [--single-runs 3] [--single-formats json,yaml]   (needs `make build`)
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET = { bindings: 100_000, seconds: 3, rssMiB: 1536, exponent: 1.1, yamlOverJson: 1.5 };

/** Prints the CLI process's CPU time and peak RSS on exit (it is the process measured). */
const USAGE_HOOK =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nKUBECIS_BENCH "+JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000,maxRssKiB:u.maxRSS})+"\\n")})';

/**
 * Writes a generated dataset (bench/rbac-generate.mjs) from a child process: a measuring
 * process that held 100k generated objects made the CLI runs it spawned 20-40 % slower.
 */
function generate(args) {
  const child = spawnSync(process.execPath, [join(root, "bench", "rbac-generate.mjs"), ...args], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench/rbac-generate.mjs ${args.join(" ")} failed: ${child.stderr}`);
}

/** `kubecis test -o report FILE` in a fresh process: wall time, exit code, CPU and peak RSS. */
function runCli(file) {
  const sink = openSync("/dev/null", "w");
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--import", USAGE_HOOK, join(root, "dist", "kubecis.mjs"), "test", "-o", "report", file], {
    encoding: "utf8",
    stdio: ["ignore", sink, "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  closeSync(sink);
  const line = (child.stderr ?? "").split("\n").find((l) => l.startsWith("KUBECIS_BENCH "));
  if (child.status === null || child.status > 1 || !line) {
    process.stderr.write(child.stderr ?? "");
    throw new Error(`kubecis test ${file} exited ${child.status ?? child.signal} (expected 0 or 1)`);
  }
  return { wallMs, status: child.status, ...JSON.parse(line.slice("KUBECIS_BENCH ".length)) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * The single-file cases: one JSON and one YAML export of `size` bindings, through the CLI,
 * interleaved (json, yaml, json, yaml, …) so that both formats meet the same load; per format
 * the median wall and CPU time and the largest peak RSS; the YAML/JSON ratios are the medians
 * of the ratios within each interleaved pair.
 */
function benchSingleFile(size, seed, runs, formats) {
  const dir = join(tmpdir(), "kubecis-rbac-bench", `single-${size}-${seed}`);
  const files = formats.map((ext) => {
    const file = join(dir, `one-big-export.${ext}`);
    generate([String(size), file, "--single", "--seed", String(seed)]);
    return { ext, file, bytes: statSync(file).size, measured: [] };
  });
  const loadBefore = loadavg();
  for (let run = 0; run < runs; run++) {
    for (const f of files) {
      const m = runCli(f.file);
      f.measured.push(m);
      process.stderr.write(`${size} bindings in one ${f.ext} file, run ${run + 1}/${runs}: ${(m.wallMs / 1000).toFixed(2)} s wall, ${(m.cpuMs / 1000).toFixed(2)} s CPU, ${(m.maxRssKiB / 1024).toFixed(0)} MiB peak RSS (load ${loadavg()[0].toFixed(1)})\n`);
    }
  }
  const loadAfter = loadavg();
  for (const f of files) rmSync(f.file, { force: true });
  const rows = files.map((f) => ({
    ext: f.ext,
    bytes: f.bytes,
    status: f.measured[0].status,
    wallMs: median(f.measured.map((m) => m.wallMs)),
    cpuMs: median(f.measured.map((m) => m.cpuMs)),
    wallRange: [Math.min(...f.measured.map((m) => m.wallMs)), Math.max(...f.measured.map((m) => m.wallMs))],
    maxRssKiB: Math.max(...f.measured.map((m) => m.maxRssKiB)),
  }));
  const s = (ms) => (ms / 1000).toFixed(2);
  const load = (l) => l.map((x) => x.toFixed(2)).join(" ");
  const lines = [
    "",
    `One-file export of ${size} generated bindings, \`kubecis test -o report FILE\` end to end, ${runs} interleaved run${runs > 1 ? "s per format, medians" : ""} (load average ${load(loadBefore)} before, ${load(loadAfter)} after, ${cpus().length} CPUs):`,
    "",
    "| file | size MiB | exit | wall s (min-max) | CPU s | peak RSS MiB |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| one-big-export.${r.ext} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${r.status} | ${s(r.wallMs)} (${s(r.wallRange[0])}-${s(r.wallRange[1])}) | ${s(r.cpuMs)} | ${(r.maxRssKiB / 1024).toFixed(0)} |`),
  ];
  const json = files.find((f) => f.ext === "json");
  const yaml = files.find((f) => f.ext === "yaml");
  if (json && yaml) {
    const wallRatio = median(yaml.measured.map((m, i) => m.wallMs / json.measured[i].wallMs));
    const cpuRatio = median(yaml.measured.map((m, i) => m.cpuMs / json.measured[i].cpuMs));
    lines.push("", `YAML/JSON, median of the ${runs} interleaved pairs: wall ${wallRatio.toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}×`);
    if (size === TARGET.bindings) {
      const verdicts = [
        ...rows.map((r) => `${r.ext} ${s(r.wallMs)} s (≤ ${TARGET.seconds}): ${r.wallMs <= TARGET.seconds * 1000 ? "met" : "MISSED"}, ${(r.maxRssKiB / 1024).toFixed(0)} MiB (≤ ${TARGET.rssMiB}): ${r.maxRssKiB / 1024 <= TARGET.rssMiB ? "met" : "MISSED"}`),
        `YAML/JSON time ${wallRatio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× CPU (≤ ${TARGET.yamlOverJson}×): ${wallRatio <= TARGET.yamlOverJson ? "met" : "MISSED"} (wall), ${cpuRatio <= TARGET.yamlOverJson ? "met" : "MISSED"} (CPU)`,
      ];
      lines.push(`Targets: ${verdicts.join("; ")}`);
    }
  }
  return lines;
}

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

async function measure(dir) {
  const { loadKubecis } = await import(join(root, "dist/index.js"));
  const { InputCollector } = await import(join(root, "dist/normalizers/index.js"));
  const { inputBytes, readInputPaths } = await import(join(root, "dist/readers/files.js"));
  const { buildTarget } = await import(join(root, "dist/report.js"));
  const kubecis = loadKubecis();
  const laps = {};
  const cpu = {};
  let t = performance.now();
  let c = process.cpuUsage();
  const lap = (name) => {
    const now = performance.now();
    const used = process.cpuUsage(c);
    laps[name] = now - t;
    cpu[name] = (used.user + used.system) / 1000;
    t = now;
    c = process.cpuUsage();
  };
  // As `kubecis test` does (prepareInputs): the engine sizes its memory before the inputs are read.
  kubecis.engine.reserve(inputBytes([dir]));
  lap("reserve");
  const collector = new InputCollector();
  for (const file of readInputPaths(dir, () => Buffer.alloc(0))) collector.add(file);
  lap("parse");
  const documents = collector.finish();
  lap("normalize");
  const snapshot = documents.find((d) => d.kind === "RbacSnapshot");
  const judged = kubecis.engine.evaluate(snapshot);
  lap("evaluate");
  const target = buildTarget(snapshot, judged, kubecis.catalog);
  lap("report");
  process.stdout.write(
    JSON.stringify({
      laps,
      cpu,
      bindings: snapshot.collected.RoleBinding + snapshot.collected.ClusterRoleBinding,
      roles: snapshot.collected.Role + snapshot.collected.ClusterRole,
      inputBytes: JSON.stringify(snapshot).length,
      summary: target.summary,
      maxRssKiB: process.resourceUsage().maxRSS,
    }) + "\n",
  );
}

function slope(points) {
  const xs = points.map((p) => Math.log(p.x));
  const ys = points.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function main() {
  if (process.argv[2] === "--measure") return measure(process.argv[3]);
  const sizesOption = option("--sizes", "1000,10000,100000");
  const sizes = sizesOption === "none" ? [] : sizesOption.split(",").map(Number);
  const seed = Number(option("--seed", "42"));
  const runs = Number(option("--runs", "5"));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${option("--runs")}`);
  const rows = [];
  for (const size of sizes) {
    const dir = join(tmpdir(), "kubecis-rbac-bench", `${size}-${seed}`);
    rmSync(dir, { recursive: true, force: true });
    generate([String(size), dir, "--seed", String(seed)]);
    const files = readdirSync(dir);
    const measured = [];
    for (let run = 0; run < runs; run++) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--measure", dir], {
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
      });
      if (child.status !== 0) {
        process.stderr.write(child.stderr);
        process.exit(1);
      }
      const m = JSON.parse(child.stdout.trim().split("\n").pop());
      const total = m.laps.reserve + m.laps.normalize + m.laps.evaluate;
      const cpuTotal = m.cpu.reserve + m.cpu.normalize + m.cpu.evaluate;
      measured.push({ ...m, total, cpuTotal });
    }
    measured.sort((a, b) => a.total - b.total);
    const median = measured[(measured.length - 1) >> 1];
    const maxRssKiB = Math.max(...measured.map((m) => m.maxRssKiB));
    const fastest = measured[0].total;
    const slowest = measured[measured.length - 1].total;
    rows.push({ size, files: files.length, ...median, maxRssKiB, fastest, slowest });
    process.stderr.write(
      `${size} bindings: ${(median.total / 1000).toFixed(2)} s normalize+evaluate (median of ${runs}; ${(fastest / 1000).toFixed(2)}-${(slowest / 1000).toFixed(2)} s), ${(maxRssKiB / 1024).toFixed(0)} MiB peak RSS\n`,
    );
  }
  const s = (ms) => (ms / 1000).toFixed(2);
  const lines = rows.length === 0 ? [] : [
    `Each row: the run with the median normalize+evaluate time of ${runs} fresh processes (fastest-slowest beside it); peak RSS: the largest of the ${runs}.`,
    "",
    "| bindings (generated) | roles | files | snapshot JSON | reserve s | parse s | normalize s | evaluate s | report s | normalize+evaluate s (with reserve) | fastest-slowest s | (CPU s) | peak RSS MiB |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.bindings} (${r.size}) | ${r.roles} | ${r.files} | ${(r.inputBytes / 2 ** 20).toFixed(1)} MiB | ${s(r.laps.reserve)} | ${s(r.laps.parse)} | ${s(r.laps.normalize)} | ${s(r.laps.evaluate)} | ${s(r.laps.report)} | ${s(r.total)} | ${s(r.fastest)}-${s(r.slowest)} | ${s(r.cpuTotal)} | ${(r.maxRssKiB / 1024).toFixed(0)} |`,
    ),
  ];
  if (rows.length > 1) {
    const exponent = slope(rows.map((r) => ({ x: r.bindings, y: r.total })));
    lines.push("", `Scaling exponent (log-log slope of normalize+evaluate time over bindings): ${exponent.toFixed(2)}`);
    const top = rows.find((r) => r.size === TARGET.bindings);
    if (top) {
      const verdicts = [
        `time ${s(top.total)} s, median of ${runs} (target ≤ ${TARGET.seconds} s): ${top.total <= TARGET.seconds * 1000 ? "met" : "MISSED"}`,
        `peak RSS ${(top.maxRssKiB / 1024).toFixed(0)} MiB (target ≤ ${TARGET.rssMiB}): ${top.maxRssKiB / 1024 <= TARGET.rssMiB ? "met" : "MISSED"}`,
        `exponent ${exponent.toFixed(2)} (target ≤ ${TARGET.exponent}): ${exponent <= TARGET.exponent ? "met" : "MISSED"}`,
      ];
      lines.push(`Targets at ${TARGET.bindings} bindings: ${verdicts.join("; ")}`);
    }
  }
  const single = Number(option("--single", "100000"));
  const singleRuns = Number(option("--single-runs", "3"));
  if (!Number.isInteger(singleRuns) || singleRuns < 1) throw new Error(`--single-runs must be a whole number ≥ 1, got ${option("--single-runs")}`);
  const formats = option("--single-formats", "json,yaml").split(",");
  if (formats.some((f) => f !== "json" && f !== "yaml")) throw new Error(`--single-formats: json and/or yaml, got ${formats.join(",")}`);
  if (single > 0) lines.push(...benchSingleFile(single, seed, singleRuns, formats));
  process.stdout.write(lines.join("\n") + "\n");
}

await main();
