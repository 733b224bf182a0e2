#!/usr/bin/env node
// Ablation for the engine's large-input path (src/engine/opa-wasm.ts): first evaluation of one
// large ApiServerConfig document (the kubeadm sample padded with diagnostics) by the raw SDK
//   default  an instance with the SDK's default memory (5 pages), grown by the runtime as it parses
//   initial  an instance created with its memory sized for the input (what the engine does ≥ 2 MiB)
//   grow     the default instance, its memory grown from JS before evaluating
// Each case runs in its own process.  Usage: node bench/memory-ablation.mjs [MB ...] (default 4 16)
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const [mode, mbArg] = process.argv.slice(2);
if (["default", "initial", "grow"].includes(mode)) {
  const { default: sdk } = await import("@open-policy-agent/opa-wasm");
  const api = await import("../dist/index.js");
  const { readBundle } = await import("../dist/engine/bundle.js");
  const { wasmBundlePath } = await import("../dist/paths.js");
  const bundle = readBundle(wasmBundlePath);
  const [doc] = api.normalizeInputs([fileURLToPath(new URL("../samples/kubeadm-v1.33/kube-apiserver.yaml", import.meta.url))]).documents;
  const diag = { code: "unknown-flag", message: "unknown flag --padding: added to make the input large", flag: "padding", origin: { file: "/etc/kubernetes/manifests/kube-apiserver.yaml", line: 10, argIndex: 3 } };
  doc.diagnostics = Array.from({ length: Math.round((Number(mbArg) * 1e6) / JSON.stringify(diag).length) }, () => ({ ...diag }));
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  const pages = Math.ceil((bytes.length * 13) / 65536);
  const policy = mode === "initial" ? sdk.loadPolicySync(bundle.wasm, { initial: pages }) : sdk.loadPolicySync(bundle.wasm);
  policy.setData(bundle.data);
  if (mode === "grow") policy.mem.grow(pages);
  const start = performance.now();
  policy.evaluate(bytes.buffer, "kubecis/main/report");
  process.stdout.write(`| ${mbArg} MB | ${mode} | ${(performance.now() - start).toFixed(0)} | ${policy.mem.buffer.byteLength / 65536} |\n`);
} else {
  const sizes = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["4", "16"];
  process.stdout.write("| input | memory | first evaluate ms | pages after |\n|---|---|---:|---:|\n");
  for (const mb of sizes) {
    for (const m of ["default", "initial", "grow"]) {
      spawnSync(process.execPath, [fileURLToPath(import.meta.url), m, mb], { stdio: "inherit" });
    }
  }
}
