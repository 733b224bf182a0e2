// The layering of src/ (DESIGN.md, "Data flow"), read from the import graph: every
// `import … from`, `export … from`, side-effect `import "…"` and `import("…")` of a relative
// module in src/**/*.ts (tests excluded), resolved to the file it names.
//   readers      read formats: they import only readers and the leaves below
//   normalizers  build documents from what readers give: normalizers, readers, leaves
//   reporters    are pure functions from results to bytes: reporters, src/types.ts, src/rank.ts
//   engine       evaluates: engine modules, src/errors.ts, src/types.ts, src/paths.ts, src/rank.ts
//   cli          declares commands: its own files and the public API (src/index.ts), nothing else
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";

const SRC = join(packageRoot, "src");

/** Modules with no imports from any layer: anyone may import them. */
const LEAVES = ["src/errors.ts", "src/types.ts", "src/rbac-snapshot.ts", "src/redact.ts", "src/rank.ts", "src/globs.ts"];


interface Rule {
  layer: string;
  /** May `target` (a path relative to the repository) be imported from this layer? */
  allows: (target: string) => boolean;
}

const under = (dir: string) => (target: string) => target.startsWith(`src/${dir}/`);
const oneOf = (paths: readonly string[]) => (target: string) => paths.includes(target);
const any =
  (...tests: ((target: string) => boolean)[]) =>
  (target: string) =>
    tests.some((test) => test(target));

const RULES: Rule[] = [
  { layer: "readers", allows: any(under("readers"), oneOf(LEAVES)) },
  { layer: "normalizers", allows: any(under("normalizers"), under("readers"), oneOf(LEAVES), oneOf(["src/paths.ts"])) },
  // src/rank.ts: the risk order of findings, by which the engine caps them and reporters list them.
  { layer: "reporters", allows: any(under("reporters"), oneOf(["src/types.ts", "src/rank.ts"])) },
  { layer: "engine", allows: any(under("engine"), oneOf(["src/errors.ts", "src/types.ts", "src/paths.ts", "src/rank.ts"])) },
  { layer: "cli", allows: any(under("cli"), oneOf(["src/index.ts"])) },
];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) yield path;
  }
}

const SPECIFIER = /(?:^|[\n;])\s*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']|(?:^|[\n;])\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The relative modules a source file imports, as repository paths of .ts files. */
function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3]!;
    if (!specifier.startsWith(".")) continue; // node: builtins and packages
    const target = resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
    found.push(relative(packageRoot, target));
  }
  return found;
}

/** Every import that its layer's rule refuses, as "from -> to". */
function violations(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const rule = RULES.find((r) => from.startsWith(`src/${r.layer}/`));
    if (!rule) continue;
    for (const to of targets) if (!rule.allows(to)) out.push(`${from} -> ${to}`);
  }
  return out.sort();
}

const graph = new Map<string, string[]>();
for (const file of sources(SRC)) graph.set(relative(packageRoot, file), importsOf(file, readFileSync(file, "utf8")));

describe("the import graph of src/", () => {
  it("is read from real files, and every import resolves to one", () => {
    const edges = [...graph.values()].flat();
    expect(graph.size).toBeGreaterThan(40);
    expect(edges.length).toBeGreaterThan(150);
    for (const layer of RULES.map((r) => r.layer)) {
      expect([...graph.keys()].some((f) => f.startsWith(`src/${layer}/`)), `no file in src/${layer}`).toBe(true);
    }
    const dangling = edges.filter((to) => !graph.has(to));
    expect(dangling, "imports that name no source file (the parser misread them)").toEqual([]);
  });

  it("reads every import form the sources use", () => {
    const text = [
      'import { a } from "../normalizers/one.js";',
      'import type {\n  B,\n  C,\n} from "../normalizers/two.js";',
      'export { d } from "../normalizers/three.js";',
      'export type * from "../normalizers/four.js";',
      'import "../normalizers/five.js";',
      'const six = await import("../normalizers/six.js");',
      'import { seven } from "node:fs";',
      'const s = "import x from \\"nothing\\"";',
    ].join("\n");
    expect(importsOf(join(SRC, "readers", "x.ts"), text)).toEqual(
      ["one", "two", "three", "four", "five", "six"].map((n) => `src/normalizers/${n}.ts`),
    );
    const planted = new Map([["src/readers/x.ts", importsOf(join(SRC, "readers", "x.ts"), text)]]);
    expect(violations(planted)).toHaveLength(6);
  });

  it("keeps each layer's imports within what it may import", () => {
    expect(violations(graph)).toEqual([]);
  });

  it("refuses every import from the CLI but its own files and the public API", () => {
    const planted = new Map([
      ["src/cli/x.ts", ["src/cli/progress.ts", "src/index.ts", "src/scan.ts", "src/engine/catalog.ts", "src/exit-codes.ts", "src/types.ts", "src/readers/files.ts"]],
    ]);
    expect(violations(planted)).toEqual(
      ["src/engine/catalog.ts", "src/exit-codes.ts", "src/readers/files.ts", "src/scan.ts", "src/types.ts"].map((to) => `src/cli/x.ts -> ${to}`),
    );
  });

  it("keeps the leaves free of imports from any layer", () => {
    for (const leaf of LEAVES) {
      expect(graph.get(leaf), leaf).toBeDefined();
      expect(graph.get(leaf)!.filter((to) => !LEAVES.includes(to)), leaf).toEqual([]);
    }
  });
});
