// The human report: one block per target, failures first, then the results outside the
// active profile (real statuses, apart), a summary line. Colour only
// when asked (the CLI asks when stdout is a TTY and NO_COLOR is unset).
import type { Report, Result, Status, Target } from "../types.js";
import { STATUSES } from "../types.js";
import { findingLines, subjectLines } from "./findings.js";

const LABEL: Record<Status, string> = {
  fail: "FAIL",
  error: "ERROR",
  warn: "WARN",
  pass: "PASS",
  "not-applicable": "N/A",
};
const COLOUR: Record<Status, string> = {
  fail: "\x1b[31m",
  error: "\x1b[35m",
  warn: "\x1b[33m",
  pass: "\x1b[32m",
  "not-applicable": "\x1b[90m",
};
const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";

export interface TextOptions {
  colour: boolean;
  /** Show only results with these statuses / severities (--status, --severity). What is shown
   * only: the summary line still counts every result, and the exit code never depends on it. */
  show?: ResultFilter;
  /** List every finding of a control, not the first few (--all). */
  allFindings?: boolean;
  /** After the results, every subject with what it can do that a control flags (--by subject). */
  bySubject?: boolean;
}

export interface ResultFilter {
  statuses?: readonly Status[];
  severities?: readonly string[];
}

/** The severities of the catalogue, most severe first (--severity's values). */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

export function renderText(report: Report, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.colour ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  let hidden = 0;
  for (const target of report.targets) {
    lines.push(paint(BOLD, describeTarget(target) + (target.node ? ` on node ${target.node}` : "")));
    const version = target.kubernetesVersion;
    // An unknown version's source starts "unknown: why" (src/normalizers/version.ts).
    lines.push(version.version ? `  Kubernetes ${version.version} (${version.source})` : `  Kubernetes version ${/^unknown\b/.test(version.source) ? version.source : `unknown (${version.source})`}`);
    lines.push(`  profile ${target.profile.name}: ${target.profile.reason}`);
    for (const d of target.diagnostics) {
      lines.push(`  ${paint(COLOUR.warn, "note")} ${where(d.origin.file, d.origin.line)}: ${d.message}`);
    }
    lines.push("");
    const shown = target.results.filter((r) => isShown(r, options.show));
    hidden += target.results.length - shown.length;
    const byStatus = (a: Result, b: Result) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status);
    const inside = shown.filter((r) => r.outside === undefined).sort(byStatus);
    const outside = shown.filter((r) => r.outside !== undefined).sort(byStatus);
    // Results outside the profile keep their real status, apart: shown, never gating.
    const ordered: (Result | string)[] = [...inside];
    if (outside.length > 0) ordered.push("", `  outside ${target.profile.name} (shown with their real status; they do not set the exit code):`, ...outside);
    for (const r of ordered) {
      if (typeof r === "string") {
        lines.push(r);
        continue;
      }
      lines.push(`  ${paint(COLOUR[r.status], LABEL[r.status].padEnd(5))} ${r.id}  ${cisIds(r, target.profile.name)}${r.title}`);
      const detail = r.status === "pass" ? describeEvidence(r) : r.reason;
      if (detail) lines.push(`         ${detail}`);
      lines.push(...findingLines(r, options.allFindings === true, "           "));
      if (r.remediation && (r.status === "fail" || r.status === "error")) lines.push(`         fix: ${r.remediation}`);
      if (r.waived) lines.push(`         waived: ${r.waived.reason}${r.waived.expires ? ` (until ${r.waived.expires})` : ""} [${r.waived.source}]`);
      if (r.waiverExpired) {
        lines.push(`         ${paint(COLOUR.warn, "note")} waiver expired on ${r.waiverExpired.expires}: ${r.waiverExpired.reason} [${r.waiverExpired.source}]`);
      }
    }
    if (options.bySubject) lines.push("", ...subjectLines(shown, (status) => paint(COLOUR[status], LABEL[status].padEnd(5)), "  "));
    lines.push("");
  }
  for (const e of report.errors) {
    lines.push(`${paint(COLOUR.error, "ERROR")} ${where(e.file, e.line)}: ${e.message}`);
  }
  if (report.errors.length > 0) lines.push("");
  for (const n of report.nodes ?? []) {
    lines.push(`node ${n.node}: ${n.targets} target${n.targets === 1 ? "" : "s"}, ${n.summary.pass} passed, ${n.summary.fail} failed, ${n.summary.warn} to review, ${n.summary["not-applicable"]} not applicable, ${n.summary.error} not judged${n.waived ? `, ${n.waived} waived` : ""}`);
  }
  if (report.nodes) lines.push(`cluster: ${report.nodes.length} node${report.nodes.length === 1 ? "" : "s"}`);
  if (hidden > 0) lines.push(`${hidden} result${hidden === 1 ? "" : "s"} not shown (${describeFilter(options.show!)})`);
  lines.push(summaryLine(report));
  return lines.join("\n") + "\n";
}

function isShown(r: Result, show: ResultFilter | undefined): boolean {
  if (show?.statuses && !show.statuses.includes(r.status)) return false;
  if (show?.severities && !show.severities.includes(r.severity)) return false;
  return true;
}

function describeFilter(show: ResultFilter): string {
  const parts = [];
  if (show.statuses) parts.push(`--status ${show.statuses.join(",")}`);
  if (show.severities) parts.push(`--severity ${show.severities.join(",")}`);
  return `shown: ${parts.join(" ")}`;
}

function describeTarget(target: Target): string {
  const s = target.source;
  const at = s.line ? `${s.path}:${s.line}` : s.path;
  return `${at} (${s.format}${s.workload ? `, ${s.workload}` : ""}${s.container ? `, container ${s.container}` : ""})`;
}

/** The control's numbers in the profile, or, outside it, in the framework the result still shows (seed-2020). */
function cisIds(r: Result, profile: string): string {
  const [name, ids] = r.frameworks[profile] ? [profile, r.frameworks[profile]] : (Object.entries(r.frameworks)[0] ?? [profile, undefined]);
  return ids && ids.length > 0 ? `[${name} ${ids.join(", ")}] ` : "";
}

type FlagEvidence = { flag?: string; value?: unknown; set?: boolean; writtenAs?: string; origin?: { file?: string; line?: number } };

/** "--anonymous-auth=false (kube-apiserver.yaml:17)" from a result's flag evidence; several
 * flags (evidence `flags`: a key pair, the admission plugin list) joined with "; ". */
function describeEvidence(r: Result): string | undefined {
  const flags = (r.evidence["flags"] as FlagEvidence[] | undefined) ?? [r.evidence["flag"] as FlagEvidence | undefined];
  const described = flags.map(describeFlag).filter((d) => d !== undefined);
  return described.length > 0 ? described.join("; ") : undefined;
}

function describeFlag(flag: FlagEvidence | undefined): string | undefined {
  if (!flag?.flag) return undefined;
  // Same wording as lib.flags.describe: an absent flag without a default is "not set".
  if (!flag.set && !("value" in flag)) return `--${flag.flag} is not set`;
  const origin = flag.set && flag.origin ? ` (${where(flag.origin.file, flag.origin.line)})` : " (default)";
  // An alias is shown as written, with the flag kube-apiserver reads it as.
  const alias = flag.writtenAs ? ` (an alias of --${flag.flag})` : "";
  if (flag.value === undefined || flag.value === null) return `--${flag.writtenAs ?? flag.flag} with no value${alias}${origin}`;
  const value = Array.isArray(flag.value) ? flag.value.join(",") : String(flag.value);
  return `--${flag.writtenAs ?? flag.flag}=${value}${alias}${origin}`;
}

function where(file: string | undefined, line: number | undefined): string {
  return line ? `${file ?? "-"}:${line}` : (file ?? "-");
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const total = STATUSES.reduce((n, status) => n + s[status], 0);
  const parts = [
    `${report.targets.length} target${report.targets.length === 1 ? "" : "s"}`,
    `${total} result${total === 1 ? "" : "s"}`,
    `${s.pass} passed`,
    `${s.fail} failed`,
    `${s.warn} to review`,
    `${s["not-applicable"]} not applicable`,
    `${s.error} not judged`,
  ];
  if (report.waived) parts.push(`${report.waived} waived`);
  const outside = new Map<string, number>();
  for (const t of report.targets) for (const r of t.results) if (r.outside !== undefined) outside.set(r.outside, (outside.get(r.outside) ?? 0) + 1);
  for (const [profile, n] of [...outside].sort()) parts.push(`${n} outside ${profile}`);
  if (report.errors.length > 0) parts.push(`${report.errors.length} input error${report.errors.length === 1 ? "" : "s"}`);
  return parts.join(", ");
}
