// The one place that decides the process exit code. It is a pure function of the run's
// outcome and the options; the README's exit-code table is written from this file.
import type { KubecisError } from "./errors.js";
import type { Report } from "./types.js";

export const ExitCode = {
  /** Every judged control passed, or was waived, not applicable or a warning. */
  Ok: 0,
  /** At least one control failed. */
  Failures: 1,
  /** The command line was wrong. */
  Usage: 3,
  /** An input could not be read or parsed, held no API server, or a control could not be
   * judged (status `error`). The other inputs were still judged and reported. */
  Input: 4,
  /** The policy bundle or catalogue could not be loaded, or evaluation failed. */
  Policy: 5,
  /** A bug in kubecis. */
  Internal: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Exit code for a finished run: input problems outrank failures, so a CI gate never
 * mistakes a run that could not judge everything for a clean one. */
export function exitCodeForReport(report: Report): ExitCode {
  const results = report.targets.flatMap((t) => t.results);
  if (report.errors.length > 0 || results.some((r) => r.status === "error")) return ExitCode.Input;
  if (results.some((r) => r.status === "fail")) return ExitCode.Failures;
  return ExitCode.Ok;
}

/** Exit code for a run that stopped with an error. */
export function exitCodeForError(error: KubecisError | undefined): ExitCode {
  switch (error?.kind) {
    case "usage":
      return ExitCode.Usage;
    case "input":
      return ExitCode.Input;
    case "policy":
      return ExitCode.Policy;
    default:
      return ExitCode.Internal;
  }
}
