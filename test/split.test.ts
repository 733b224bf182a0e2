// A large RbacSnapshot judged on two threads (src/engine/split.ts) gives the verdicts of one
// evaluation of the whole snapshot. Statically, from the policies' syntax trees (`opa parse`):
// the deferred fields are read only by controls that declare them (METADATA custom.reads),
// and those controls read nothing they do not declare, directly or through a library rule.
// Then for real: every RBAC fixture, Kubernetes' bootstrap policy and a generated cluster
// judged both ways through a real helper thread; a helper that cannot load the policy, and
// one whose thread cannot start.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a JavaScript module of the bench, without types
import { generateRbac, writeParts } from "../bench/rbac-generate.mjs";
import { readBundle } from "../src/engine/bundle.js";
import { loadEngine, type Engine } from "../src/engine/opa-wasm.js";
import { apartControls, splitEngine, type SplitOptions } from "../src/engine/split.js";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { packageRoot, wasmBundlePath } from "../src/paths.js";
import { HEADER_FIELDS, RBAC_DEFERRED_FIELDS, type InputDocument } from "../src/types.js";
import { BOOTSTRAP_RBAC, FIXTURES, OPA } from "./helpers.js";

const kubecis = loadKubecis({ profile: "seed-2020" });
const overrides = kubecis.engineOverrides;
const controls = kubecis.catalog.controls;
const apart = apartControls(controls);
const POLICIES = join(packageRoot, "policies");

// ---- what the policies read, from their syntax trees ----

type Term = { type: string; value: unknown };
interface Module {
  package: { path: Term[] };
  imports?: { path: Term; alias?: string }[];
  rules?: { head: { ref?: Term[]; name?: string } }[];
}

function regoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return regoFiles(path);
    return name.endsWith(".rego") && !name.endsWith("_test.rego") ? [path] : [];
  });
}

const parse = (file: string): Module => JSON.parse(execFileSync(OPA, ["parse", "--format", "json", "--json-include", "-comments", file], { encoding: "utf8" }));
const isInput = (t: unknown): boolean => {
  const term = t as Term | undefined;
  if (term?.type === "var") return term.value === "input";
  return term?.type === "ref" && (term.value as Term[]).length === 1 && isInput((term.value as Term[])[0]);
};
const refName = (t: Term): string => (t.value as Term[]).map((p) => String(p.value)).join(".");

/**
 * The input fields a piece of syntax tree reads: input.<field>, input["<field>"] and
 * object.get(input, "<field>", …); "*" for the input whole or a field chosen at run time.
 * `with input as …` sets the input, it does not read it.
 */
function inputReads(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) inputReads(n, out);
    return out;
  }
  if (!node || typeof node !== "object") return out;
  const term = node as Term;
  if (term.type === "ref" && Array.isArray(term.value) && isInput(term.value[0])) {
    const [, field, ...rest] = term.value as Term[];
    out.add(field?.type === "string" ? String(field.value) : "*");
    if (field && field.type !== "string") inputReads(field, out);
    inputReads(rest, out);
    return out;
  }
  if (term.type === "call" && Array.isArray(term.value)) {
    const [fn, first, second, ...rest] = term.value as Term[];
    if (fn?.type === "ref" && refName(fn) === "object.get" && isInput(first) && second?.type === "string") {
      out.add(String(second.value));
      inputReads(rest, out);
      return out;
    }
  }
  if (isInput(term)) {
    out.add("*");
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "with") for (const w of value as { value: unknown }[]) inputReads(w.value, out);
    else inputReads(value, out);
  }
  return out;
}

const modules = new Map(regoFiles(POLICIES).map((file) => [file, parse(file)]));
const packageOf = (m: Module): string => m.package.path.slice(1).map((t) => String(t.value)).join(".");
const ruleName = (rule: { head: { ref?: Term[]; name?: string } }): string => String(rule.head.ref?.[0]?.value ?? rule.head.name);

/** Per library package: its rules that read the input, directly or through another of its rules. */
function inputReadingRules(module: Module): Set<string> {
  const bodies = new Map<string, unknown[]>();
  for (const rule of module.rules ?? []) bodies.set(ruleName(rule), [...(bodies.get(ruleName(rule)) ?? []), rule]);
  // HEADER_FIELDS are kept in every document a control is judged on: reading them is no reading.
  const header = new Set<string>(HEADER_FIELDS);
  const reading = new Set([...bodies].filter(([, rules]) => [...inputReads(rules)].some((f) => !header.has(f))).map(([name]) => name));
  const calls = (rules: unknown[], name: string): boolean => JSON.stringify(rules).includes(`{"type":"var","value":"${name}"}`);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, rules] of bodies) {
      if (!reading.has(name) && [...reading].some((r) => calls(rules, r))) {
        reading.add(name);
        grew = true;
      }
    }
  }
  return reading;
}

describe("what the split relies on (from the policies' syntax trees)", () => {
  it("some control is judged apart, and every deferred field is read by one", () => {
    expect(apart.map((c) => c.id)).toContain("KRB-0003");
    for (const field of RBAC_DEFERRED_FIELDS) expect(apart.some((c) => c.reads!.includes(field)), field).toBe(true);
  });

  it("the analysis sees reads (it is not vacuous)", () => {
    const lib = modules.get(join(POLICIES, "kubecis/lib/rbac/rbac.rego"))!;
    expect(inputReads(lib.rules)).toEqual(new Set(["rules", "rolesByRule", "bindingsByRole", "rulesByResource", "roles", "collected", "inventory", "missingRoles", "assumedRoles"]));
    expect(inputReadingRules(lib)).toContain("grants_holding");
    // main reads `items` only to refuse a raw RBAC List under conftest; no RbacSnapshot has it.
    // It reads the kind through lib.document.kind (total: "" for an input without one).
    expect(inputReads(modules.get(join(POLICIES, "kubecis/main/main.rego"))!.rules)).toEqual(new Set(["kubernetesVersion", "items"]));
  });

  it("no policy reads a deferred field (or the input whole) unless its control declares the field", () => {
    // kubecis.lib.pod reads a raw Pod manifest or List whole: main's conftest path, for those kinds only.
    const rawManifests = join(POLICIES, "kubecis/lib/pod/pod.rego");
    // kubecis.lib.document looks up each required field by name, only where the host has not
    // checked the document (data.kubecis.options.documents): never in a split evaluation; and
    // tests the input's type to name its kind (kind, described), which no field changes.
    const documentShape = join(POLICIES, "kubecis/lib/document/document.rego");
    for (const [file, module] of modules) {
      const read = inputReads(module.rules);
      const owner = controls.find((c) => c.source && join(packageRoot, c.source) === file);
      for (const field of [...RBAC_DEFERRED_FIELDS, "*"]) {
        if (!read.has(field) || (field === "*" && (file === rawManifests || file === documentShape))) continue;
        expect(owner?.reads ?? [], `${relative(packageRoot, file)} reads input.${field}`).toContain(field);
      }
    }
  });

  it("a control judged apart reads only what it declares, and calls no library rule that reads the input", () => {
    for (const control of apart) {
      const file = join(packageRoot, control.source!);
      const module = modules.get(file)!;
      for (const field of inputReads(module.rules)) {
        expect([...HEADER_FIELDS, ...control.reads!], `${control.id} reads input.${field}`).toContain(field);
      }
      for (const imported of module.imports ?? []) {
        const path = refName(imported.path).replace(/^data\./, "");
        const [, library] = [...modules].find(([, m]) => packageOf(m) === path) ?? [];
        expect(library, `${control.id} imports ${path}, which is no library of policies/kubecis/lib`).toBeDefined();
        const reading = inputReadingRules(library!);
        const alias = imported.alias ?? path.split(".").pop()!;
        const used = new Set(
          [...JSON.stringify(module.rules).matchAll(new RegExp(`\\{"type":"var","value":"${alias}"\\},\\{"type":"string","value":"([^"]+)"\\}`, "g"))].map((m) => m[1]!),
        );
        expect(used.size, `${control.id} uses ${path}`).toBeGreaterThan(0);
        for (const rule of used) expect(reading.has(rule), `${control.id} calls ${path}.${rule}, which reads the input`).toBe(false);
      }
    }
  });
});

// ---- the same verdicts, through a real helper thread ----

describe("judged on two threads, the verdicts of one evaluation", () => {
  const bundle = readBundle(wasmBundlePath);
  const whole = loadEngine(bundle, overrides);
  const splits: string[] = [];
  const splitting = (options: SplitOptions = {}): Engine => {
    const engine = splitEngine(loadEngine(bundle, overrides), controls, { bundlePath: wasmBundlePath, overrides }, {
      fromInputBytes: 0,
      onSplit: (how) => splits.push(how),
      awaitHelperMs: 60_000,
      ...options,
    });
    engine.reserve(0);
    return engine;
  };
  const split = splitting();

  const generated = mkdtempSync(join(tmpdir(), "kubecis-split-"));
  afterAll(() => rmSync(generated, { recursive: true, force: true }));
  writeParts(generateRbac(2000, 7), generated);
  const snapshotOf = (path: string): InputDocument | undefined => normalizeInputs([path]).documents.find((d) => d.kind === "RbacSnapshot");
  const root = join(FIXTURES, "rbac");
  const fixtures = readdirSync(root).flatMap((check) =>
    readdirSync(join(root, check)).flatMap((status) => readdirSync(join(root, check, status)).map((name) => join(root, check, status, name))),
  );
  // Fixtures that are input errors (judged in fixtures.test.ts) give no snapshot.
  const cases = [BOOTSTRAP_RBAC, ...fixtures, generated].filter((path) => snapshotOf(path) !== undefined);
  const judge = (engine: Engine, path: string): string => JSON.stringify(engine.evaluate(snapshotOf(path)!));

  it.each(cases.map((path) => [relative(packageRoot, path).replace(/^\.\.\/.*kubecis-split-\w+$/, "a generated cluster of 2,000 bindings"), path]))(
    "%s",
    (_, path) => {
      const before = splits.length;
      const expected = judge(whole, path);
      expect(judge(split, path)).toBe(expected);
      expect(splits.slice(before)).toEqual(["helper"]);
    },
  );

  it("judges real redundancy there (the controls judged apart are exercised, not vacuous)", () => {
    const report = JSON.parse(judge(split, generated)) as { results: { id: string; status: string; evidence: { total: number } }[] };
    const krb3 = report.results.find((r) => r.id === "KRB-0003")!;
    expect(krb3.status).toBe("fail");
    expect(krb3.evidence.total).toBeGreaterThan(0);
  });

  it("a helper that cannot load the policy leaves its share to this thread", () => {
    const engine = splitEngine(loadEngine(bundle, overrides), controls, { bundlePath: join(generated, "no-such-bundle.tar.gz"), overrides }, {
      fromInputBytes: 0,
      onSplit: (how) => splits.push(how),
      awaitHelperMs: 60_000,
    });
    engine.reserve(0);
    const before = splits.length;
    expect(judge(engine, generated)).toBe(judge(whole, generated));
    expect(splits.slice(before)).toEqual(["fallback"]);
  });

  it("a helper thread that cannot start leaves its share to this thread", () => {
    const engine = splitting({ helperScript: join(generated, "no-such-worker.js"), awaitHelperMs: 300 });
    const before = splits.length;
    expect(judge(engine, generated)).toBe(judge(whole, generated));
    expect(splits.slice(before)).toEqual(["fallback"]);
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
