// A kubecis document given to OPA or conftest directly is judged only when it is whole (DESIGN
// decisions 9 and 10): without one of the fields kubecis writes, the checks would read a missing
// index as "nothing granted" and pass. The policies' list of required fields is the schemas'
// (checked here), and the real conftest and opa refuse, for each kind, a document missing each
// field in turn and one of another apiVersion, while the whole document is judged as before.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeInputs } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import { BOOTSTRAP_RBAC, CONFTEST, OPA, SAMPLE } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "kubecis-shape-"));
const bundleDir = join(dir, "bundle");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(bundleDir, { recursive: true });
  const untar = spawnSync("tar", ["-xzf", join(packageRoot, "build/out/bundle.rego.tar.gz"), "-C", bundleDir], { encoding: "utf8" });
  expect(untar.status, untar.stderr).toBe(0);
});

const data = parse(readFileSync(join(packageRoot, "policies/kubecis/documents/data.yaml"), "utf8")) as { api_version: string; required: Record<string, string[]> };
const schema = (name: string) => JSON.parse(readFileSync(join(packageRoot, "schemas", `${name}.schema.json`), "utf8")) as { required: string[]; properties: { apiVersion: { const: string } } };

const whole: Record<string, Record<string, unknown>> = Object.fromEntries(
  normalizeInputs([SAMPLE, BOOTSTRAP_RBAC]).documents.map((d) => [d.kind, JSON.parse(JSON.stringify(d)) as Record<string, unknown>]),
);

/** The failure messages conftest gives each document, in one run over all of them. */
function conftest(documents: [string, unknown][]): Map<string, string[]> {
  const at = mkdtempSync(join(dir, "docs-"));
  documents.forEach(([, document], i) => writeFileSync(join(at, `${i}.json`), JSON.stringify(document)));
  const run = spawnSync(CONFTEST, ["test", "--no-color", "--namespace", "kubecis.main", "-p", bundleDir, "-d", join(bundleDir, "data.json"), "-o", "json", at], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(1);
  const out = new Map<string, string[]>();
  for (const entry of JSON.parse(run.stdout) as { filename: string; failures?: { msg: string }[] }[]) {
    const index = Number(/(\d+)\.json$/.exec(entry.filename)?.[1]);
    out.set(documents[index]![0], (entry.failures ?? []).map((f) => f.msg));
  }
  return out;
}

function opaResults(document: unknown): { id: string; status: string; reason: string }[] {
  const run = spawnSync(OPA, ["eval", "-b", bundleDir, "-I", "-f", "json", "data.kubecis.main.report.results"], { input: JSON.stringify(document), encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout).result[0].expressions[0].value;
}

describe("the fields a document must hold", () => {
  it.each([
    ["ApiServerConfig", "apiserverconfig"],
    ["RbacSnapshot", "rbacsnapshot"],
  ])("%s: the policies require what the schema requires", (kind, name) => {
    expect(data.required[kind]).toEqual(schema(name).required);
    expect(data.api_version).toBe(schema(name).properties.apiVersion.const);
  });
});

describe("a document given to conftest or opa directly", () => {
  it.each(["ApiServerConfig", "RbacSnapshot"])("%s, whole: judged as the CLI judges it", (kind) => {
    const results = opaResults(whole[kind]);
    expect(results.length).toBeGreaterThan(10);
    expect(results.some((r) => r.id === "input")).toBe(false);
  });

  for (const kind of ["ApiServerConfig", "RbacSnapshot"]) {
    it(`${kind} without each required field, or of another apiVersion: refused, never passed`, () => {
      const variants: [string, Record<string, unknown>][] = [
        ...data.required[kind]!.filter((f) => f !== "kind").map((field): [string, Record<string, unknown>] => {
          const copy = { ...whole[kind] };
          delete copy[field];
          return [`lacks ${field}`, copy];
        }),
        ["apiVersion kubecis.dev/v1beta9", { ...whole[kind], apiVersion: "kubecis.dev/v1beta9" }],
      ];
      const failures = conftest(variants);
      expect(failures.size).toBe(variants.length);
      for (const [what] of variants) expect(failures.get(what), what).toEqual([expect.stringContaining(`is not a whole kubecis document`)]);
      // opa eval's report too, for the first and the last (each is a process).
      for (const [what, document] of [variants[0]!, variants.at(-1)!]) {
        expect(opaResults(document), what).toEqual([expect.objectContaining({ id: "input", status: "error" })]);
      }
    });
  }
});
