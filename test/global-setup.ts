// Tests run against the built artifacts; say how to get them instead of failing obscurely,
// and refuse artifacts older than the sources they are built from (a `npx vitest` after an
// edit would otherwise test the previous build: the CLI and worker tests run dist/, the
// policy tests the bundle). The sources are the Makefile's: src/**/*.ts (TS_SOURCES) and the
// policies' .rego, .yaml, .json and .manifest files (POLICY_SOURCES), regular files only, so
// an editor's swap or lock file is not a source. Tests do not count: `make build` rebuilds for
// them, and a changed test needs no new build. Any source edit, even for a unit test that
// imports src/ directly, means `make build` first (it rebuilds only what changed).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { catalogPath, hostDataPath, packageRoot, wasmBundlePath } from "../src/paths.js";

interface Newest {
  path: string;
  mtimeMs: number;
}

/** The newest regular file under dir whose name passes `take` (names starting with "." are skipped, as editors' files). */
function newest(dir: string, take: (name: string) => boolean): Newest | undefined {
  let found: Newest | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") && entry.name !== ".manifest") continue;
    const path = join(dir, entry.name);
    let candidate: Newest | undefined;
    if (entry.isDirectory()) candidate = newest(path, take);
    else if (entry.isFile() && take(entry.name)) candidate = { path, mtimeMs: statSync(path).mtimeMs };
    if (candidate && (!found || candidate.mtimeMs > found.mtimeMs)) found = candidate;
  }
  return found;
}

export default function setup(): void {
  const code = ["dist/cli/index.js", "dist/kubecis.mjs", "dist/engine/helper-worker.js"].map((p) => join(packageRoot, p));
  const bundle = [wasmBundlePath, catalogPath, hostDataPath];
  for (const path of [...bundle, ...code]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`make build\` (or \`make test\`) first`);
  }
  const stale = (artifacts: string[], source: Newest | undefined): void => {
    const oldest = Math.min(...artifacts.map((path) => statSync(path).mtimeMs));
    if (source && source.mtimeMs > oldest) {
      throw new Error(`${source.path} is newer than the build: run \`make build\` (or \`make test\`) first`);
    }
  };
  stale(code, newest(join(packageRoot, "src"), (name) => name.endsWith(".ts") && !name.endsWith(".test.ts")));
  stale(bundle, newest(join(packageRoot, "policies"), (name) => (/\.(rego|yaml|json)$/.test(name) && !name.endsWith("_test.rego")) || name === ".manifest"));
}
