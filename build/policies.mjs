#!/usr/bin/env node
// Build steps for the policy bundle, called by the Makefile (one sub-command per artifact):
//   capabilities  build/out/capabilities.json  OPA's capabilities filtered to WASM-safe builtins
//   wasm          build/out/bundle.wasm.tar.gz policy.wasm + data.json + .manifest (TypeScript host)
//   rego          build/out/bundle.rego.tar.gz the same policies as a Rego bundle (OPA, conftest)
//   catalog       build/out/catalog.json       one entry per control, from METADATA annotations
//   host-data     build/out/host-data.json     the policy data the TypeScript host needs too (flag table, RBAC facts)
//                                              as JSON, so the normalizer loads it without a YAML parse
// The opa binary comes from KUBECIS_OPA (set by the Makefile) or `opa` on PATH;
// KUBECIS_POLICIES and KUBECIS_OUT override the policy and output directories (used by tests).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const opa = process.env.KUBECIS_OPA || "opa";
const policies = resolve(process.env.KUBECIS_POLICIES || join(root, "policies"));
const out = resolve(process.env.KUBECIS_OUT || join(root, "build", "out"));
const capabilitiesFile = join(out, "capabilities.json");
const allowList = JSON.parse(readFileSync(join(root, "build", "wasm-builtins.json"), "utf8"));
const ENTRYPOINT = "kubecis/main/report";
const REVISION = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

function fail(message) {
  process.stderr.write(`kubecis build: ${message}\n`);
  process.exit(1);
}

function runOpa(args) {
  const run = spawnSync(opa, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) fail(`cannot run ${opa}: ${run.error.message} (run \`make tools\`)`);
  return run;
}

function buildCapabilities() {
  const run = runOpa(["capabilities", "--current"]);
  if (run.status !== 0) fail(run.stderr);
  const current = JSON.parse(run.stdout);
  const allowed = new Set([...allowList.native, ...allowList.sdk, ...allowList.compile_time]);
  const builtins = current.builtins.filter((b) => allowed.has(b.name));
  const known = new Set(current.builtins.map((b) => b.name));
  const missing = [...allowed].filter((name) => !known.has(name));
  if (missing.length > 0) fail(`build/wasm-builtins.json names builtins this opa does not have: ${missing.join(", ")}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(capabilitiesFile, JSON.stringify({ ...current, builtins }, null, 2) + "\n");
}

// OPA reports a builtin that the capabilities leave out as "undefined function NAME".
// Say why, so the author knows it is the WASM guard and not a typo.
function explainBuildFailure(stderr) {
  const names = [...stderr.matchAll(/undefined function ([\w.]+)/g)].map((m) => m[1]);
  if (names.length === 0) return stderr;
  const list = [...new Set(names)].join(", ");
  return (
    `${stderr.trimEnd()}\n\n` +
    `policy uses builtin(s) not available to the WASM runtime: ${list}.\n` +
    `kubecis compiles policies to WebAssembly; only the builtins listed in build/wasm-builtins.json ` +
    `(implemented natively by OPA's WASM compiler or by @open-policy-agent/opa-wasm) may be used.`
  );
}

function buildBundle(target) {
  mkdirSync(out, { recursive: true });
  const output = join(out, `bundle.${target}.tar.gz`);
  // -b: the policy directory is a bundle; its .manifest declares the roots, so callers can
  // supply data.kubecis.options beside it.
  const args = ["build", "-b", "-t", target, "--capabilities", capabilitiesFile, "--ignore", "*_test.rego", "-r", REVISION, "-o", output];
  if (target === "wasm") args.push("-e", ENTRYPOINT);
  // Build from inside the policy directory so bundle paths do not carry the checkout's name.
  const run = spawnSync(opa, [...args, "."], { cwd: policies, encoding: "utf8" });
  if (run.error) fail(`cannot run ${opa}: ${run.error.message} (run \`make tools\`)`);
  if (run.status !== 0) fail(explainBuildFailure(`${run.stdout}${run.stderr}`));
}

function buildCatalog() {
  // Inspect the shipped Rego bundle (tests excluded, roots applied), not the source tree.
  const run = runOpa(["inspect", "-a", "-f", "json", join(out, "bundle.rego.tar.gz")]);
  if (run.status !== 0) fail(run.stderr);
  const inspected = JSON.parse(run.stdout);
  const controls = [];
  for (const entry of inspected.annotations ?? []) {
    const a = entry.annotations ?? {};
    if (a.scope !== "package" || !a.custom?.id) continue;
    const path = entry.path.map((t) => t.value).slice(1); // drop "data"
    if (path[0] !== "kubecis" || path[1] !== "checks") continue;
    const location = entry.location?.file ? `policies/${entry.location.file.replace(/^\/+/, "")}` : undefined;
    controls.push({
      id: a.custom.id,
      title: a.title,
      description: a.description,
      severity: a.custom.severity,
      component: path[2],
      package: path.join("."),
      frameworks: a.custom.frameworks ?? {},
      remediation: a.custom.remediation,
      ...(a.custom.flags ? { flags: a.custom.flags } : {}),
      ...(a.custom.parameters ? { parameters: a.custom.parameters } : {}),
      ...(a.custom.reads ? { reads: a.custom.reads } : {}),
      source: location,
    });
  }
  controls.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const ids = new Set();
  for (const c of controls) {
    if (ids.has(c.id)) fail(`duplicate control id ${c.id}`);
    ids.add(c.id);
    for (const field of ["title", "description", "severity", "remediation"]) {
      if (!c[field]) fail(`${c.package} (${c.id}): METADATA lacks ${field === "title" || field === "description" ? field : "custom." + field}`);
    }
    if (c.reads !== undefined) checkReads(c);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "catalog.json"), JSON.stringify({ revision: REVISION, controls }, null, 2) + "\n");
}

// custom.reads names fields of the component's input document (its JSON schema's properties):
// a misspelt field would silently leave the control without what it reads (src/engine/split.ts).
const SCHEMAS = { apiserver: "apiserverconfig.schema.json", rbac: "rbacsnapshot.schema.json" };
function checkReads(c) {
  const where = `${c.package} (${c.id}): METADATA custom.reads`;
  if (!Array.isArray(c.reads) || !c.reads.every((f) => typeof f === "string")) fail(`${where} must be a list of field names`);
  const schema = SCHEMAS[c.component];
  if (!schema) fail(`${where}: no input schema is known for component ${c.component}`);
  const properties = JSON.parse(readFileSync(join(root, "schemas", schema), "utf8")).properties ?? {};
  for (const field of c.reads) if (!(field in properties)) fail(`${where}: ${field} is not a field of schemas/${schema}`);
}

// The policy data the host needs as well, copied from the built bundle's data.json so both
// sides read the very same values: the kube-apiserver flag table (data.kubecis.flags; the
// normalizer parses argv with it) and data.kubecis.rbac (the RBAC normalizer pre-joins with
// it). One small JSON file: parsing the YAML sources or reading the bundle on every cold
// start cost about a quarter of a one-file run.
function buildHostData() {
  const bundle = join(out, "bundle.wasm.tar.gz");
  // opa build writes member names with a leading "/".
  const extract = spawnSync("tar", ["-xzOf", bundle, "/data.json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (extract.status !== 0) fail(`cannot read data.json from ${bundle}: ${extract.stderr}`);
  const data = JSON.parse(extract.stdout);
  const kubecis = data?.kubecis ?? {};
  if (!kubecis.flags || typeof kubecis.flags !== "object") fail(`${bundle}: data.kubecis.flags is missing`);
  for (const list of ["vendor_labels", "vendor_name_prefixes", "bootstrap_cluster_roles"]) {
    if (!Array.isArray(kubecis.rbac?.[list])) fail(`${bundle}: data.kubecis.rbac.${list} is missing`);
  }
  const scoped = kubecis.rbac?.cluster_scoped;
  if (!scoped || typeof scoped !== "object" || Array.isArray(scoped)) fail(`${bundle}: data.kubecis.rbac.cluster_scoped is missing`);
  mkdirSync(out, { recursive: true });
  // admission and features: plugin and gate names are version evidence too (src/normalizers/version.ts).
  writeFileSync(join(out, "host-data.json"), JSON.stringify({ flags: kubecis.flags, rbac: kubecis.rbac, admission: kubecis.admission, features: kubecis.features }) + "\n");
}

const step = process.argv[2];
switch (step) {
  case "capabilities": buildCapabilities(); break;
  case "wasm": buildBundle("wasm"); break;
  case "rego": buildBundle("rego"); break;
  case "catalog": buildCatalog(); break;
  case "host-data": buildHostData(); break;
  default: fail(`unknown step ${step ?? "(none)"}; expected capabilities, wasm, rego, catalog or host-data`);
}
