// One rule for a parameter's shape, on both sides: the CLI refuses a --data value that
// src/scan.ts paramProblem rejects, and OPA/conftest users who set
// data.kubecis.options.params get an error from each control declaring it
// (policies/kubecis/lib/params problem). Every value one side accepts and the other refuses
// is a control that passes under one runtime and errors under the other, so the real
// `opa eval` judges the same corpus of values, for every parameter, as paramProblem does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { paramProblem } from "../src/scan.js";
import { OPA, runTool } from "./helpers.js";

const BUNDLE = join(packageRoot, "build/out/bundle.rego.tar.gz");
const work = mkdtempSync(join(tmpdir(), "kubecis-param-shapes-"));

/** Values of every JSON shape, with the edges each shape rule draws (sign, fraction, size, blank names). */
const CORPUS: unknown[] = [
  0, 1, 30, 2 ** 31, 2 ** 53, 2 ** 60, 1e300, -1, 1.5, -0.5,
  "", " ", "\u0085", "\ufeff", "\u00a0x", "x", "600", "0600", "644", "6000", "888", "60", "benchmark", "strict", "Benchmark", " 600",
  true, false, null,
  [], ["a"], ["a", "b"], [""], [" "], ["\u0085"], ["\ufeff"], ["\u3000"], ["a", ""], [1], [null], [["a"]],
  {}, { a: ["x"] }, { a: [] }, { a: [""] }, { a: [" "] }, { a: "x" }, { a: [1] },
];

function opaAccepted(cases: Record<string, unknown[]>): Set<string> {
  const query = join(work, "probe.rego");
  writeFileSync(
    query,
    [
      "package probe",
      "accepted := [[n, i] |",
      "\tsome n, vs in input.cases",
      "\tsome i, v in vs",
      "\tnot data.kubecis.lib.params.problem(n) with data.kubecis.options.params as {n: v}",
      "]",
      "",
    ].join("\n"),
  );
  const input = join(work, "input.json");
  writeFileSync(input, JSON.stringify({ cases }));
  const run = runTool(OPA, ["eval", "-b", BUNDLE, "-d", query, "-i", input, "-f", "json", "data.probe.accepted"]);
  expect(run.status, run.stderr).toBe(0);
  const pairs = JSON.parse(run.stdout).result[0].expressions[0].value as [string, number][];
  return new Set(pairs.map(([n, i]) => `${n} ${JSON.stringify(CORPUS[i])}`));
}

let defaults: Record<string, unknown>;
beforeAll(() => {
  const run = runTool(OPA, ["eval", "-b", BUNDLE, "-f", "json", "data.kubecis.params"]);
  expect(run.status, run.stderr).toBe(0);
  defaults = JSON.parse(run.stdout).result[0].expressions[0].value;
});

describe("a parameter value's shape is judged alike by the CLI and by the bundle", () => {
  it("every parameter accepts and refuses the same values in src/scan.ts and lib.params", () => {
    const names = Object.keys(defaults).sort();
    expect(names.length).toBeGreaterThan(5);
    const rego = opaAccepted(Object.fromEntries(names.map((n) => [n, CORPUS])));
    const host = new Set<string>();
    for (const n of names) {
      for (const v of CORPUS) if (paramProblem(n, v, defaults[n]) === undefined) host.add(`${n} ${JSON.stringify(v)}`);
    }
    // Each parameter's own default is accepted on both sides, and some corpus value is refused.
    for (const n of names) {
      expect(paramProblem(n, defaults[n], defaults[n]), n).toBeUndefined();
      expect(CORPUS.some((v) => !host.has(`${n} ${JSON.stringify(v)}`)), n).toBe(true);
    }
    // null lifts the findings cap (the CLI's --all sets it); a --data file cannot.
    const onlyRego = [...rego].filter((k) => !host.has(k) && k !== "rbac-max-findings null");
    const onlyHost = [...host].filter((k) => !rego.has(k));
    expect({ onlyRego, onlyHost }).toEqual({ onlyRego: [], onlyHost: [] });
  });
});
