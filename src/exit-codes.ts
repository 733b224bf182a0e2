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
  /** The policy bundle or catalogue could not be loaded, or evaluation failed (for one input
   * of a run, that input is a report error of kind "policy" and the others are still judged). */
  Policy: 5,
  /** A bug in kubecis. */
  Internal: 6,
  /** Standard output was closed before the run ended (`kubecis list | head -1`): the run
   * stops quietly with the code of a process killed by SIGPIPE (128 + 13), as `cat` would. */
  OutputClosed: 141,
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
 * one. Results outside the active profile and waived results do not count; `error` results are never waived. Otherwise conftest's
 * codes: 0 clean, 1 failures; with --fail-on-warn 2 failures, 1 warnings only. */
export function exitCodeForReport(report: Report, options: ExitOptions = {}): ExitCode {
  const policyErrors = report.errors.filter((e) => e.kind === "policy").length;
  const tally: RunTally = { inputErrors: report.errors.length - policyErrors, policyErrors, error: false, fail: false, warn: false, targets: 0 };
  for (const target of report.targets) tallyResults(tally, target.results);
  return exitCodeForTally(tally, options);
}

/** What the exit code depends on, gathered target by target when a report is streamed. */
export interface RunTally {
  /** Input errors (files that could not be used). */
  inputErrors: number;
  /** Inputs the policy could not evaluate (a kubecis bug): they outrank everything else. */
  policyErrors: number;
  /** Some result has status `error`. */
  error: boolean;
  /** Some result that is not waived failed. */
  fail: boolean;
  /** Some result that is not waived is a warning. */
  warn: boolean;
  /** Targets judged (tallyResults counts them). */
  targets: number;
}

/** Counts one judged target's results into the tally. */
export function tallyResults(tally: RunTally, results: readonly { status: string; waived?: unknown; outside?: unknown }[]): void {
  tally.targets++;
  for (const r of results) {
    // Outside the active profile: shown with its real status, never gating (DESIGN decision 8).
    if (r.outside !== undefined) continue;
    if (r.status === "error") tally.error = true;
    else if (r.waived === undefined) {
      if (r.status === "fail") tally.fail = true;
      else if (r.status === "warn") tally.warn = true;
    }
  }
}

/** exitCodeForReport's decision, from a tally. */
export function exitCodeForTally(tally: RunTally, options: ExitOptions = {}): ExitCode {
  if (tally.policyErrors > 0) return ExitCode.Policy;
  // Nothing judged is never a pass, even when no input reported why (DESIGN decision 2).
  if (tally.inputErrors > 0 || tally.error || tally.targets === 0) return ExitCode.Input;
  if (options.noFail) return ExitCode.Ok;
  if (options.failOnWarn) {
    if (tally.fail) return ExitCode.FailuresFailOnWarn;
    return tally.warn ? ExitCode.Failures : ExitCode.Ok;
  }
  return tally.fail ? ExitCode.Failures : ExitCode.Ok;
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
