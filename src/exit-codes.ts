// The one place that decides the process exit code. It is a pure function of the run's
// outcome and the options; the README's exit-code table is written from this file.
import type { KubecisError } from "./errors.js";
import type { Report } from "./types.js";

export const ExitCode = {
  /** Every judged control passed, or was waived, not applicable or a warning. */
  Ok: 0,
  /** At least one control failed (not waived); with --fail-on-warn: only warnings. */
  Failures: 1,
  /** With --fail-on-warn: at least one control failed (conftest's code). */
  FailuresFailOnWarn: 2,
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

export interface ExitOptions {
  /** conftest's --fail-on-warn: failures exit 2, warnings alone exit 1. */
  failOnWarn?: boolean;
  /** conftest's --no-fail: failures and warnings exit 0 (input errors still exit 4). */
  noFail?: boolean;
}

/** Exit code for a finished run, the same for every output format. Input problems outrank
 * failures, so a CI gate never mistakes a run that could not judge everything for a clean
 * one. Waived results do not count; `error` results are never waived. Otherwise conftest's
 * codes: 0 clean, 1 failures; with --fail-on-warn 2 failures, 1 warnings only. */
export function exitCodeForReport(report: Report, options: ExitOptions = {}): ExitCode {
  const results = report.targets.flatMap((t) => t.results);
  if (report.errors.length > 0 || results.some((r) => r.status === "error")) return ExitCode.Input;
  if (options.noFail) return ExitCode.Ok;
  const counted = results.filter((r) => r.waived === undefined);
  const failures = counted.some((r) => r.status === "fail");
  const warnings = counted.some((r) => r.status === "warn");
  if (options.failOnWarn) {
    if (failures) return ExitCode.FailuresFailOnWarn;
    return warnings ? ExitCode.Failures : ExitCode.Ok;
  }
  return failures ? ExitCode.Failures : ExitCode.Ok;
}

/** Exit code for `kubecis normalize`: 4 when an input could not be used, else 0. */
export function exitCodeForNormalize(errors: readonly unknown[]): ExitCode {
  return errors.length > 0 ? ExitCode.Input : ExitCode.Ok;
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
