// The floor (bench/floor/*.ts, entry point floor.ts): the 44 API-server checks hand-written in
// TypeScript, compiled by tsc (bench/floor/tsconfig.json) into .bench/floor/, which git ignores. `make
// bench` compiles it; this module compiles it too when the output is missing or older than
// the source, so that it can be used on its own:
//
//   node bench/floor.mjs FILE...     judge manifests, ps lines or ApiServerConfig JSON
//                                    documents (kubecis's readers and normalizer in front)
//                                    and print each report as JSON, one per line
//
// As a module: `const floor = await loadFloor(options)` gives `floor.judge(doc)`, with the
// bundle's data (build/out/bundle.wasm.tar.gz) and the catalogue (build/out/catalog.json)
// that `make build` wrote; options are data.kubecis.options ({profile, params}).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "bench/floor");
const OUTPUT = join(ROOT, ".bench/floor/floor.js");

/** Compiles bench/floor/*.ts when .bench/floor/floor.js is missing or stale. */
export function compileFloor({ force = false } = {}) {
  const newest = Math.max(...readdirSync(SOURCE).map((f) => statSync(join(SOURCE, f)).mtimeMs));
  if (!force && existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= newest) return;
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(SOURCE, "tsconfig.json")], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`compiling the floor failed:\n${r.stdout}${r.stderr}`);
}

export async function loadFloor(options = {}) {
  compileFloor();
  const floor = await import(pathToFileURL(OUTPUT).href);
  const { readBundle } = await import("../dist/engine/bundle.js");
  const { wasmBundlePath, catalogPath } = await import("../dist/paths.js");
  const data = structuredClone(readBundle(wasmBundlePath).data.kubecis);
  if (Object.keys(options).length > 0) data.options = options;
  const catalog = JSON.parse(readFileSync(catalogPath, "utf8"));
  const facts = floor.prepare(data, catalog);
  return { checks: floor.FLOOR_CHECKS, catalog, judge: (doc) => floor.judge(doc, facts) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write("usage: node bench/floor.mjs FILE...\n");
    process.exit(2);
  }
  const { normalizeInputs } = await import("../dist/index.js");
  const floor = await loadFloor();
  const { documents, errors } = normalizeInputs(files);
  for (const e of errors) process.stderr.write(`${e.message}\n`);
  for (const doc of documents) process.stdout.write(`${JSON.stringify(floor.judge(doc))}\n`);
  process.exit(errors.length > 0 ? 1 : 0);
}
