// A large RbacSnapshot judged on two threads (src/engine/split.ts) gives the verdicts of one
// evaluation of the whole snapshot. Statically: the deferred fields are read only by controls
// that declare them (METADATA custom.reads), and those controls read nothing they do not
// declare. Then for real: every RBAC fixture, Kubernetes' bootstrap policy and a generated
// cluster judged both ways, through a real helper thread; and a helper that cannot load.
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a JavaScript module of the bench, without types
import { generateRbac, writeParts } from "../bench/rbac-generate.mjs";
import { loadEngine, type Engine } from "../src/engine/opa-wasm.js";
import { readBundle } from "../src/engine/bundle.js";
import { splitEngine } from "../src/engine/split.js";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { packageRoot, wasmBundlePath } from "../src/paths.js";
import { RBAC_DEFERRED_FIELDS, type Control, type InputDocument } from "../src/types.js";
import { BOOTSTRAP_RBAC, FIXTURES } from "./helpers.js";

const kubecis = loadKubecis({ profile: "seed-2020" });
const overrides = kubecis.engineOverrides;
const controls = kubecis.catalog.controls;
const apart = controls.filter((c) => c.reads?.some((f) => (RBAC_DEFERRED_FIELDS as readonly string[]).includes(f)));
const HEADER = new Set(["apiVersion", "kind", "metadata", "kubernetesVersion"]);

function regoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return regoFiles(path);
    return name.endsWith(".rego") && !name.endsWith("_test.rego") ? [path] : [];
  });
}

/** The input fields a Rego source reads: input.<field> and input["<field>"]. */
function inputFields(source: string): Set<string> {
  const code = source.replace(/#.*$/gm, "");
  const fields = new Set<string>();
  for (const m of code.matchAll(/\binput\.([A-Za-z_][A-Za-z0-9_]*)/g)) fields.add(m[1]!);
  for (const m of code.matchAll(/\binput\[\s*"([^"]+)"\s*\]/g)) fields.add(m[1]!);
  if (/object\.get\(\s*input\b|\binput\s*\[\s*[a-z_]/.test(code)) fields.add("*"); // a field chosen at run time
  return fields;
}

const sourceOf = (control: Control): string => readFileSync(join(packageRoot, control.source!), "utf8");

describe("what the split relies on (static)", () => {
  const files = regoFiles(join(packageRoot, "policies"));

  it("some control is judged apart, and every deferred field is read by one", () => {
    expect(apart.map((c) => c.id)).toContain("KRB-0003");
    for (const field of RBAC_DEFERRED_FIELDS) expect(apart.some((c) => c.reads!.includes(field)), field).toBe(true);
  });

  it("no policy reads a deferred field unless its control declares it", () => {
    for (const file of files) {
      const read = inputFields(readFileSync(file, "utf8"));
      for (const field of RBAC_DEFERRED_FIELDS) {
        if (!read.has(field)) continue;
        const owner = controls.find((c) => c.source && join(packageRoot, c.source) === file);
        expect(owner?.reads ?? [], `${relative(packageRoot, file)} reads input.${field}`).toContain(field);
      }
    }
  });

  it("a control judged apart reads only what it declares, and calls no library rule that reads the input", () => {
    const lib = readFileSync(join(packageRoot, "policies/lib/rbac/rbac.rego"), "utf8");
    // Top-level rules of lib.rbac whose body reads the input (directly or through another such rule).
    const blocks = new Map<string, string>(); // rule name → the text of all its definitions
    for (const block of lib.split(/\n(?=[a-z_])/)) {
      const name = /^([a-z_][a-z0-9_]*)/.exec(block)?.[1] ?? ""; // "": the preamble
      blocks.set(name, (blocks.get(name) ?? "") + block);
    }
    const readsInput = new Set([...blocks].filter(([, body]) => inputFields(body).size > 0).map(([name]) => name));
    for (let grew = true; grew; ) {
      grew = false;
      for (const [name, body] of blocks) {
        if (!readsInput.has(name) && [...readsInput].some((r) => new RegExp(`\\b${r}\\(`).test(body))) {
          readsInput.add(name);
          grew = true;
        }
      }
    }
    expect(readsInput).toContain("grants_holding");
    for (const control of apart) {
      const source = sourceOf(control);
      const read = inputFields(source);
      expect(read.has("*"), `${control.id} reads a field chosen at run time`).toBe(false);
      for (const field of read) expect([...HEADER, ...control.reads!], `${control.id} reads input.${field}`).toContain(field);
      for (const m of source.matchAll(/\brbac\.([a-z_][a-z0-9_]*)/g)) {
        expect(readsInput.has(m[1]!), `${control.id} calls lib.rbac.${m[1]}, which reads the input`).toBe(false);
      }
      expect(source).not.toMatch(/import data\.lib\.(pod|flags|admission|authorization|files)\b/);
    }
  });
});

describe("judged on two threads, the verdicts of one evaluation", () => {
  const bundle = readBundle(wasmBundlePath);
  const whole = loadEngine(bundle, overrides);
  const split = splitEngine(loadEngine(bundle, overrides), controls, { bundlePath: wasmBundlePath, overrides }, { fromInputBytes: 0 });
  split.reserve(0); // starts the helper thread

  const rbacDirs = [BOOTSTRAP_RBAC, ...fixtureCases()];
  function fixtureCases(): string[] {
    const root = join(FIXTURES, "rbac");
    return readdirSync(root).flatMap((check) =>
      readdirSync(join(root, check)).flatMap((status) => readdirSync(join(root, check, status)).map((name) => join(root, check, status, name))),
    );
  }
  const generated = mkdtempSync(join(tmpdir(), "kubecis-split-"));
  writeParts(generateRbac(2000, 7), generated);
  const snapshotOf = (path: string): InputDocument | undefined => normalizeInputs([path]).documents.find((d) => d.kind === "RbacSnapshot");
  const judge = (engine: Engine, path: string) => engine.evaluate(snapshotOf(path)!);

  it.each([...rbacDirs.map((path) => relative(packageRoot, path)), "a generated cluster of 2,000 bindings"])("%s", (name) => {
    const path = name.startsWith("a generated") ? generated : join(packageRoot, name);
    if (!snapshotOf(path)) return; // a fixture that is an input error (judged in fixtures.test.ts)
    const expected = judge(whole, path);
    const got = judge(split, path);
    expect(got).toEqual(expected);
    expect(got.results.length).toBeGreaterThan(0);
  });

  it("the generated cluster has redundant grants to judge (the split is exercised, not vacuous)", () => {
    const report = judge(split, generated);
    const krb3 = report.results.find((r) => r.id === "KRB-0003");
    expect(krb3?.status).toBe("fail");
    expect((krb3?.evidence as { total: number }).total).toBeGreaterThan(0);
  });

  it("a helper thread that cannot load the policy leaves the judging to this thread", () => {
    const broken = splitEngine(loadEngine(bundle, overrides), controls, { bundlePath: join(generated, "no-such-bundle.tar.gz"), overrides }, { fromInputBytes: 0 });
    broken.reserve(0);
    expect(judge(broken, generated)).toEqual(judge(whole, generated));
    // Later documents are evaluated whole, in this thread.
    expect(judge(broken, BOOTSTRAP_RBAC)).toEqual(judge(whole, BOOTSTRAP_RBAC));
  });
});

describe("the deferred fields of a snapshot", () => {
  it("are computed on first read and serialized like any field, last", () => {
    const snapshot = normalizeInputs([BOOTSTRAP_RBAC]).documents.find((d) => d.kind === "RbacSnapshot")!;
    const keys = Object.keys(snapshot);
    expect(keys.slice(-RBAC_DEFERRED_FIELDS.length)).toEqual([...RBAC_DEFERRED_FIELDS]);
    const parsed = JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
    for (const field of RBAC_DEFERRED_FIELDS) {
      expect(parsed[field]).toEqual((snapshot as unknown as Record<string, unknown>)[field]);
      expect(typeof parsed[field]).toBe("object");
    }
  });
});
