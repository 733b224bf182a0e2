// What CI systems show of a run whose inputs could not all be read: SARIF names each unreadable
// file in a tool execution notification, JUnit lists it as an <error> test case; and both
// link each control to its documentation. The other inputs of the run are still reported.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ajvDraft04 from "ajv-draft-04";
import { XMLValidator } from "fast-xml-parser";
import { parse as parseJunit } from "junit2json";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { SAMPLE, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-ci-formats-"));
const BROKEN_YAML = join(scratch, "broken.yaml");
writeFileSync(BROKEN_YAML, "apiVersion: v1\nkind: Pod\nspec: [unclosed\n");
const NO_SERVER = join(scratch, "deployment.yaml");
writeFileSync(NO_SERVER, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
const MISSING = join(scratch, "missing.yaml");
const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string; repository: { url: string } };
const REPOSITORY = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");

/** The input errors of a run, as the report JSON lists them. */
function inputErrors(args: string[]): { file: string; message: string; line?: number }[] {
  return JSON.parse(runKubecis(["test", ...args, "-o", "report"]).stdout).errors;
}

describe("SARIF", () => {
  const schema = JSON.parse(readFileSync(join(packageRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
  const Ajv04 = ((ajvDraft04 as unknown as { default?: typeof ajvDraft04 }).default ?? ajvDraft04) as unknown as typeof ajvDraft04.default;
  const validate = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

  it("reports every input error as a tool execution notification naming the file, beside the judged inputs' results", () => {
    const args = [SAMPLE, BROKEN_YAML, NO_SERVER, MISSING];
    const run = runKubecis(["test", ...args, "-o", "sarif"]);
    expect(run.status).toBe(ExitCode.Input);
    const sarif = JSON.parse(run.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const [invocation] = sarif.runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    const errors = inputErrors(args);
    expect(errors.length).toBe(3);
    expect(invocation.toolExecutionNotifications).toEqual(
      errors.map((e) => ({
        level: "error",
        message: { text: e.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: `file://${e.file}` }, ...(e.line ? { region: { startLine: e.line } } : {}) } }],
        descriptor: { id: "input-error" },
      })),
    );
    for (const file of [BROKEN_YAML, NO_SERVER, MISSING]) expect(JSON.stringify(invocation.toolExecutionNotifications)).toContain(`file://${file}`);
    // The sample is still judged.
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it("has no notifications when every input was read", () => {
    const sarif = JSON.parse(runKubecis(["test", SAMPLE, "-o", "sarif"]).stdout);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toBeUndefined();
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it("links the tool and every rule to the documentation: the control's anchor in docs/controls.md at this version", () => {
    const sarif = JSON.parse(runKubecis(["test", SAMPLE, "-o", "sarif"]).stdout);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.informationUri).toBe(REPOSITORY);
    const controlsDoc = readFileSync(join(packageRoot, "docs/controls.md"), "utf8");
    expect(driver.rules.length).toBeGreaterThan(0);
    for (const rule of driver.rules) {
      const anchor = rule.id.toLowerCase();
      expect(rule.helpUri).toBe(`${REPOSITORY}/blob/v${pkg.version}/docs/controls.md#${anchor}`);
      // The anchor exists: GitHub makes `### KAS-0001` into #kas-0001.
      expect(controlsDoc).toContain(`\n### ${rule.id}\n`);
    }
  });
});

describe("JUnit", () => {
  it("lists every input error as an <error> test case, keeping the judged inputs' cases", async () => {
    const args = [SAMPLE, BROKEN_YAML, NO_SERVER, MISSING];
    const run = runKubecis(["test", ...args, "-o", "junit"]);
    expect(run.status).toBe(ExitCode.Input);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const parsed = (await parseJunit(run.stdout)) as {
      testsuite: { tests: number; failures: number; errors?: number; testcase: { name: string; failure?: unknown[]; error?: { message: string; inner?: string }[] }[] }[];
    };
    const suite = parsed.testsuite[0]!;
    const erroring = suite.testcase.filter((t) => t.error);
    const errors = inputErrors(args);
    expect(erroring.map((t) => t.name)).toEqual(errors.map((e) => `${e.line ? `${e.file}:${e.line}` : e.file} - ${e.message.split("\n")[0]}`));
    expect(suite.errors).toBe(errors.length);
    expect(suite.tests).toBe(suite.testcase.length);
    const alone = (await parseJunit(runKubecis(["test", SAMPLE, "-o", "junit"]).stdout)) as typeof parsed;
    expect(suite.testcase.filter((t) => !t.error)).toEqual(alone.testsuite[0]!.testcase);
    expect(suite.failures).toBe(alone.testsuite[0]!.failures);
  });

  it("has no errors attribute when every input was read (conftest's layout)", () => {
    expect(runKubecis(["test", SAMPLE, "-o", "junit"]).stdout).not.toMatch(/errors=|<error/);
  });
});
