// The Makefile's targets work on a fresh clone, in any order: a recipe that reads a generated
// file (under build/out/ or dist/, or a tool under .tools/bin/) depends on the rule that makes
// it, directly or through its prerequisites. `make lint` read build/out/capabilities.json
// without depending on it, so release.yml (make tools, then make lint) failed on every tag
// (rev-adopt A1). Read from the Makefile itself; plus every `make <target>` the workflows and
// docs tell someone to run names a target.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { filesUnder } from "./helpers.js";

interface Rule {
  target: string;
  prerequisites: string[];
  recipe: string[];
}

/** Simple `NAME := value` variables ($(shell …) left empty) and the rules, variables expanded. */
function readMakefile(text: string): Rule[] {
  const variables = new Map<string, string>([
    ["CURDIR", "."],
    ["MAKE", "make"],
  ]);
  const expand = (s: string): string => {
    for (let i = 0; i < 10 && /\$\(\w+\)/.test(s); i++) s = s.replace(/\$\((\w+)\)/g, (_, name: string) => variables.get(name) ?? "");
    return s;
  };
  const rules: Rule[] = [];
  for (const line of text.split("\n")) {
    const variable = /^(\w+)\s*:=\s*(.*)$/.exec(line);
    if (variable) {
      variables.set(variable[1]!, variable[2]!.startsWith("$(shell") ? "" : variable[2]!);
      continue;
    }
    if (line.startsWith("\t")) {
      rules.at(-1)?.recipe.push(expand(line));
      continue;
    }
    const rule = /^([^\s#:=.][^:=]*|\$\(\w+\)[^:=]*):(?!=)([^#]*)/.exec(line);
    if (rule) rules.push({ target: expand(rule[1]!.trim()), prerequisites: expand(rule[2]!).split(/\s+/).filter(Boolean), recipe: [] });
  }
  return rules;
}

const GENERATED = /(?:\.\/)?((?:build\/out|dist)\/[\w./-]+|\.tools\/bin\/\w+)/g;
const clean = (path: string) => path.replace(/^\.\//, "");

const makefile = readFileSync(join(packageRoot, "Makefile"), "utf8");

/** What the rules of one Makefile say about each other. */
function graph(rules: Rule[]) {
  const byTarget = new Map(rules.map((r) => [clean(r.target), r]));
  /** The rule that makes `path`: its own, else the generated rule whose recipe also writes it (dist/kubecis.mjs beside dist/cli/index.js). */
  const producer = (path: string): Rule | undefined =>
    byTarget.get(path) ?? rules.find((r) => /^(build\/out|dist)\//.test(clean(r.target)) && r.recipe.some((line) => [...line.matchAll(GENERATED)].some((m) => clean(m[1]!) === path)));
  const closure = (target: string, seen = new Set<string>()): Set<string> => {
    for (const prerequisite of byTarget.get(target)?.prerequisites ?? []) {
      const name = clean(prerequisite);
      if (seen.has(name)) continue;
      seen.add(name);
      closure(name, seen);
    }
    return seen;
  };
  /** Every generated file a target's recipe reads that no prerequisite makes, as "target reads path (made by rule)". */
  const missingPrerequisites = (): string[] => {
    const missing: string[] = [];
    for (const rule of rules) {
      const target = clean(rule.target);
      const before = closure(target);
      // A recipe line that runs make itself lets make resolve what it names.
      for (const line of rule.recipe.filter((l) => !/\$\(MAKE\)|\bmake\b/.test(l))) {
        for (const match of line.matchAll(GENERATED)) {
          const path = clean(match[1]!);
          const made = producer(path);
          if (!made || clean(made.target) === target) continue; // an output of this recipe itself
          if (!before.has(clean(made.target))) missing.push(`${target} reads ${path} (made by ${clean(made.target)})`);
        }
      }
    }
    return [...new Set(missing)];
  };
  return { byTarget, producer, closure, missingPrerequisites };
}

const { byTarget, producer, closure, missingPrerequisites } = graph(readMakefile(makefile));

describe("the Makefile's prerequisites", () => {
  it("is read: the rules and what their recipes read are found", () => {
    expect(byTarget.get("lint")?.recipe.join("\n")).toContain("build/out/capabilities.json");
    expect(producer("dist/kubecis.mjs")?.target).toBe("dist/cli/index.js");
    expect(closure("demo")).toContain("dist/cli/index.js");
  });

  it("every recipe that reads a generated file or a tool depends on the rule that makes it", () => {
    expect(missingPrerequisites()).toEqual([]);
  });

  it("the check finds a recipe that reads what it does not depend on", () => {
    const broken = graph(readMakefile(makefile.replace(/^lint:.*$/m, "lint: node_modules/.package-lock.json")));
    expect(broken.missingPrerequisites()).toEqual(expect.arrayContaining([
      "lint reads build/out/capabilities.json (made by build/out/capabilities.json)",
      "lint reads .tools/bin/opa (made by .tools/bin/opa)",
    ]));
  });

  it("every `make <target>` the workflows and docs give names a target of the Makefile", () => {
    const sources = [...filesUnder(join(packageRoot, ".github/workflows"), /\.ya?ml$/), ...filesUnder(join(packageRoot, "docs"), /\.md$/), join(packageRoot, "README.md")];
    const called = new Set<string>();
    for (const file of sources) for (const m of readFileSync(file, "utf8").matchAll(/(?:run:\s*|`|^\s*|\$\s)make ([a-z][\w-]*)/gm)) called.add(m[1]!);
    expect([...called]).toEqual(expect.arrayContaining(["tools", "lint", "build", "test", "release"]));
    const phony = new Set([...makefile.matchAll(/^\.PHONY:\s*(.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/)));
    expect([...called].filter((name) => !phony.has(name) && !byTarget.has(name))).toEqual([]);
  });
});
