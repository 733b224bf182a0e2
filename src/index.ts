// Public API of kubecis.
export { normalizeInputs, normalizeNode, scanNode, testInputs, loadKubecis, type RunOptions, type Kubecis, type Normalized } from "./scan.js";
export { parseArgv, parseGoBool, parseValue, type ArgvItem } from "./normalizers/argv.js";
export { loadFlagTable } from "./normalizers/flag-table.js";
export { renderText } from "./reporters/text.js";
export { renderReportJson } from "./reporters/report-json.js";
export { ExitCode, exitCodeForReport, exitCodeForError } from "./exit-codes.js";
export { InputError, PolicyError, UsageError, InternalError, KubecisError } from "./errors.js";
export type * from "./types.js";
