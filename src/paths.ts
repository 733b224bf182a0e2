// Locations of the files kubecis ships beside its code. Resolved from this module, so
// they work from src/ (tests) and from dist/ (the installed CLI) alike.
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);

export const packageRoot = fileURLToPath(root);
export const wasmBundlePath = fileURLToPath(new URL("build/out/bundle.wasm.tar.gz", root));
export const regoBundlePath = fileURLToPath(new URL("build/out/bundle.rego.tar.gz", root));
export const catalogPath = fileURLToPath(new URL("build/out/catalog.json", root));
/** The flag table (policies/kubecis/flags/data.yaml) as JSON, written by `make build`. */
export const hostDataPath = fileURLToPath(new URL("build/out/host-data.json", root));
export const packageJsonPath = fileURLToPath(new URL("package.json", root));
/** The helper thread of src/engine/helper.ts (compiled; the bundled CLI, dist/kubecis.mjs, starts it too). */
export const helperWorkerPath = fileURLToPath(new URL("dist/engine/helper-worker.js", root));
