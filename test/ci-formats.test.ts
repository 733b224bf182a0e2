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
import { REPORT_FORMATS } from "../src/reporters/index.js";
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

  it("is not an execution success when a control could not be judged (exit 4), though every input was read", () => {
    const run = runKubecis(["test", join(packageRoot, "test/fixtures/apiserver/profiling_disabled/error/invalid_boolean.ps"), "-o", "sarif"]);
    expect(run.status).toBe(ExitCode.Input);
    expect(JSON.parse(run.stdout).runs[0].invocations[0].executionSuccessful).toBe(false);
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

describe("input errors in every output format", () => {
  // The reviewer's run: a directory with a judged manifest, broken YAML and a binary file, plus a
  // missing file. Exit 4; each format that has a place for an error carries every one, and the
  // formats conftest defines stay byte for byte what they print for the judged inputs alone.
  const dir = mkdtempSync(join(tmpdir(), "kubecis-ci-errors-"));
  writeFileSync(join(dir, "kube-apiserver.yaml"), readFileSync(SAMPLE));
  writeFileSync(join(dir, "broken.yaml"), "apiVersion: v1\nkind: Pod\nspec: [unclosed\n");
  writeFileSync(join(dir, "bin.yaml"), Buffer.from([0x61, 0x00, 0x62, 0x0a]));
  const args = [dir, MISSING];
  const errors = inputErrors(args);
  const where = (e: { file: string; line?: number }) => (e.line ? `${e.file}:${e.line}` : e.file);

  it("the run has its three input errors", () => {
    expect(errors.map((e) => e.file).sort()).toEqual([join(dir, "bin.yaml"), join(dir, "broken.yaml"), MISSING].sort());
  });

  it.each(["text", "report", "junit", "sarif", "github"])("-o %s carries every input error with its file and line", (format) => {
    const run = runKubecis(["test", ...args, "-o", format]);
    expect(run.status).toBe(ExitCode.Input);
    for (const e of errors) {
      if (format === "github") expect(run.stdout).toContain(`::error file=${e.file},line=${e.line ?? 1}::${e.message}\n`);
      else if (format === "text") expect(run.stdout).toContain(`${where(e)}: ${e.message}`);
      else if (format === "junit") expect(unescapeXml(run.stdout)).toContain(`<error message="input error" type="input">${e.message}</error>`);
      else expect(run.stdout).toContain(JSON.stringify(e.message));
      expect(run.stderr).toContain(`kubecis: ${where(e)}: ${e.message}\n`);
    }
  });

  it.each(["stdout", "json", "tap", "table"])("-o %s (conftest's, which has no place for them) prints the judged inputs byte for byte; the errors are on stderr", (format) => {
    const run = runKubecis(["test", ...args, "-o", format]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stdout).toBe(runKubecis(["test", join(dir, "kube-apiserver.yaml"), "-o", format]).stdout);
    for (const e of errors) expect(run.stderr).toContain(`kubecis: ${where(e)}: ${e.message}\n`);
  });

  it("-o github annotates input errors before any finding, so GitHub's 10 errors per step never drop them", () => {
    const lines = runKubecis(["test", ...args, "-o", "github"]).stdout.split("\n");
    const firstError = lines.findIndex((l) => l.startsWith("::error"));
    expect(lines.slice(firstError, firstError + errors.length).every((l) => errors.some((e) => l.startsWith(`::error file=${e.file},`)))).toBe(true);
  });
});

describe("a run that stops before it judges anything (a bad --exceptions or --data file)", () => {
  // The documents CI uploads stay valid and carry the error; the exit code stays 4; the
  // location is printed once. conftest's formats and text print nothing on stdout, as conftest
  // does on an error.
  const schema = JSON.parse(readFileSync(join(packageRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
  const Ajv04 = ((ajvDraft04 as unknown as { default?: typeof ajvDraft04 }).default ?? ajvDraft04) as unknown as typeof ajvDraft04.default;
  const validate = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
  const dir = mkdtempSync(join(tmpdir(), "kubecis-ci-stopped-"));
  const w3 = join(dir, "w3.yaml");
  writeFileSync(w3, "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    target: [x]\n    reason: r\n");
  const p1 = join(dir, "p1.yaml");
  writeFileSync(p1, "params:\n  audit-log-max-age: 3\n");
  const cases: [string, string[], string, number | undefined][] = [
    ["an exceptions entry with an unknown key", ["--exceptions", w3], w3, undefined],
    ["a missing exceptions file", ["--exceptions", join(dir, "none.yaml")], join(dir, "none.yaml"), undefined],
    ["a data file naming an unknown parameter", ["--data", p1], p1, 2],
    ["a missing data file", ["-d", join(dir, "nonexist.yaml")], join(dir, "nonexist.yaml"), undefined],
  ];

  describe.each(cases)("%s", (_, options, file, line) => {
    const runs = Object.fromEntries(REPORT_FORMATS.map((format) => [format, runKubecis(["test", SAMPLE, ...options, "-o", format])]));
    const stderr = runs["report"]!.stderr;
    const message = stderr.slice(`kubecis: ${file}${line ? `:${line}` : ""}: `.length).trimEnd();

    it("exits 4 in every format, printing the error once on stderr with its location once", () => {
      for (const format of REPORT_FORMATS) {
        expect(runs[format]!.status, format).toBe(ExitCode.Input);
        expect(runs[format]!.stderr, format).toBe(stderr);
      }
      expect(stderr).toMatch(new RegExp(`^kubecis: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}${line ? `:${line}` : ""}: \\S`));
      expect(stderr.split(file).length - 1).toBe(1);
    });

    it("-o sarif is valid SARIF whose invocation carries the error (upload-sarif gets a file that says why)", () => {
      const sarif = JSON.parse(runs["sarif"]!.stdout);
      expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
      expect(sarif.runs[0].results).toEqual([]);
      expect(sarif.runs[0].invocations[0]).toEqual({
        executionSuccessful: false,
        exitCode: ExitCode.Input,
        toolExecutionNotifications: [
          { level: "error", message: { text: message }, locations: [{ physicalLocation: { artifactLocation: { uri: `file://${file}` }, ...(line ? { region: { startLine: line } } : {}) } }], descriptor: { id: "input-error" } },
        ],
      });
    });

    it("-o report is a Report with no targets and the error; -o junit an <error> case; -o github an ::error annotation", async () => {
      const report = JSON.parse(runs["report"]!.stdout);
      expect(report).toMatchObject({ kind: "Report", targets: [], errors: [{ kind: "input", message, file, ...(line ? { line } : {}) }] });
      expect(XMLValidator.validate(runs["junit"]!.stdout)).toBe(true);
      const junit = (await parseJunit(runs["junit"]!.stdout)) as { testsuite: { errors?: number; testcase: { name: string; error?: unknown[] }[] }[] };
      expect(junit.testsuite[0]!.errors).toBe(1);
      expect(junit.testsuite[0]!.testcase.map((t) => t.name)).toEqual([`${file}${line ? `:${line}` : ""} - ${message}`]);
      expect(runs["github"]!.stdout).toContain(`::error file=${file},line=${line ?? 1}::${message}\n`);
    });

    it("text and conftest's stdout, json, tap and table print nothing on stdout (conftest prints nothing on an error)", () => {
      for (const format of ["text", "stdout", "json", "tap", "table"]) expect(runs[format]!.stdout, format).toBe("");
    });
  });
});

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|#34|#39|#xA|#x9|#xD);/g, (_, e: string) => ({ lt: "<", gt: ">", amp: "&", "#34": '"', "#39": "'", "#xA": "\n", "#x9": "\t", "#xD": "\r" })[e]!);
}
