// The `github` format: GitHub Actions workflow commands, one group per input file, as conftest's
// `github` output (byte for byte for every control without findings: test/conftest-parity.test.ts),
// except that a fail or warn whose evidence lists findings (the RBAC checks) is annotated finding
// by finding instead of once per control.
//
// GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job);
// the rest are dropped silently. So findings get only the annotations left of that budget once
// every control has one: each control with findings is annotated with its first finding, and the
// spare error (warning) annotations go to its further findings, control by control in output
// order. Every finding the evidence keeps that is not annotated is still listed in the log under
// its control, with how many more the evidence left out; a closing notice says how many findings
// were annotated and where to see the rest. Inputs that could not be read or judged (conftest
// stops at the first and prints nothing) come first, an error annotation each at file and line.
import type { Report, ReportError, Result, Target } from "../types.js";
import { summaryText, toCheckResults, type CheckResult, type ConftestMessage } from "./conftest.js";
import { findingMessage, findingsOf, hiddenFindingsText, reportsFindings } from "./findings.js";
import { inertText } from "./inert.js";

/** Annotations of one level GitHub shows per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

type Level = "error" | "warning";

export function renderGithub(report: Report): string {
  const entries = toCheckResults(report);
  const targetOf = new Map<Result, Target>();
  for (const target of report.targets) for (const result of target.results) targetOf.set(result, target);
  const spare = spareAnnotations(entries, report.errors.length);
  let annotated = 0;
  let logged = 0;
  let left = 0;
  const lines: string[] = [];
  // Inputs that could not be read or judged (why the run exits 4): an error annotation each,
  // before any finding, so that GitHub's per-step budget never drops them.
  for (const error of report.errors) lines.push(errorAnnotation(error));
  for (const e of entries) {
    const policies = e.successes + e.warnings.length + e.failures.length + e.exceptions.length;
    lines.push(command("group", {}, `Testing ${JSON.stringify(e.filename)} against ${policies} policies in namespace ${JSON.stringify(e.namespace)}`));
    // An RBAC inventory of several files is located at its first file, never at the list.
    const inventoryFile = report.targets.find((t) => t.source.path === e.filename && t.source.files)?.source.files?.[0];
    const fileOf = (result: Result | undefined): string => (result && targetOf.get(result)?.source.files?.[0]) || inventoryFile || e.filename;
    const emit = (level: string, m: ConftestMessage, result?: Result) => {
      const file = fileOf(result);
      if (m.loc?.file && m.loc.file !== file) {
        lines.push(command(level, { file: m.loc.file, line: m.loc.line ?? 1 }, m.msg));
        lines.push(command(level, { file, line: 1 }, `(ORIGINATING FROM ${m.loc.file} L${m.loc.line ?? 1}) ${m.msg}`));
      } else {
        lines.push(command(level, { file, line: m.loc?.line ?? 1 }, m.msg));
      }
    };
    const emitFindings = (level: Level, result: Result) => {
      const { shown, total } = findingsOf(result)!;
      const extra = Math.min(spare[level], shown.length - 1);
      spare[level] -= extra;
      const file = fileOf(result);
      shown.forEach((finding, i) => {
        const message = findingMessage(result, finding);
        if (i <= extra) lines.push(command(level, { file, line: 1 }, message));
        else lines.push(logLine(`  ${message} (not annotated: GitHub shows ${ANNOTATIONS_PER_LEVEL} ${level}s per step)`));
      });
      annotated += extra + 1;
      logged += shown.length - extra - 1;
      if (total > shown.length) {
        left += total - shown.length;
        lines.push(logLine(`  ${hiddenFindingsText(result, shown.length, total)}`));
      }
    };
    for (const [level, messages, results] of [
      ["error", e.failures, e.results.failures],
      ["warning", e.warnings, e.results.warnings],
    ] as const) {
      messages.forEach((m, i) => (reportsFindings(results[i]!) ? emitFindings(level, results[i]!) : emit(level, m, results[i])));
    }
    for (const m of e.exceptions) emit("notice", m);
    lines.push(command("notice", { file: fileOf(undefined), line: 1 }, `Number of successful checks: ${e.successes}`));
    lines.push(command("endgroup", {}, ""));
  }
  lines.push(summaryText(entries));
  if (logged + left > 0) {
    lines.push(
      command(
        "notice",
        {},
        `kubecis: ${annotated} of ${annotated + logged + left} findings annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} error, ${ANNOTATIONS_PER_LEVEL} warning and ${ANNOTATIONS_PER_LEVEL} notice annotations per step, 50 per job); ` +
          `${logged} more are listed in this log` +
          (left > 0 ? `, ${left} more only in \`kubecis test --all -o report\`` : ""),
      ),
    );
  }
  return lines.join("\n") + "\n";
}

/** An input error's annotation, at its file and line (without a file, e.g. standard input, the
 * message names where). */
function errorAnnotation(error: ReportError): string {
  if (!error.file || error.file === "-") return command("error", {}, `${error.file ?? "-"}${error.line ? `:${error.line}` : ""}: ${error.message}`);
  return command("error", { file: error.file, line: error.line ?? 1 }, error.message);
}

/** Per level, the annotations left of GitHub's per-step budget once the input errors and every
 * control have their one (conftest's line or lines; a control with findings: its first finding). */
function spareAnnotations(entries: readonly CheckResult[], inputErrors: number): Record<Level, number> {
  const used: Record<Level, number> = { error: inputErrors, warning: 0 };
  for (const e of entries) {
    for (const [level, messages, results] of [
      ["error", e.failures, e.results.failures],
      ["warning", e.warnings, e.results.warnings],
    ] as const) {
      messages.forEach((m, i) => {
        used[level] += !reportsFindings(results[i]!) && m.loc?.file && m.loc.file !== e.filename ? 2 : 1;
      });
    }
  }
  return { error: Math.max(0, ANNOTATIONS_PER_LEVEL - used.error), warning: Math.max(0, ANNOTATIONS_PER_LEVEL - used.warning) };
}

/**
 * A workflow command line, the only way a line of this format is built, so that no value from the
 * input (a flag value, a file name, an RBAC subject) ends it or starts another: the message
 * escaped like the Actions toolkit's escapeData, property values like its escapeProperty
 * (actions/toolkit packages/core/src/command.ts), which the runner undoes (actions/runner
 * src/Runner.Common/ActionCommand.cs UnescapeData, UnescapeProperty). conftest writes both raw.
 */
function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties).map(([key, value]) => `${key}=${property(String(value))}`);
  return `::${name}${props.length > 0 ? ` ${props.join(",")}` : ""}::${data(message)}`;
}

/** A plain log line of this format (escaped like a message as well). */
function logLine(text: string): string {
  return inertText(data(text));
}

/** A workflow command's message: %, CR and LF escaped as the runner unescapes them. */
function data(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command property value: also `:` and `,`. */
function property(text: string): string {
  return data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
