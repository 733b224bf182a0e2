// Public API of kubecis.
export { normalizeInputs, normalizeNode, scanNode, testInputs, loadKubecis, type RunOptions, type Kubecis, type Normalized } from "./scan.js";
export { parseArgv, parseGoBool, parseValue, type ArgvItem } from "./normalizers/argv.js";
export { loadFlagTable } from "./normalizers/flag-table.js";
export { renderText } from "./reporters/text.js";
export { renderReportJson } from "./reporters/report-json.js";
export { ExitCode, exitCodeForReport, exitCodeForError, type ExitOptions } from "./exit-codes.js";
export { renderReport, REPORT_FORMATS, type ReportFormat, type RenderContext } from "./reporters/index.js";
export { applyWaivers, readWaiverFile, skipWaivers, type WaiverRule } from "./waivers.js";
export { writeBundles } from "./bundles.js";
export { InputError, PolicyError, UsageError, InternalError, KubecisError } from "./errors.js";
export type * from "./types.js";
