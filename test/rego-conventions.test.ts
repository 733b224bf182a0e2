// The conventions every Rego file follows (docs/architecture.md, "Rego conventions"), read
// from the sources so that a new check written the old way fails here, not in review:
//  - no import is shadowed by a rule of the same package (the old `lib.verdict` import beside
//    every check's `result` rule: Regal's import-shadows-rule);
//  - a check gets its METADATA one way: `_chain := rego.metadata.chain()` once, passed on;
//  - a check declares the JSON Schema of the input document it judges (METADATA `schemas:`),
//    so that `make lint` type-checks its input references against schemas/.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { OPA } from "./helpers.js";

// KUBECIS_POLICIES (as for build/policies.mjs) points the test at another policy tree.
const POLICIES = process.env.KUBECIS_POLICIES ?? join(packageRoot, "policies");

function* regoFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* regoFiles(path);
    else if (name.endsWith(".rego")) yield path;
  }
}

const files = [...regoFiles(POLICIES)].map((path) => ({ path: relative(dirname(POLICIES), path), text: readFileSync(path, "utf8") }));
const checks = files.filter((f) => /^policies\/kubecis\/checks\/[^/]+\/[^/]+\/[^/]+\.rego$/.test(f.path) && !f.path.endsWith("_test.rego"));

/** The code without comments (a `#` outside a string starts one; strings here hold no `#`). */
const code = (text: string): string => text.replace(/^\s*#.*$/gm, "").replace(/\s#[^"\n]*$/gm, "");

/** The names an import binds: its `as` alias, else its last path segment. */
function importNames(text: string): string[] {
  return [...code(text).matchAll(/^import\s+(?:data|input)((?:\.[\w]+|\["[^"]+"\])*)(?:\s+as\s+(\w+))?\s*$/gm)].map(
    (m) => m[2] ?? (m[1]!.match(/(?:\.(\w+)|\["([^"]+)"\])$/)?.slice(1).find(Boolean) ?? ""),
  );
}

/** The rule and function names a file defines at the top level. */
function ruleNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of code(text).matchAll(/^(?:default\s+)?([A-Za-z_]\w*)\b/gm)) {
    if (!["package", "import", "default", "else"].includes(m[1]!)) names.add(m[1]!);
  }
  return names;
}

/** The package a file declares. */
const packageOf = (text: string): string => /^package\s+([\w.]+)/m.exec(text)?.[1] ?? "";

describe("Rego conventions", () => {
  it("finds the checks", () => {
    expect(checks.length).toBeGreaterThan(60);
  });

  it("no import is shadowed by a rule of its own package", () => {
    const rulesByPackage = new Map<string, Set<string>>();
    for (const f of files) {
      const rules = rulesByPackage.get(packageOf(f.text)) ?? new Set<string>();
      for (const r of ruleNames(f.text)) rules.add(r);
      rulesByPackage.set(packageOf(f.text), rules);
    }
    const shadowed = files.flatMap((f) =>
      importNames(f.text)
        .filter((name) => rulesByPackage.get(packageOf(f.text))!.has(name))
        .map((name) => `${f.path}: import ${name} is shadowed by the rule ${name}`),
    );
    expect(shadowed).toEqual([]);
  });

  it("each check calls rego.metadata.chain() once, as _chain, and passes _chain on", () => {
    const bad = checks.flatMap((f) => {
      const body = code(f.text);
      const calls = body.match(/rego\.metadata\.chain\(\)/g) ?? [];
      const defs = body.match(/^_chain := rego\.metadata\.chain\(\)$/gm) ?? [];
      const problems: string[] = [];
      if (calls.length !== 1 || defs.length !== 1) problems.push(`${f.path}: ${calls.length} rego.metadata.chain() call(s), ${defs.length} \`_chain := rego.metadata.chain()\``);
      if (/rego\.metadata\.rule\(\)/.test(body)) problems.push(`${f.path}: uses rego.metadata.rule()`);
      if (!/\(\s*_chain\s*,/.test(body)) problems.push(`${f.path}: never passes _chain to a result builder`);
      return problems;
    });
    expect(bad).toEqual([]);
  });

  it("each check declares the JSON Schema of the document it judges", () => {
    const want: Record<string, string> = { apiserver: "apiserverconfig", rbac: "rbacsnapshot" };
    const bad = checks.flatMap((f) => {
      const component = f.path.split("/")[3]!;
      const metadata = /^# METADATA\n(?:#.*\n)*(?=package )/m.exec(f.text)?.[0] ?? "";
      const declared = [...metadata.matchAll(/^# {3}- input: schema\["([\w-]+)\.schema"\]$/gm)].map((m) => m[1]);
      return declared.length === 1 && declared[0] === want[component] ? [] : [`${f.path}: schemas ${JSON.stringify(declared)}, want ${want[component]}`];
    });
    expect(bad).toEqual([]);
  });
});

// `make lint` runs this command: the real opa type-checks every input reference of an
// annotated package against schemas/ (OPA resolves schema["<file name without .json>"]).
describe("opa check --schema schemas (make lint)", () => {
  const check = (policies: string) =>
    spawnSync(OPA, ["check", "--strict", "--schema", join(packageRoot, "schemas"), policies], { encoding: "utf8" });

  it("accepts the policies as they are", () => {
    const run = check(POLICIES);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("refuses a misspelt input field, naming the file and the field", () => {
    const typos: [component: string, slug: string, ref: string][] = [
      ["apiserver", "etcd_cafile_set", "input.kubernetesVersion.minr"],
      ["apiserver", "etcd_cafile_set", "input.manifest.mod"],
      ["rbac", "no_unused_roles", "input.inventory.complet"],
      ["rbac", "no_unused_roles", "input.rolez"],
    ];
    const dir = mkdtempSync(join(tmpdir(), "kubecis-schema-"));
    try {
      cpSync(POLICIES, join(dir, "policies"), { recursive: true });
      typos.forEach(([component, slug, ref], i) => {
        const file = join(dir, "policies", "kubecis", "checks", component, slug, `${slug}.rego`);
        writeFileSync(file, `${readFileSync(file, "utf8")}\n_misspelt_${i} := ${ref}\n`);
      });
      const run = check(join(dir, "policies"));
      expect(run.status).not.toBe(0);
      for (const [, slug, ref] of typos) expect(run.stderr).toMatch(new RegExp(`${slug}\\.rego:\\d+: rego_type_error: undefined ref: ${ref.replaceAll(".", "\\.")}\\n`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
