// `kubecis bundle DIR`: the policy bundles for OPA and conftest users, as shipped with this
// kubecis: bundle.rego.tar.gz (opa run -b / opa eval -b), bundle.wasm.tar.gz (policy.wasm,
// entrypoint kubecis/main/report) and policy/, the Rego bundle unpacked (conftest --policy DIR/policy
// --data DIR/policy/data.json). Each bundle carries a .manifest with revision and roots.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import { PolicyError } from "./errors.js";
import { readTarGz } from "./engine/bundle.js";
import { regoBundlePath, wasmBundlePath } from "./paths.js";

/** Writes the bundles into `dir`; returns the paths written. */
export function writeBundles(dir: string): string[] {
  const written: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (const source of [regoBundlePath, wasmBundlePath]) {
    const target = join(dir, source.split(sep).pop()!);
    try {
      copyFileSync(source, target);
    } catch (error) {
      throw new PolicyError(`cannot copy policy bundle ${source}: ${(error as Error).message} (run \`make build\`)`);
    }
    written.push(target);
  }
  const files = readTarGz(readFileSync(regoBundlePath));
  const unpacked = join(dir, "policy");
  for (const [name, bytes] of files) {
    const path = normalize(join(unpacked, name));
    if (!path.startsWith(unpacked + sep)) throw new PolicyError(`policy bundle entry ${name} points outside the bundle`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  written.push(unpacked + sep);
  return written;
}
