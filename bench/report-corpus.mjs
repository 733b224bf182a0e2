#!/usr/bin/env node
// Before/after proof for refactors that must not change what users see: runs the built CLI
// (dist/kubecis.mjs, as `make build` leaves it) on every file of samples/ and test/fixtures/,
// on those directories whole, on 200 generated manifests (bench/generate.mjs) and on generated
// RBAC exports (bench/rbac-generate.mjs, 1k and 10k bindings), in the text, report and sarif
// formats, and writes one file per input x format: stdout, then a line with the exit code
// (stderr in a file beside it). Paths are relative to the repository, so two worktrees compare.
//
//   node bench/report-corpus.mjs OUTDIR            (after `make build`)
//   node bench/report-corpus.mjs /tmp/before && ...change, make build... &&
//   node bench/report-corpus.mjs /tmp/after && diff -r /tmp/before /tmp/after
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateManifest } from "./generate.mjs";
import { recordRuns } from "./record-runs.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FORMATS = ["text", "report", "sarif"];
const [outArg] = process.argv.slice(2);
if (!outArg) throw new Error("usage: node bench/report-corpus.mjs OUTDIR");
const out = resolve(outArg);

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

// Generated inputs live inside the repository (gitignored build/ tree) so their paths are the
// same in every worktree.
const gen = join(ROOT, "build", "out", "report-corpus");
rmSync(gen, { recursive: true, force: true });
mkdirSync(join(gen, "manifests"), { recursive: true });
for (let i = 0; i < 200; i++) writeFileSync(join(gen, "manifests", `m${String(i).padStart(3, "0")}.yaml`), generateManifest(7, i));
for (const n of [1000, 10000]) {
  execFileSync(process.execPath, [join(ROOT, "bench", "rbac-generate.mjs"), String(n), join(gen, `rbac-${n}`)], { stdio: "ignore" });
}

const rel = (p) => relative(ROOT, p);
const inputs = [
  ...[...walk(join(ROOT, "samples")), ...walk(join(ROOT, "test", "fixtures"))].map(rel),
  "samples",
  join("test", "fixtures", "apiserver"),
  join("test", "fixtures", "rbac"),
  ...["manifests", "rbac-1000", "rbac-10000"].map((d) => rel(join(gen, d))),
];
const jobs = inputs.flatMap((input) => FORMATS.map((format) => ({ input, format })));

await recordRuns(
  ROOT,
  out,
  jobs.map(({ input, format }) => ({ name: `${input.replaceAll("/", "__")}.${format}`, argv: ["test", "--no-color", "-o", format, input] })),
);
process.stderr.write(`report-corpus: ${jobs.length} outputs (${inputs.length} inputs x ${FORMATS.join(", ")}) in ${out}\n`);
