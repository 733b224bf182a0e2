// Lines of JSON inputs (src/readers/json-lines.ts): the JSON reader parses with JSON.parse and
// finds a line by scanning the text, never by reading it again as YAML (which ran a 166 MB
// export out of memory). The `yaml` package stays the reference: for every JSON input under
// test/ and samples/, every YAML fixture written as JSON in several layouts, generated RBAC
// exports and random JSON, the line of every node (and the paths that miss) must be what the
// YAML reader gives. Through the CLI, an invalid object in a large export is named by
// file:line within a small heap, and the run's other inputs are still judged.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { readYamlDocuments, readYamlStreamFully } from "../src/readers/yaml.js";
import { CLI, filesUnder, probePaths } from "./helpers.js";

const { generateRbac, writeSingle } = (await import(join(packageRoot, "bench", "rbac-generate.mjs"))) as {
  generateRbac(bindings: number, seed: number): { kind: string; metadata: { name: string }; rules?: { verbs: unknown }[] }[];
  writeSingle(items: unknown[], path: string): number;
};

const dir = mkdtempSync(join(tmpdir(), "kubecis-json-lines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts that the JSON reader takes `text` (JSON.parse, no YAML) and gives, for every
 * path, the line the YAML reader gives; returns how many paths were compared. */
function check(text: string, name: string): number {
  const [json] = readYamlDocuments({ path: `${name}.json`, text });
  const [reference] = readYamlStreamFully(text, `${name}.yaml`);
  expect(json!.value, name).toStrictEqual(JSON.parse(text));
  const paths = probePaths(json!.value);
  // Backwards too: the locator's memory of what it walked must not depend on the order.
  for (const path of [...paths, ...paths.slice().reverse()]) {
    expect(json!.lineAt(path), `${name}: ${JSON.stringify(path)}`).toBe(reference!.lineAt(path));
  }
  return paths.length;
}

/** Layouts a JSON writer may use: kubectl's (4 spaces), 2 spaces, tabs, minified, CRLF. */
const layouts: [string, (value: unknown) => string][] = [
  ["indent 4", (v) => JSON.stringify(v, null, 4) + "\n"],
  ["indent 2", (v) => JSON.stringify(v, null, 2)],
  ["tabs", (v) => JSON.stringify(v, null, "\t")],
  ["minified", (v) => JSON.stringify(v)],
  ["CRLF", (v) => JSON.stringify(v, null, 1).replace(/\n/g, "\r\n")],
  ["spread", (v) => `\n\n  ${spread(v, "  ")}\n\n`],
];

/** JSON with blank lines between items and every value on the line after its key. */
function spread(value: unknown, pad: string): string {
  const inner = pad + "  ";
  if (Array.isArray(value)) return value.length === 0 ? "[ ]" : `[\n\n${value.map((v) => inner + spread(v, inner)).join(" ,\n\n")}\n${pad}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value);
  if (entries.length === 0) return "{\n}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} :\n${inner}  ${spread(v, inner + "  ")}`).join(",\n\n")}\n${pad}}`;
}

describe("the JSON line locator agrees with the YAML reader", () => {
  it("on every JSON input under test/ and samples/", () => {
    const files = [...filesUnder(join(packageRoot, "test"), /\.json$/), ...filesUnder(join(packageRoot, "samples"), /\.json$/)];
    const inputs = files.filter((file) => {
      const value = JSON.parse(readFileSync(file, "utf8")) as unknown;
      return value !== null && typeof value === "object";
    });
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    for (const file of inputs) check(readFileSync(file, "utf8"), file);
  });

  it("on every YAML fixture under test/ and samples/, written as JSON in two of six layouts each", () => {
    const files = [...filesUnder(join(packageRoot, "test"), /\.ya?ml$/), ...filesUnder(join(packageRoot, "samples"), /\.ya?ml$/)];
    let compared = 0;
    for (const [i, file] of files.entries()) {
      let documents;
      try {
        documents = readYamlStreamFully(readFileSync(file, "utf8"), file);
      } catch {
        continue; // a fixture of broken YAML
      }
      for (const doc of documents) {
        if (doc.value === null || typeof doc.value !== "object") continue;
        for (const [layout, write] of [layouts[i % 6]!, layouts[(i + 3) % 6]!]) compared += check(write(doc.value), `${file} (${layout})`);
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });

  it("on a generated RBAC export, as kubectl writes it and minified", () => {
    const list = { apiVersion: "v1", items: generateRbac(150, 3), kind: "List", metadata: { resourceVersion: "" } };
    expect(check(JSON.stringify(list, null, 4) + "\n", "export")).toBeGreaterThan(5_000);
    check(JSON.stringify(list), "export (minified)");
  });

  it("on keys and strings with escapes, quotes, brackets, backslashes and non-ASCII characters", () => {
    const value = {
      'a"b': { "x\\": ["]", "[", "{", "}", '"', "\\", "\\\\", 'end\\"', "\\u0041"] },
      "é": { "ü\u00e9": 1, "日本": [true, false, null, -1.5e-7, 0] },
      "😀 key": { "\n": { "\t": "line\nbreak" }, "\u2028": "sep\u2028arator" },
      "a\\nb": [[], {}, [[{}]], ""],
      "/": { "\\/": "x\\/y" },
      "": { " ": " " },
      items: [{ "{": "}" }, { "[": "]" }, { ",": ":" }],
    };
    for (const [layout, write] of layouts) check(write(value), `escapes (${layout})`);
    // Escapes as other writers spell them: \/ and \uXXXX for plain and non-ASCII characters.
    const spelled = '{\n  "\\u0061\\/b": {\n    "\\u00e9": [\n      "\\ud83d\\ude00",\n      "\\"]"\n    ]\n  },\n  "k": "\\\\"\n}';
    check(spelled, "spelled escapes");
    expect(readYamlDocuments({ path: "e.json", text: spelled })[0]!.lineAt(["a/b", "é", 1])).toBe(5);
  });

  it("on random JSON in random layouts", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: layouts.length - 1 }), (value, layout) => {
        if (value === null || typeof value !== "object") return;
        check(layouts[layout]![1](value), `random (${layouts[layout]![0]})`);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the JSON line locator", () => {
  it("names the line of the value JSON.parse kept when a key is repeated (the last one)", () => {
    const text = '{\n  "roleRef": {"kind": "Role", "name": "a"},\n  "roleRef": "not a map"\n}';
    const [doc] = readYamlDocuments({ path: "dup.json", text });
    expect(doc!.value).toStrictEqual({ roleRef: "not a map" });
    expect(doc!.lineAt(["roleRef"])).toBe(3);
    expect(doc!.lineAt(["roleRef", "kind"])).toBeUndefined();
  });

  it("names the line of a document nested too deeply", () => {
    const text = `{\n "a": [\n  1,\n  ${"[".repeat(150)}${"]".repeat(150)}\n ]\n}`;
    expect(() => readYamlDocuments({ path: "deep.json", text })).toThrow(expect.objectContaining({ message: expect.stringMatching(/nested too deeply/), location: { file: "deep.json", line: 4 } }));
  });
});

describe("an invalid object in a large JSON export", () => {
  // 5000 bindings: an 8 MB export. Reading it again as YAML to find the line needed over
  // 256 MB of heap (and ~10 s); the locator needs a scan of the text.
  const items = generateRbac(5000, 11);
  const roles = items.filter((item) => (item.kind === "Role" || item.kind === "ClusterRole") && (item.rules?.length ?? 0) > 0);
  const broken = roles[Math.floor(roles.length / 2)]!;
  broken.rules![0]!.verbs = "corrupted-verbs";
  const file = join(dir, "export.json");
  writeSingle(items, file);
  const text = readFileSync(file, "utf8");
  const line = text.slice(0, text.indexOf('"corrupted-verbs"')).split("\n").length;

  it("is named by file:line within a 128 MB heap; the run's other inputs are still judged", () => {
    const manifest = join(packageRoot, "samples", "kubeadm-v1.33", "kube-apiserver.yaml");
    const bootstrap = join(packageRoot, "test", "datasets", "rbac-bootstrap");
    const run = spawnSync(process.execPath, ["--max-old-space-size=128", CLI, "test", "-o", "report", manifest, file, bootstrap], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr.slice(-2000)).toBe(ExitCode.Input);
    expect(line).toBeGreaterThan(1000);
    expect(run.stderr).toContain(`${file}:${line}: invalid object: ${broken.kind} ${broken.metadata.name}: rules[0].verbs`);
    const report = JSON.parse(run.stdout) as { targets: { source: { path: string }; results: { status: string; reason?: string }[] }[]; errors: { file: string; line?: number }[] };
    expect(report.errors).toEqual([expect.objectContaining({ file, line })]);
    const apiServer = report.targets.find((t) => t.source.path === manifest);
    expect(apiServer?.results.filter((r) => r.status === "pass").length).toBeGreaterThan(10);
    // The RBAC inventory lost a file: every control is reported, and none passes on it.
    const rbac = report.targets.find((t) => t.source.path.includes("rbac-bootstrap"));
    expect(rbac?.results.length).toBeGreaterThan(20);
    expect(rbac?.results.filter((r) => r.status === "pass")).toEqual([]);
    // Controls that judge the whole inventory say it is incomplete, naming the rejected file.
    expect(rbac?.results.some((r) => r.status === "error" && r.reason?.includes(`inventory incomplete: ${file} was rejected`))).toBe(true);
  });
});

describe("a JSON export that does not parse", () => {
  // A cut-off `kubectl get … -o json > rbac.json` is read as YAML too (a superset), which fails
  // as well: the error is JSON's, at JSON's place, and quotes nothing of the input.
  const text = JSON.stringify({ apiVersion: "v1", kind: "List", items: generateRbac(20, 7) }, null, 4);
  const cuts = fc.sample(fc.integer({ min: 1, max: text.length - 2 }), { numRuns: 40, seed: 11 });

  it("cut anywhere: invalid JSON with its line and column, never a YAML reason", () => {
    for (const cut of cuts) {
      const piece = text.slice(0, cut);
      let message = "";
      let line: number | undefined;
      try {
        readYamlDocuments({ path: "cut.json", text: piece });
      } catch (error) {
        message = (error as Error).message;
        line = (error as { location?: { line?: number } }).location?.line;
      }
      expect(message, `cut at ${cut}`).toMatch(/^invalid JSON \((the JSON ends early|[^)]+), column \d+\)$/);
      expect(line, `cut at ${cut}`).toBe(piece.split("\n").length);
    }
  });

  it("a stray token: the place of the token, and not the token", () => {
    const broken = text.replace('"rules": [', '"rules": [ }QZXSECRET,');
    let error: (Error & { location?: { line?: number } }) | undefined;
    try {
      readYamlDocuments({ path: "stray.json", text: broken });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.message).toMatch(/^invalid JSON \(/);
    expect(error?.message).not.toContain("QZX");
    expect(error?.location?.line).toBe(broken.slice(0, broken.indexOf("}QZXSECRET")).split("\n").length);
  });
});
