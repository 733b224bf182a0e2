// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure): one rule per control with its
// title, description, remediation and severity; one result per failing, erroring or warning
// control, and, for a fail or warn whose evidence lists findings (the RBAC checks), one result
// per finding instead: at most the findings the evidence keeps (rbac-max-findings, in the
// engine's risk order) and never more than MAX_RESULTS_PER_CONTROL, with a tool execution
// notification saying how many more there are. Every result has a partialFingerprints entry
// (src/reporters/findings.ts) so code scanning tracks it across runs. Results are located at
// the file and line of the offending flag where the evidence knows it, else at the target (the
// manifest's container, the ps line; an RBAC inventory: its first input file). Waived findings
// are reported with an external suppression carrying the waiver's reason. Findings of controls
// outside the active profile are `note`s, with properties.outside naming the profile. Unlike
// conftest's SARIF (rule ids `kubecis/main/deny`, `kubecis/main/warn`), rules here are
// kubecis's control ids, so code-scanning alerts stay stable per control.
import type { Control, Report, ReportError, Result, Target } from "../types.js";
import { locationOf, messageText } from "./conftest.js";
import { inertJson } from "./inert.js";
import { findingMessage, findingsOf, fingerprintOf, hiddenFindingsText, reportsFindings, targetIdentities, type Finding } from "./findings.js";

const SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json";
/** package.json's repository (test/ci-formats.test.ts holds them equal); rules link to their
 * section of docs/controls.md at the release's tag. */
const REPOSITORY = "https://github.com/kubecis/kubecis";
/** The most results one control gives on one target: keeps a run of every RBAC control within
 * the 5,000 results GitHub code scanning displays per run, whatever rbac-max-findings says. */
export const MAX_RESULTS_PER_CONTROL = 100;
/** The partialFingerprints key (docs: which fields it hashes). */
export const FINGERPRINT_KEY = "kubecis/v1";

type Level = "error" | "warning" | "note";

/** Severity → SARIF level for failures; also GitHub's numeric security-severity. */
const SEVERITY: Record<string, { level: Level; score: string }> = {
  critical: { level: "error", score: "9.5" },
  high: { level: "error", score: "8.0" },
  medium: { level: "warning", score: "5.5" },
  low: { level: "note", score: "3.0" },
  info: { level: "note", score: "1.0" },
};

export interface SarifOptions {
  toolVersion: string;
  /** The catalogue's controls, for rule descriptions. */
  controls: readonly Control[];
  exitCode: number;
}

export function renderSarif(report: Report, options: SarifOptions): string {
  const reported: { target: Target; result: Result }[] = [];
  for (const target of report.targets) {
    for (const result of target.results) {
      if (result.status === "fail" || result.status === "error" || result.status === "warn") reported.push({ target, result });
    }
  }
  const identities = targetIdentities(report.targets);
  const ruleIds = [...new Set(reported.map((f) => f.result.id))].sort();
  const byId = new Map(options.controls.map((c) => [c.id, c]));
  const rules = ruleIds.map((id) => {
    const sample = reported.find((f) => f.result.id === id)!.result;
    const control = byId.get(id);
    const severity = SEVERITY[sample.severity] ?? SEVERITY["medium"]!;
    return {
      id,
      name: id,
      shortDescription: { text: sample.title },
      fullDescription: { text: control?.description ?? sample.title },
      help: { text: control?.remediation ?? sample.remediation ?? sample.title },
      helpUri: `${REPOSITORY}/blob/v${options.toolVersion}/docs/controls.md#${id.toLowerCase()}`,
      defaultConfiguration: { level: severity.level },
      properties: {
        severity: sample.severity,
        "security-severity": severity.score,
        tags: ["security", "kubernetes", "cis", ...Object.entries(control?.frameworks ?? sample.frameworks).flatMap(([f, ids]) => ids.map((n) => `${f}/${n}`))],
      },
    };
  });
  const results: Record<string, unknown>[] = [];
  const notShown: Record<string, unknown>[] = [];
  for (const { target, result } of reported) {
    const ruleIndex = ruleIds.indexOf(result.id);
    if (!reportsFindings(result)) {
      results.push(resultOf(target, identities.get(target)!, result, ruleIndex));
      continue;
    }
    const { shown, total } = findingsOf(result)!;
    const kept = shown.slice(0, MAX_RESULTS_PER_CONTROL);
    for (const finding of kept) results.push(resultOf(target, identities.get(target)!, result, ruleIndex, finding));
    if (total > kept.length) {
      notShown.push({
        level: "note",
        message: { text: hiddenFindingsText(result, kept.length, total) },
        locations: [locationOfTarget(target)],
        descriptor: { id: "findings-not-shown" },
        associatedRule: { id: result.id, index: ruleIndex },
      });
    }
  }
  const notifications = [...report.errors.map(notificationOf), ...notShown];
  const sarif = {
    version: "2.1.0",
    $schema: SCHEMA,
    runs: [
      {
        tool: { driver: { name: "kubecis", version: options.toolVersion, informationUri: REPOSITORY, rules } },
        invocations: [
          {
            // Not when an input or a control inside the profile could not be judged, or nothing
            // was judged (what makes the exit code 4 or worse).
            executionSuccessful: report.errors.length === 0 && report.targets.length > 0 && !report.targets.some((t) => t.results.some((r) => r.status === "error" && r.outside === undefined)),
            exitCode: options.exitCode,
            // Inputs that could not be read or judged, each with its file (the other inputs' results
            // are above); then, per control, the findings left out of the results.
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
      },
    ],
  };
  return inertJson(JSON.stringify(sarif, null, 2)) + "\n";
}

/** One SARIF result: a control's on a target, or one of its findings. */
function resultOf(target: Target, identity: readonly string[], result: Result, ruleIndex: number, finding?: Finding): Record<string, unknown> {
  const expired = result.waiverExpired ? ` (waiver expired ${result.waiverExpired.expires}: ${result.waiverExpired.reason})` : "";
  const out: Record<string, unknown> = {
    ruleId: result.id,
    ruleIndex,
    level: levelOf(result),
    message: { text: (finding ? findingMessage(result, finding) : messageText(result)) + expired },
    locations: [finding ? locationOfTarget(target) : locationOfResult(target, result)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(result.id, identity, finding) },
    properties: {
      status: result.status,
      ...(result.outside !== undefined ? { outside: result.outside } : {}),
      ...(target.node ? { node: target.node } : {}),
      ...(finding ? { finding } : {}),
    },
  };
  if (result.waived) {
    out["suppressions"] = [{ kind: "external", justification: `${result.waived.reason}${result.waived.expires ? ` (expires ${result.waived.expires})` : ""} [${result.waived.source}]` }];
  }
  return out;
}

/** The offending flag's file and line where the evidence knows it, else the target's. */
function locationOfResult(target: Target, result: Result): Record<string, unknown> {
  const loc = locationOf(result);
  return loc ? physical(loc.file, loc.line) : locationOfTarget(target);
}

/** The target's input: its file and line; for a run-wide inventory, its first input file. */
function locationOfTarget(target: Target): Record<string, unknown> {
  return physical(target.source.files?.[0] ?? target.source.path, target.source.line);
}

function physical(file: string, line: number | undefined): Record<string, unknown> {
  return { physicalLocation: { artifactLocation: { uri: file === "-" ? "stdin" : toUri(file) }, ...(line ? { region: { startLine: line } } : {}) } };
}

function notificationOf(error: ReportError): Record<string, unknown> {
  const file = error.file ?? "-";
  return {
    level: "error",
    message: { text: error.message },
    locations: [physical(file, error.line)],
    descriptor: { id: `${error.kind}-error` },
  };
}

function levelOf(result: Result): Level {
  // Outside the active profile: reported, never an alert that gates (DESIGN decision 8).
  if (result.outside !== undefined) return "note";
  if (result.status === "error") return "error";
  if (result.status === "warn") return "warning";
  return (SEVERITY[result.severity] ?? SEVERITY["medium"]!).level;
}

/** Relative paths stay relative (resolved against the checkout by code scanning); separators are `/`. */
function toUri(path: string): string {
  const slashed = path.replace(/\\/g, "/");
  return encodeURI(slashed.startsWith("/") ? `file://${slashed}` : slashed.replace(/^\.\//, ""));
}
