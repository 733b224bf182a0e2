// Every fixture through the public API: the check named by the fixture's directory must
// give the status named by its parent directory, with evidence.
import { describe, expect, it } from "vitest";
import { loadKubecis, testInputs } from "../src/index.js";
import { listFixtures } from "./helpers.js";

const kubecis = loadKubecis();
const packageOf = (component: string, check: string) => `checks.${component}.${check}`;

describe.each(listFixtures())("$component/$check/$expected/$name", (fixture) => {
  it(`gives ${fixture.expected}`, () => {
    const control = kubecis.catalog.controls.find((c) => c.package === packageOf(fixture.component, fixture.check));
    expect(control, `no control for ${fixture.check}`).toBeDefined();
    const report = testInputs([fixture.path], {}, kubecis);
    expect(report.errors).toEqual([]);
    expect(report.targets).toHaveLength(1);
    const result = report.targets[0]!.results.find((r) => r.id === control!.id);
    expect(result?.status).toBe(fixture.expected);
    expect(Object.keys(result!.evidence).length).toBeGreaterThan(0);
    if (fixture.expected !== "pass") expect(result!.reason).toMatch(/\S/);
  });
});

describe("catalogue coverage", () => {
  it("every control has at least one pass and one fail fixture (warn for informational controls)", () => {
    const fixtures = listFixtures();
    for (const control of kubecis.catalog.controls) {
      const own = fixtures.filter((f) => packageOf(f.component, f.check) === control.package);
      // An informational control reports with warn; it never fails a run.
      const finding = control.severity === "info" ? "warn" : "fail";
      expect(own.some((f) => f.expected === "pass"), `${control.id} has no pass fixture`).toBe(true);
      expect(own.some((f) => f.expected === finding), `${control.id} has no ${finding} fixture`).toBe(true);
    }
  });
});
