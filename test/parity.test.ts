// The compiled WASM (in-process) and `opa eval` (topdown, the shipped Rego bundle) must
// return identical results for every fixture: differential testing of the two runtimes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { sortVerdicts } from "../src/engine/opa-wasm.js";
import type { EngineReport, InputDocument } from "../src/types.js";
import { OPA, SAMPLE, listFixtures, runTool } from "./helpers.js";

const REGO_BUNDLE = "build/out/bundle.rego.tar.gz";

function evalTopdown(document: InputDocument, extraData?: string): EngineReport {
  const args = ["eval", "-b", REGO_BUNDLE, "--format", "json", "-I", "data.kubecis.main.report"];
  if (extraData) args.push("-d", extraData);
  const run = runTool(OPA, args, JSON.stringify(document));
  expect(run.status, run.stderr).toBe(0);
  const value = JSON.parse(run.stdout).result[0].expressions[0].value as EngineReport;
  return { ...value, results: sortVerdicts(value.results) };
}

const inputs = [SAMPLE, ...listFixtures().map((f) => f.path)];

describe("WASM and opa eval agree", () => {
  const kubecis = loadKubecis();
  it.each(inputs)("%s", (path) => {
    const { documents, errors } = normalizeInputs([path]);
    expect(errors).toEqual([]);
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      expect(kubecis.engine.evaluate(document)).toEqual(evalTopdown(document));
    }
  });

  it("with a requested profile passed as data", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-parity-"));
    const data = join(dir, "options.json");
    writeFileSync(data, JSON.stringify({ kubecis: { options: { profile: "seed-2020" } } }));
    const withProfile = loadKubecis({ profile: "seed-2020" });
    const [document] = normalizeInputs([SAMPLE]).documents;
    const wasm = withProfile.engine.evaluate(document!);
    expect(wasm.profile.name).toBe("seed-2020");
    expect(wasm).toEqual(evalTopdown(document!, data));
  });
});
