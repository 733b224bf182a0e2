// Public API of kubecis: everything the CLI (src/cli) uses, and what library users may rely on.
// The run: load the policies once, judge inputs (run streams each target, judge collects them).
export { run, judge, testInputs, scanNode, reportHead, stoppedReport, type RunSource, type JudgeOptions, type RunEnd, type ReportHead, type ReportRest } from "./run.js";
export { loadKubecis, toolVersion, type RunOptions, type Kubecis } from "./scan.js";
// Input documents (`kubecis normalize`).
export { normalizeInputs, normalizeNode, renderDocuments, DOCUMENT_FORMATS, type DocumentFormat, type Normalized } from "./scan.js";
export { parseArgv, parseGoBool, parseValue, type ArgvItem } from "./normalizers/argv.js";
export { loadFlagTable } from "./normalizers/flag-table.js";
// Input limits and standard input.
export { DEFAULT_MAX_RBAC_BYTES, MAX_INPUT_BYTES, MAX_TEXT_BYTES, readStdin, type ReadLimits } from "./readers/files.js";
// The catalogue (`kubecis list`, `kubecis explain`).
export { readControls, explainControl, renderControlList, CONTROL_LIST_FORMATS, type ControlListFormat } from "./explain.js";
// Reports and exit codes.
export { renderText, SEVERITIES, type ResultFilter } from "./reporters/text.js";
export { renderReportJson, ReportJsonWriter } from "./reporters/report-json.js";
export { COMPANION_FRAMEWORKS, RISKS_FRAMEWORK, STARTUP_FRAMEWORK } from "./report.js";
export { renderReport, REPORT_FORMATS, type ReportFormat, type RenderContext } from "./reporters/index.js";
export { inertText } from "./reporters/inert.js";
export { ExitCode, exitCodeForReport, exitCodeForTally, exitCodeForNormalize, exitCodeForError, type ExitOptions, type RunTally } from "./exit-codes.js";
// Waivers.
export { applyWaivers, readWaiverFile, skipWaivers, unknownSelectors, unmatchedNodeWaivers, type WaiverRule } from "./waivers.js";
export { writeBundles } from "./bundles.js";
export { redactText } from "./redact.js";
export { InputError, PolicyError, UsageError, InternalError, KubecisError } from "./errors.js";
export { STATUSES } from "./types.js";
export type * from "./types.js";
