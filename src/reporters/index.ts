// Every output format of `kubecis test`, by name: the one dispatch from a format to its reporter.
import type { Control, Report } from "../types.js";
import { renderConftestJson, renderJunit, renderStdout, renderTable, renderTap } from "./conftest.js";
import { renderGithub } from "./github.js";
import { inertReport } from "./inert.js";
import { renderReportJson } from "./report-json.js";
import { renderSarif } from "./sarif.js";
import { renderText, type ResultFilter } from "./text.js";

export const REPORT_FORMATS = ["text", "report", "stdout", "json", "tap", "table", "junit", "github", "sarif"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderContext {
  colour: boolean;
  toolVersion: string;
  controls: readonly Control[];
  /** The run's exit code (SARIF records it). */
  exitCode: number;
  /** Text output only: the results shown (--status, --severity). */
  show?: ResultFilter;
  /** Text output only: every finding (--all), the per-subject view (--by subject). */
  allFindings?: boolean;
  bySubject?: boolean;
}

/** The formats that are JSON documents: their strings are JSON-escaped, never written raw. */
const JSON_FORMATS: ReadonlySet<ReportFormat> = new Set(["report", "json", "sarif"]);

export function renderReport(raw: Report, format: ReportFormat, ctx: RenderContext): string {
  // Every other format is read line by line (a terminal, a CI log, a TAP or JUnit consumer):
  // what the input wrote reaches it only through inertText (src/reporters/inert.ts).
  const report = JSON_FORMATS.has(format) ? raw : inertReport(raw);
  switch (format) {
    case "text":
      return renderText(report, { colour: ctx.colour, ...(ctx.show ? { show: ctx.show } : {}), allFindings: ctx.allFindings === true, bySubject: ctx.bySubject === true });
    case "report":
      return renderReportJson(report);
    case "stdout":
      return renderStdout(report, { colour: ctx.colour });
    case "json":
      return renderConftestJson(report);
    case "tap":
      return renderTap(report);
    case "table":
      return renderTable(report);
    case "junit":
      return renderJunit(report, ctx.toolVersion);
    case "github":
      return renderGithub(report);
    case "sarif":
      return renderSarif(report, { toolVersion: ctx.toolVersion, controls: ctx.controls, exitCode: ctx.exitCode });
  }
}
