#!/usr/bin/env node
// Correctness gate for RBAC performance work: every verdict and every finding of the RBAC
// controls on fixed datasets, through the public API (testInputs: normalize, evaluate,
// report), with profile seed-2020 (so S40-S42 are judged) and rbac-max-findings 10^7 (so no
// finding is cut). `--save DIR` writes one canonical JSON file per dataset; `--check DIR`
// compares against them and exits 1 naming the first difference. Run --save before a change
// and --check after it.
//
//   node bench/rbac-verdicts.mjs --save /tmp/verdicts-before [--sizes 1000,10000] [--seed 42]
//   node bench/rbac-verdicts.mjs --check /tmp/verdicts-before          (both need `make build`)
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRbac, writeParts } from "./rbac-generate.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

/** JSON with object keys sorted, one result per line (diffable). */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

async function verdictsOf(dir, dataFile) {
  const { testInputs, loadKubecis } = await import(join(root, "dist/index.js"));
  const kubecis = loadKubecis({ profile: "seed-2020", dataFile });
  const report = testInputs([dir], { profile: "seed-2020" }, kubecis);
  const target = report.targets.find((t) => t.kind === "RbacSnapshot" || t.results?.some((r) => r.id?.startsWith("KRB-")));
  if (!target) throw new Error(`${dir}: no RBAC target in the report`);
  const lines = target.results.map((r) => canonical(r));
  return `${canonical({ summary: target.summary, errors: report.errors })}\n${lines.join("\n")}\n`;
}

async function main() {
  const save = option("--save");
  const check = option("--check");
  if (!save === !check) {
    process.stderr.write("usage: rbac-verdicts.mjs --save DIR | --check DIR [--sizes 1000,10000] [--seed 42]\n");
    process.exit(3);
  }
  const sizes = option("--sizes", "1000,10000").split(",").map(Number);
  const seed = Number(option("--seed", "42"));
  const scratch = mkdtempSync(join(tmpdir(), "kubecis-rbac-verdicts-"));
  const dataFile = join(scratch, "params.json");
  writeFileSync(dataFile, JSON.stringify({ params: { "rbac-max-findings": 10_000_000 } }));
  const datasets = [{ name: "bootstrap", dir: join(root, "test", "datasets", "rbac-bootstrap") }];
  for (const size of sizes) {
    const dir = join(tmpdir(), "kubecis-rbac-bench", `${size}-${seed}`);
    writeParts(generateRbac(size, seed), dir);
    datasets.push({ name: `${size}-${seed}`, dir });
  }
  let failed = false;
  for (const { name, dir } of datasets) {
    const text = await verdictsOf(dir, dataFile);
    const file = join(save ?? check, `${name}.jsonl`);
    if (save) {
      mkdirSync(save, { recursive: true });
      writeFileSync(file, text);
      process.stdout.write(`${name}: saved ${text.split("\n").length - 2} results (${(text.length / 1024).toFixed(0)} KiB) to ${file}\n`);
      continue;
    }
    const expected = readFileSync(file, "utf8");
    if (expected === text) {
      process.stdout.write(`${name}: identical (${(text.length / 1024).toFixed(0)} KiB)\n`);
      continue;
    }
    failed = true;
    const a = expected.split("\n");
    const b = text.split("\n");
    const line = a.findIndex((l, i) => l !== b[i]);
    const at = [...(a[line] ?? "")].findIndex((c, i) => c !== (b[line] ?? "")[i]);
    process.stdout.write(
      `${name}: DIFFERENT at line ${line + 1}, char ${at}\n  before: …${(a[line] ?? "").slice(Math.max(0, at - 200), at + 200)}\n  after:  …${(b[line] ?? "").slice(Math.max(0, at - 200), at + 200)}\n`,
    );
  }
  process.exit(failed ? 1 : 0);
}

await main();
