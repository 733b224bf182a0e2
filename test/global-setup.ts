// Tests run against the built artifacts; say how to get them instead of failing obscurely,
// and refuse artifacts older than the sources they are built from (a `npx vitest` after an
// edit would otherwise test the previous build: the CLI and worker tests run dist/, the
// policy tests the bundle).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { catalogPath, hostDataPath, packageRoot, wasmBundlePath } from "../src/paths.js";

/** The newest file under dir whose name passes `take`, with its modification time. */
function newest(dir: string, take: (name: string) => boolean): { path: string; mtimeMs: number } | undefined {
  let found: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newest(path, take) : take(entry.name) ? { path, mtimeMs: statSync(path).mtimeMs } : undefined;
    if (candidate && (!found || candidate.mtimeMs > found.mtimeMs)) found = candidate;
  }
  return found;
}

export default function setup(): void {
  const code = ["dist/cli/index.js", "dist/kubecis.mjs", "dist/engine/pool-worker.js"].map((p) => join(packageRoot, p));
  const bundle = [wasmBundlePath, catalogPath, hostDataPath];
  for (const path of [...bundle, ...code]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`make build\` (or \`make test\`) first`);
  }
  const stale = (artifacts: string[], source: { path: string; mtimeMs: number } | undefined): void => {
    const oldest = Math.min(...artifacts.map((path) => statSync(path).mtimeMs));
    if (source && source.mtimeMs > oldest) {
      throw new Error(`${source.path} is newer than the build: run \`make build\` (or \`make test\`) first`);
    }
  };
  stale(code, newest(join(packageRoot, "src"), (name) => name.endsWith(".ts") && !name.endsWith(".test.ts")));
  stale(bundle, newest(join(packageRoot, "policies"), (name) => !name.endsWith("_test.rego")));
}
