// The installed `kubecis` command as one file (dist/kubecis.mjs, package.json "bin"): the CLI
// and its dependencies (commander, the WASM SDK) bundled by esbuild, so that a one-file run
// does not resolve and load some 80 modules, a large part of a one-file run's start. dist/
// keeps the modules tsc writes: the library API, and the helper thread of
// src/engine/helper.ts, which loads dist/engine/helper-worker.js.
// The `yaml` package stays outside: src/readers/yaml.ts loads it only for YAML its fast path
// declines (and `normalize -o yaml`).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/index.ts"],
  outfile: "dist/kubecis.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Bundled CommonJS (the SDK) calls require(); in an ES module it needs one.
  banner: { js: 'import { createRequire as kubecisCreateRequire } from "node:module";\nconst require = kubecisCreateRequire(import.meta.url);' },
  logLevel: "warning",
});
