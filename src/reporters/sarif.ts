// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure): one rule per control with its
// title, description, remediation and severity; one result per finding (fail, error, warn)
// located at the file and line of the offending flag where the evidence knows it, else at
// the target (the manifest's container, the ps line). Waived findings are reported with an
// external suppression carrying the waiver's reason. Findings of controls outside the active
// profile are `note`s, with properties.outside naming the profile. Unlike conftest's SARIF (rule ids
// `kubecis/main/deny`, `kubecis/main/warn`), rules here are kubecis's control ids, so code-scanning alerts
// stay stable per control.
import type { Control, Report, ReportError, Result, Target } from "../types.js";
import { locationOf, messageText } from "./conftest.js";

const SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json";
/** package.json's repository (test/ci-formats.test.ts holds them equal); rules link to their
 * section of docs/controls.md at the release's tag. */
const REPOSITORY = "https://github.com/kubecis/kubecis";

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
  const findings: { target: Target; result: Result }[] = [];
  for (const target of report.targets) {
    for (const result of target.results) {
      if (result.status === "fail" || result.status === "error" || result.status === "warn") findings.push({ target, result });
    }
  }
  const ruleIds = [...new Set(findings.map((f) => f.result.id))].sort();
  const byId = new Map(options.controls.map((c) => [c.id, c]));
  const rules = ruleIds.map((id) => {
    const sample = findings.find((f) => f.result.id === id)!.result;
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
  const results = findings.map(({ target, result }) => {
    const loc = locationOf(result);
    const file = loc?.file ?? target.source.path;
    const line = loc?.line ?? target.source.line;
    const out: Record<string, unknown> = {
      ruleId: result.id,
      ruleIndex: ruleIds.indexOf(result.id),
      level: levelOf(result),
      message: { text: messageText(result) + (result.waiverExpired ? ` (waiver expired ${result.waiverExpired.expires}: ${result.waiverExpired.reason})` : "") },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: file === "-" ? "stdin" : toUri(file) },
            ...(line ? { region: { startLine: line } } : {}),
          },
        },
      ],
      properties: { status: result.status, ...(result.outside !== undefined ? { outside: result.outside } : {}), ...(target.node ? { node: target.node } : {}) },
    };
    if (result.waived) {
      out["suppressions"] = [{ kind: "external", justification: `${result.waived.reason}${result.waived.expires ? ` (expires ${result.waived.expires})` : ""} [${result.waived.source}]` }];
    }
    return out;
  });
  const sarif = {
    version: "2.1.0",
    $schema: SCHEMA,
    runs: [
      {
        tool: { driver: { name: "kubecis", version: options.toolVersion, informationUri: REPOSITORY, rules } },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            exitCode: options.exitCode,
            // Inputs that could not be read or judged, each with its file (the other inputs' results are above).
            ...(report.errors.length > 0 ? { toolExecutionNotifications: report.errors.map(notificationOf) } : {}),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

function notificationOf(error: ReportError): Record<string, unknown> {
  const file = error.file ?? "-";
  return {
    level: "error",
    message: { text: error.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: file === "-" ? "stdin" : toUri(file) }, ...(error.line ? { region: { startLine: error.line } } : {}) } }],
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
