// Tests run against the built artifacts; say how to get them instead of failing obscurely.
import { existsSync } from "node:fs";
import { catalogPath, hostDataPath, wasmBundlePath } from "../src/paths.js";

export default function setup(): void {
  for (const path of [wasmBundlePath, catalogPath, hostDataPath, "dist/cli/index.js", "dist/kubecis.mjs"]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`make build\` (or \`make test\`) first`);
  }
}
