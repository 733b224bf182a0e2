#!/usr/bin/env node
// Before/after proof for refactors, beside bench/report-corpus.mjs (which runs `kubecis test`
// in three formats over the samples, fixtures and generated datasets): every other command and
// the options that change what a run writes. `list`, `explain`, `normalize` (JSON, YAML,
// --live), `scan` of a host root holding a kube-apiserver process, node reports as inputs (a
// fleet directory), --node, --skip, --exceptions, --quiet, --fail-on-warn, --no-fail, --profile,
// --kubernetes-version, standard input and the usage errors, in every -o format. One file per
// command line: stdout, then a line with the exit code (stderr in a file beside it).
//
//   node bench/command-corpus.mjs OUTDIR            (after `make build`)
//   node bench/command-corpus.mjs /tmp/before && ...change, make build... &&
//   node bench/command-corpus.mjs /tmp/after && diff -r /tmp/before /tmp/after
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { recordRuns } from "./record-runs.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = "dist/kubecis.mjs";
const [outArg] = process.argv.slice(2);
if (!outArg) throw new Error("usage: node bench/command-corpus.mjs OUTDIR");
const out = resolve(outArg);

// Generated inputs live inside the repository (gitignored build/ tree), named relative to it.
const gen = "build/out/command-corpus";
const at = (...parts) => join(ROOT, gen, ...parts);
rmSync(at(), { recursive: true, force: true });
const write = (path, text) => {
  mkdirSync(dirname(at(path)), { recursive: true });
  writeFileSync(at(path), text);
};
const S = "samples/kubeadm-v1.33/kube-apiserver.yaml";
const H = "samples/cis-hardened-v1.33/kube-apiserver.yaml";
const P = "samples/kubeadm-v1.19/ps-ef.txt";
write("host/proc/4242/cmdline", ["/usr/local/bin/kube-apiserver", "--anonymous-auth=false", "--profiling=true", "--authorization-mode=Node,RBAC", ""].join("\0"));
mkdirSync(at("host/etc/kubernetes/manifests"), { recursive: true });
copyFileSync(join(ROOT, S), at("host/etc/kubernetes/manifests/kube-apiserver.yaml"));
chmodSync(at("host/etc/kubernetes/manifests/kube-apiserver.yaml"), 0o644); // KAS-0042 reads it: the same in every checkout
mkdirSync(at("empty/proc"), { recursive: true });
write(
  "exceptions.yaml",
  "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: pprof\n    expires: 2999-12-31\n  - controls: [KAS-0001]\n    nodes: [cp-2]\n    reason: only cp-2\n  - controls: [KAS-0002]\n    reason: old\n    expires: 2001-01-01\n",
);
const report = (args) => spawnSync(process.execPath, [CLI, "test", ...args, "-o", "report"], { cwd: ROOT, encoding: "utf8" }).stdout;
write("fleet/cp-1.json", report([S, "--node", "cp-1"]));
write("fleet/cp-2.json", report([H, P]));
write("fleet/kubeconfig.yaml", "apiVersion: v1\nkind: Config\n");
const host = join(gen, "host");
const fleet = join(gen, "fleet");
const exceptions = join(gen, "exceptions.yaml");

/** [name, argv, stdin file?] */
const jobs = [
  ["list", ["list"]],
  ["list-json", ["list", "-o", "json"]],
  ["explain", ["explain", "KAS-0001"]],
  ["explain-lower", ["explain", "kas-0030"]],
  ["explain-unknown", ["explain", "NOPE-1"]],
  ["normalize-none", ["normalize"]],
  ["normalize-live", ["normalize", "--live", "--host-root", host]],
  ["normalize-live-yaml", ["normalize", "--live", "-o", "yaml", "--host-root", host]],
  ["version", ["--version"]],
  ["help", ["--help"]],
  ["help-test", ["test", "--help"]],
  ["status-severity", ["test", "--no-color", S, "--status", "fail,warn", "--severity", "high,critical"]],
  ["status-not-text", ["test", S, "-o", "report", "--status", "fail"]],
  ["profile-unknown", ["test", S, "--profile", "nope"]],
  ["skip-unknown", ["test", S, "--skip", "NOPE"]],
  ["fail-on-warn-no-fail", ["test", S, "--fail-on-warn", "--no-fail"]],
  ["data-invalid", ["test", S, "-d", exceptions]],
  ["size-invalid", ["test", S, "--max-rbac-file-size", "0"]],
  ["missing-file", ["test", "/nonexistent.yaml", S]],
];
for (const input of [S, H, P, "test/inputs/k3s", "test/inputs/systemd", "test/fixtures/rbac", fleet]) {
  const name = input.replaceAll("/", "__");
  jobs.push([`normalize-json.${name}`, ["normalize", input]]);
  jobs.push([`normalize-yaml.${name}`, ["normalize", "-o", "yaml", input]]);
  jobs.push([`normalize-version.${name}`, ["normalize", "--kubernetes-version", "1.27", input]]);
}
for (const o of ["text", "report", "sarif", "json", "tap", "table", "junit", "github", "stdout"]) {
  const gate = (name, args, stdin) => jobs.push([`${name}.${o}`, [...args, "--no-color", "-o", o], stdin]);
  gate("scan", ["scan", "--host-root", host]);
  gate("scan-node-waivers", ["scan", "--host-root", host, "--node", "cp-9", "--exceptions", exceptions, "--skip", "1.2.1"]);
  gate("scan-nothing", ["scan", "--host-root", join(gen, "empty")]);
  gate("fleet", ["test", fleet]);
  gate("fleet-node-waivers", ["test", fleet, S, "--node", "cp-3", "--exceptions", exceptions]);
  gate("node-waivers", ["test", S, H, "--node", "cp-3", "--exceptions", exceptions, "--skip", "KAS-0004"]);
  gate("quiet-clean", ["test", H, "--quiet"]);
  gate("quiet-no-fail", ["test", S, "--quiet", "--no-fail"]);
  gate("fail-on-warn", ["test", H, "--fail-on-warn"]);
  gate("profile-version", ["test", S, "--profile", "cis-1.8", "--kubernetes-version", "1.27"]);
  gate("stdin", ["test", "-"], P);
  gate("stdin-and-file", ["test", "-", H], S);
}

await recordRuns(
  ROOT,
  out,
  jobs.map(([name, argv, stdin]) => ({ name, argv, env: { NO_COLOR: "1" }, ...(stdin ? { stdin: readFileSync(join(ROOT, stdin)) } : {}) })),
);
process.stderr.write(`command-corpus: ${jobs.length} command lines in ${out}\n`);
