// Every exit code of `kubecis test` for every output format, waivers, and the machine
// formats checked by independent consumers: SARIF against the SARIF 2.1.0 JSON schema,
// JUnit through a JUnit parser, the report JSON keeping waived results visible.
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ajvDraft04 from "ajv-draft-04";
import { XMLValidator } from "fast-xml-parser";
import { parse as parseJunit } from "junit2json";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { FIXTURES, SAMPLE, runKubecis, runKubecisAsync } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-outputs-"));
function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
// The CIS-hardened sample has no failures, only warnings (controls that need the files and
// file metadata a manifest alone does not carry).
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");
const WARN_ONLY = HARDENED;
function idsWithStatus(path: string, status: string): string[] {
  const report = JSON.parse(runKubecis(["test", path, "-o", "report"]).stdout);
  return report.targets.flatMap((t: { results: { id: string; status: string }[] }) => t.results.filter((r) => r.status === status).map((r) => r.id));
}
const HARDENED_WARNINGS = idsWithStatus(HARDENED, "warn");
const SAMPLE_FAILURES = idsWithStatus(SAMPLE, "fail");
const INVALID = join(FIXTURES, "apiserver/profiling_disabled/error/invalid_boolean.ps");
const FORMATS = ["text", "report", "stdout", "json", "tap", "table", "junit", "github", "sarif"];

// A copy of the installed CLI without its policy bundle: the policy-error path.
const broken = mkdtempSync(join(tmpdir(), "kubecis-nobundle-"));
cpSync(join(packageRoot, "dist"), join(broken, "dist"), { recursive: true });
cpSync(join(packageRoot, "package.json"), join(broken, "package.json"));
symlinkSync(join(packageRoot, "node_modules"), join(broken, "node_modules"));
function runBroken(args: string[]) {
  const run = spawnSync(process.execPath, [join(broken, "dist/kubecis.mjs"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

// A copy whose catalogue lacks a control the policy judges: an inconsistency only a bug in
// kubecis's build can cause, so the run stops as an internal error.
const inconsistent = mkdtempSync(join(tmpdir(), "kubecis-inconsistent-"));
cpSync(join(packageRoot, "dist"), join(inconsistent, "dist"), { recursive: true });
cpSync(join(packageRoot, "package.json"), join(inconsistent, "package.json"));
cpSync(join(packageRoot, "policies"), join(inconsistent, "policies"), { recursive: true });
cpSync(join(packageRoot, "build/out"), join(inconsistent, "build/out"), { recursive: true });
symlinkSync(join(packageRoot, "node_modules"), join(inconsistent, "node_modules"));
{
  const catalog = JSON.parse(readFileSync(join(packageRoot, "build/out/catalog.json"), "utf8"));
  writeFileSync(join(inconsistent, "build/out/catalog.json"), JSON.stringify({ ...catalog, controls: catalog.controls.slice(1) }));
}
function runInconsistent(args: string[]) {
  const run = spawnSync(process.execPath, [join(inconsistent, "dist/kubecis.mjs"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

const CASES: [string, string[], number][] = [
  ["no failures", [HARDENED], ExitCode.Ok],
  ["failures", [SAMPLE], ExitCode.Failures],
  ["failures with --fail-on-warn", [SAMPLE, "--fail-on-warn"], ExitCode.FailuresFailOnWarn],
  ["failures with --no-fail", [SAMPLE, "--no-fail"], ExitCode.Ok],
  ["warnings only", [WARN_ONLY], ExitCode.Ok],
  ["warnings only with --fail-on-warn", [WARN_ONLY, "--fail-on-warn"], ExitCode.Failures],
  ["failures all waived", [SAMPLE, "--skip", SAMPLE_FAILURES.join(","), "--skip", idsWithStatus(SAMPLE, "warn").join(",") || "KAS-0001"], ExitCode.Ok],
  ["warnings all waived, with --fail-on-warn", [WARN_ONLY, "--fail-on-warn", "--skip", HARDENED_WARNINGS.join(",")], ExitCode.Ok],
  ["a control not judged (error status)", [INVALID], ExitCode.Input],
  ["a control not judged with --no-fail", [INVALID, "--no-fail"], ExitCode.Input],
  ["a missing input", [join(scratch, "missing.yaml"), SAMPLE], ExitCode.Input],
  ["an unreadable --data file", [SAMPLE, "--data", join(scratch, "missing.yaml")], ExitCode.Input],
  ["contradictory options", [SAMPLE, "--fail-on-warn", "--no-fail"], ExitCode.Usage],
  ["an unknown option", [SAMPLE, "--frobnicate"], ExitCode.Usage],
  ["a bad --skip value", [SAMPLE, "--skip", "KAS 1"], ExitCode.Usage],
];

describe.concurrent("exit codes are the same for every output format", () => {
  it.each(FORMATS.flatMap((format) => CASES.map(([name, args, code]) => [format, name, args, code] as const)))(
    "-o %s: %s",
    async (format, _name, args, code) => {
      const run = await runKubecisAsync(["test", ...args, "-o", format]);
      expect(run.status, run.stderr).toBe(code);
    },
  );

  it.each(FORMATS)("-o %s: a missing policy bundle exits 5", (format) => {
    const run = runBroken(["test", SAMPLE, "-o", format]);
    expect(run.status).toBe(ExitCode.Policy);
    expect(run.stderr).toContain("cannot read control catalogue");
    // The formats CI uploads still print a document that says why; the others print nothing.
    if (["report", "sarif", "junit", "github"].includes(format)) expect(run.stdout).toContain("cannot read control catalogue");
    else expect(run.stdout).toBe("");
  });

  it.each(FORMATS)("-o %s: an internal inconsistency exits 6 with the stack", (format) => {
    const run = runInconsistent(["test", SAMPLE, "-o", format]);
    expect(run.status).toBe(ExitCode.Internal);
    expect(run.stderr).toContain("internal error (please report)");
    expect(run.stderr).toContain("which the catalogue lacks");
  });

  it.each(FORMATS)("-o %s: --quiet prints nothing when the exit code is 0, everything otherwise", async (format) => {
    const [clean, failing] = await Promise.all([
      runKubecisAsync(["test", HARDENED, "-o", format, "--quiet"]),
      runKubecisAsync(["test", SAMPLE, "-o", format, "--quiet"]),
    ]);
    expect([clean.status, clean.stdout]).toEqual([0, ""]);
    expect(failing.status).toBe(1);
    expect(failing.stdout).not.toBe("");
  });
});

describe("waivers", () => {
  const exceptions = (body: string) => scratchFile(`exceptions-${Math.random().toString(36).slice(2)}.yaml`, body);

  it("keeps waived results visible in the report, counted apart, and does not fail the run", () => {
    const file = exceptions(
      "apiVersion: kubecis.dev/v1alpha1\nkind: Exceptions\nexceptions:\n" +
        "  - controls: [KAS-0005]\n    targets: ['**/kubeadm-v1.33/*.yaml']\n    reason: pprof needed for incident 42\n    expires: 2999-12-31\n",
    );
    const run = runKubecis(["test", SAMPLE, "--exceptions", file, "--skip", "1.2.1", "-o", "report"]);
    const report = JSON.parse(run.stdout);
    const byId = Object.fromEntries(report.targets[0].results.map((r: { id: string }) => [r.id, r]));
    expect(byId["KAS-0005"]).toMatchObject({ status: "fail", waived: { reason: "pprof needed for incident 42", expires: "2999-12-31", source: `${file}#1` } });
    expect(byId["KAS-0001"]).toMatchObject({ status: "fail", waived: { reason: "skipped with --skip", source: "--skip" } });
    expect(report.waived).toBe(2);
    expect(report.summary.fail).toBe(SAMPLE_FAILURES.length);
    // the rest still fail the run
    expect(run.status).toBe(SAMPLE_FAILURES.length > 2 ? ExitCode.Failures : ExitCode.Ok);
  });

  it("brings an expired waiver's finding back with a note", () => {
    const file = exceptions("kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: temporary\n    expires: 2020-01-31\n");
    const run = runKubecis(["test", SAMPLE, "--exceptions", file, "--skip", "KAS-0001"]);
    expect(run.status).toBe(ExitCode.Failures);
    expect(run.stdout).toContain("note waiver expired on 2020-01-31: temporary");
    const report = JSON.parse(runKubecis(["test", SAMPLE, "--exceptions", file, "-o", "report"]).stdout);
    const r = report.targets[0].results.find((x: { id: string }) => x.id === "KAS-0005");
    expect(r.waived).toBeUndefined();
    expect(r.waiverExpired).toEqual({ reason: "temporary", expires: "2020-01-31", source: `${file}#1` });
  });

  it("scopes a waiver to targets by path glob and to nodes", () => {
    const file = exceptions(
      "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    targets: ['other/**']\n    reason: elsewhere\n" +
        "  - controls: [KAS-0001]\n    nodes: [cp-1]\n    reason: only on cp-1\n",
    );
    const report = JSON.parse(runKubecis(["test", SAMPLE, "--exceptions", file, "-o", "report"]).stdout);
    expect(report.waived).toBe(0);
  });

  it("warns, naming the entry, when a waiver's nodes match no target of the run (it waives nothing); never when they do", () => {
    const file = exceptions("kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: all nodes\n  - controls: [KAS-0001]\n    nodes: [cp-1]\n    reason: only on cp-1\n");
    for (const format of ["text", "report"]) {
      const alone = runKubecis(["test", SAMPLE, "--exceptions", file, "-o", format]);
      expect(alone.stderr).toBe(`kubecis: warning: ${file}#2: nodes: cp-1: no target of this run names a node (node reports of \`kubecis scan --node\`, or --node); it waives nothing\n`);
      const elsewhere = runKubecis(["test", SAMPLE, "--node", "cp-2", "--exceptions", file, "-o", format]);
      expect(elsewhere.stderr).toBe(`kubecis: warning: ${file}#2: nodes: cp-1: no target of this run is on that node; it waives nothing\n`);
      const matched = runKubecis(["test", SAMPLE, "--node", "cp-1", "--exceptions", file, "-o", format]);
      expect(matched.stderr).toBe("");
    }
    const report = JSON.parse(runKubecis(["test", SAMPLE, "--node", "cp-1", "--exceptions", file, "-o", "report"]).stdout);
    expect(report.waived).toBe(2);
  });

  it("never waives a control that could not be judged", () => {
    const run = runKubecis(["test", INVALID, "--skip", "KAS-0005", "-o", "report"]);
    expect(run.status).toBe(ExitCode.Input);
    expect(JSON.parse(run.stdout).targets[0].results.find((r: { id: string }) => r.id === "KAS-0005").waived).toBeUndefined();
  });

  it("shows waived findings as conftest exceptions", () => {
    const run = runKubecis(["test", SAMPLE, "--skip", "KAS-0005", "-o", "stdout"]);
    expect(run.status).toBe(ExitCode.Failures);
    expect(run.stdout).toContain(`EXCP - ${SAMPLE} - kubecis.main - KAS-0005: --profiling=true (default): /debug/pprof is served (waived: skipped with --skip; --skip)`);
    expect(run.stdout).toMatch(new RegExp(`, ${SAMPLE_FAILURES.length - 1} failures?, 1 exception\n$`));
  });

  it.each([
    ["kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n", "exception 1: reason is required"],
    ["kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: x\n    expires: soon\n", "expires must be a date YYYY-MM-DD (a real calendar date)"],
    ["kind: Pod\n", "needs `kind: Exceptions`"],
    // A misspelt key would otherwise leave the waiver unscoped: it is refused, not ignored.
    ["kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: x\n    target: [clusters/dev/**]\n", 'exception 1: unknown key "target"'],
  ])("rejects a bad exceptions file with the file named (%#)", (body, message) => {
    const file = exceptions(body);
    const run = runKubecis(["test", SAMPLE, "--exceptions", file]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain(message);
  });
});

describe("SARIF", () => {
  const schema = JSON.parse(readFileSync(join(packageRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
  // ajv-draft-04 is CommonJS: its default export is the class at run time, `.default` to tsc.
  const Ajv04 = ((ajvDraft04 as unknown as { default?: typeof ajvDraft04 }).default ?? ajvDraft04) as unknown as typeof ajvDraft04.default;
  const validate = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

  it.each([SAMPLE, WARN_ONLY, INVALID, join(FIXTURES, "apiserver/profiling_disabled/fail/flag_true.yaml")])("is valid SARIF 2.1.0: %s", (path) => {
    const run = runKubecis(["test", path, "-o", "sarif", "--skip", "KAS-0001"]);
    const sarif = JSON.parse(run.stdout);
    const valid = validate(sarif);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(sarif.runs[0].invocations[0].exitCode).toBe(run.status);
  });

  it("has one rule per control, severity as level, and the offending flag's line", () => {
    const path = join(FIXTURES, "apiserver/profiling_disabled/fail/flag_true.yaml");
    const sarif = JSON.parse(runKubecis(["test", path, "-o", "sarif", "--skip", "KAS-0001"]).stdout);
    const run = sarif.runs[0];
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual([...new Set(run.results.map((r: { ruleId: string }) => r.ruleId))].sort());
    expect(ruleIds).toEqual(expect.arrayContaining(["KAS-0001", "KAS-0005"]));
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const profiling = run.results.find((r: { ruleId: string }) => r.ruleId === "KAS-0005");
    const line = readFileSync(path, "utf8").split("\n").findIndex((l) => l.includes("- --profiling=true")) + 1;
    expect(profiling).toMatchObject({
      level: "warning", // medium severity
      locations: [{ physicalLocation: { artifactLocation: { uri: path.replace(/^\//, "file:///") }, region: { startLine: line } } }],
    });
    const anonymous = run.results.find((r: { ruleId: string }) => r.ruleId === "KAS-0001");
    expect(anonymous.level).toBe("error"); // high severity
    expect(anonymous.suppressions).toEqual([{ kind: "external", justification: "skipped with --skip [--skip]" }]);
    expect(run.tool.driver.rules[ruleIds.indexOf("KAS-0005")].properties["security-severity"]).toBe("5.5");
  });
});

describe("JUnit", () => {
  it.each([SAMPLE, WARN_ONLY, HARDENED])("is well-formed and parsed by a JUnit reader: %s", async (path) => {
    const xml = runKubecis(["test", path, "-o", "junit"]).stdout;
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = (await parseJunit(xml)) as { testsuite?: { tests?: number; failures?: number; testcase?: { name: string; failure?: unknown[] }[] }[] };
    const suite = parsed.testsuite![0]!;
    const failing = suite.testcase!.filter((t) => t.failure);
    expect(suite.failures).toBe(failing.length);
    expect(suite.tests).toBe(suite.testcase!.length);
    const conftest = JSON.parse(runKubecis(["test", path, "-o", "json"]).stdout)[0];
    expect(failing.length).toBe((conftest.failures ?? []).length + (conftest.warnings ?? []).length);
  });
});

describe("text report", () => {
  it("shows the evidence of every pass result that names flags (flag or flags): each flag's value and file:line", () => {
    const report = JSON.parse(runKubecis(["test", SAMPLE, "-o", "report"]).stdout);
    const lines = runKubecis(["test", SAMPLE]).stdout.split("\n");
    type Flag = { flag: string; set?: boolean; origin?: { file?: string; line?: number } };
    const passes = report.targets[0].results.filter((r: { status: string; evidence: { flag?: Flag; flags?: Flag[] } }) => r.status === "pass" && (r.evidence.flag || r.evidence.flags));
    expect(passes.some((r: { evidence: { flags?: Flag[] } }) => r.evidence.flags)).toBe(true);
    for (const r of passes as { id: string; evidence: { flag?: Flag; flags?: Flag[] } }[]) {
      const detail = lines[lines.findIndex((l) => l.includes(` ${r.id}  `)) + 1] ?? "";
      for (const f of r.evidence.flags ?? [r.evidence.flag!]) {
        expect(detail, r.id).toContain(`--${f.flag}`);
        if (f.set && f.origin?.line) expect(detail, r.id).toContain(`${f.origin.file}:${f.origin.line}`);
      }
    }
  });
});

describe("GitHub annotations", () => {
  it("point at the offending flag's line", () => {
    const path = join(FIXTURES, "apiserver/profiling_disabled/fail/flag_true.yaml");
    const line = readFileSync(path, "utf8").split("\n").findIndex((l) => l.includes("- --profiling=true")) + 1;
    const out = runKubecis(["test", path, "-o", "github"]).stdout;
    expect(out).toContain(`::error file=${path},line=${line}::KAS-0005: --profiling=true: /debug/pprof is served`);
  });
});

describe("--data", () => {
  it("rejects a file that is not a mapping, naming it", () => {
    const file = scratchFile("options-list.yaml", "- a\n- b\n");
    const run = runKubecis(["test", SAMPLE, "--data", file]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(file);
  });
});
