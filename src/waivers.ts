// Waivers: the one place that decides which results are waived. Applied after evaluation,
// so the policies judge everything and the report keeps every result visible: a waived
// result keeps its status, carries `waived: {reason, expires, source}`, is counted under
// `waived`, and does not fail the run. A waiver whose expiry date has passed no longer
// applies; the result carries `waiverExpired` so the report says why the finding is back.
//
// Sources: `--skip ID|SECTION` (a control id such as KAS-0005, a CIS number or section of the
// target's profile such as 1.2 or 1.2.15, or a seed-checklist id such as S08), and an
// exceptions file (YAML) whose entries are scoped to targets by path glob and node name.
import { InputError, UsageError } from "./errors.js";
import { globMatchesPath } from "./globs.js";
import { readTextFile } from "./readers/files.js";
import { readYamlDocuments } from "./readers/yaml.js";
import { nodeTally, summariseNodes } from "./report.js";
import type { Control, Report, Result, Target, WaiverRef } from "./types.js";

/** One entry of an exceptions file. */
export interface WaiverRule {
  /** Control ids or CIS numbers/sections ("KAS-0005", "1.2", "1.2.15", "S08"). */
  controls: string[];
  /** Path globs of the inputs it covers (`*` within a path segment, `**` across), relative to
   * the working directory or absolute (globMatchesPath). A target built from several files is
   * covered when each of its files is. Absent: every input. */
  targets?: string[];
  /** Node names it covers. Absent: every node. */
  nodes?: string[];
  reason: string;
  /** YYYY-MM-DD: the last day the waiver applies. */
  expires?: string;
  source: string;
}

export interface WaiverSet {
  rules: WaiverRule[];
}

/** The waivers from `--skip` values (comma-separated lists allowed). */
export function skipWaivers(values: readonly string[]): WaiverRule[] {
  const controls = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v.length > 0);
  if (controls.length === 0) return [];
  for (const c of controls) {
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(c)) throw new UsageError(`--skip: "${c}" is not a control id or CIS section (e.g. KAS-0005, 1.2, 1.2.15)`);
  }
  return [{ controls, reason: "skipped with --skip", source: "--skip" }];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads an exceptions file:
 *
 *     apiVersion: kubecis.dev/v1alpha1
 *     kind: Exceptions
 *     exceptions:
 *       - controls: [KAS-0005]
 *         targets: ["clusters/dev/**"]     # optional path globs
 *         nodes: [cp-1]                    # optional node names
 *         reason: profiling needed for an open performance incident
 *         expires: 2027-01-31             # optional, YYYY-MM-DD
 */
export function readWaiverFile(path: string): WaiverRule[] {
  const doc = readYamlDocuments(readTextFile(path))[0]?.value;
  const entries = (doc as { exceptions?: unknown } | null)?.exceptions;
  if ((doc as { kind?: unknown } | null)?.kind !== "Exceptions" || !Array.isArray(entries)) {
    throw new InputError('an exceptions file needs `kind: Exceptions` and a list `exceptions:`', { file: path });
  }
  // Every field is the parsed node's value, never text re-read from its line (a flow-style
  // line can hold another entry's `expires:`). Dates stay as written: the YAML reader has no
  // timestamp type (readers/yaml.ts parseOptions), so 2027-02-30 is a string, refused below.
  return entries.map((raw, i) => toRule(raw, `${path}#${i + 1}`, path));
}

/** A real calendar date written YYYY-MM-DD (2027-02-30 and 2027-13-45 are not). */
export function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const WAIVER_KEYS = new Set(["controls", "targets", "nodes", "reason", "expires"]);

function toRule(raw: unknown, source: string, path: string): WaiverRule {
  const bad = (what: string) => new InputError(`exception ${source.slice(path.length + 1)}: ${what}`, { file: path });
  if (typeof raw !== "object" || raw === null) throw bad("expected a mapping");
  const entry = raw as Record<string, unknown>;
  // A misspelt key (`target:` for `targets:`) would widen the waiver to every input: refuse it.
  const unknownKeys = Object.keys(entry).filter((key) => !WAIVER_KEYS.has(key));
  if (unknownKeys.length > 0) throw bad(`unknown key ${unknownKeys.map((k) => JSON.stringify(k)).join(", ")} (an exception has ${[...WAIVER_KEYS].join(", ")})`);
  const strings = (key: string): string[] | undefined => {
    const value = entry[key];
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || !list.every((v) => typeof v === "string" && v.length > 0)) throw bad(`${key} must be a non-empty list of strings`);
    return list as string[];
  };
  const controls = strings("controls");
  if (!controls) throw bad("controls is required (control ids or CIS sections)");
  if (typeof entry["reason"] !== "string" || entry["reason"].trim() === "") throw bad("reason is required");
  const rule: WaiverRule = { controls, reason: entry["reason"], source };
  const targets = strings("targets");
  if (targets) rule.targets = targets;
  const nodes = strings("nodes");
  if (nodes) rule.nodes = nodes;
  if (entry["expires"] !== undefined) {
    const expires = entry["expires"];
    if (typeof expires !== "string" || !isCalendarDate(expires)) {
      throw bad(`expires must be a date YYYY-MM-DD (a real calendar date), got ${JSON.stringify(expires)}`);
    }
    rule.expires = expires;
  }
  return rule;
}

/** The ids and sections of each rule that no control has (as an id, or as a number or a
 * section of one in any framework): a typo that would waive nothing. */
export function unknownSelectors(rules: readonly WaiverRule[], controls: readonly Control[]): { rule: WaiverRule; unknown: string[] }[] {
  const ids = new Set(controls.map((c) => c.id));
  const numbers = new Set(controls.flatMap((c) => Object.values(c.frameworks).flat()));
  const known = (selector: string) =>
    ids.has(selector) || numbers.has(selector) || [...numbers].some((n) => n.startsWith(`${selector}.`));
  return rules.flatMap((rule) => {
    const unknown = rule.controls.filter((c) => !known(c));
    return unknown.length > 0 ? [{ rule, unknown }] : [];
  });
}

/** The waivers scoped to nodes none of which a target of the run is on (`nodes: [cp-1]` in a
 * run that names no node, or a node that is gone): they waive nothing, which the CLI says. */
export function unmatchedNodeWaivers(rules: readonly WaiverRule[], nodes: ReadonlySet<string>): WaiverRule[] {
  return rules.filter((rule) => rule.nodes && !rule.nodes.some((node) => nodes.has(node)));
}

/** Marks waived results in place and counts them. `today` is YYYY-MM-DD (UTC). */
export function applyWaivers(report: Report, rules: readonly WaiverRule[], today: string): Report {
  let total = 0;
  for (const target of report.targets) total += waiveTarget(target, rules, today);
  report.waived = total;
  const nodes = summariseNodes(report.targets.map(nodeTally));
  if (nodes) report.nodes = nodes;
  return report;
}

/** applyWaivers for one target (a streamed report): marks its results, sets and returns its count. */
export function waiveTarget(target: Target, rules: readonly WaiverRule[], today: string): number {
  let waived = 0;
  for (const result of target.results) {
    // This run's waivers decide (a node report's own waivers are replaced).
    delete result.waived;
    delete result.waiverExpired;
    // Only findings can be waived: a pass needs no waiver, and an `error` (the input could
    // not be judged) is never hidden, so a run that could not judge everything never looks clean.
    if (result.status !== "fail" && result.status !== "warn") continue;
    const matching = rules.filter((rule) => coversTarget(rule, target) && coversResult(rule, result));
    const active = matching.find((rule) => rule.expires === undefined || rule.expires >= today);
    if (active) {
      result.waived = refOf(active);
      waived++;
    } else if (matching[0]) {
      result.waiverExpired = refOf(matching[0]);
    }
  }
  target.waived = waived;
  return waived;
}

function refOf(rule: WaiverRule): WaiverRef {
  return { reason: rule.reason, ...(rule.expires ? { expires: rule.expires } : {}), source: rule.source };
}

function coversTarget(rule: WaiverRule, target: Target): boolean {
  if (rule.nodes && !(target.node !== undefined && rule.nodes.includes(target.node))) return false;
  if (rule.targets && !inputFilesOf(target).every((file) => rule.targets!.some((glob) => globMatchesPath(glob, file)))) return false;
  return true;
}

/** The input files a target was built from: each of a run-wide document's (an RBAC inventory
 * of several files, whose `path` only displays them joined), else its one path. A waiver's
 * globs cover the target only when they cover every one of them. */
function inputFilesOf(target: Target): string[] {
  const files = target.source.files;
  return files && files.length > 0 ? files : [target.source.path];
}

/** An id matches exactly; a CIS number matches itself and every number below it (1.2 → 1.2.15).
 * The numbers are those the result shows: of the target's profile, the seed checklist and
 * kubecis's rbac-risks (report.ts frameworksFor). */
function coversResult(rule: WaiverRule, result: Result): boolean {
  const numbers = Object.values(result.frameworks).flat();
  return rule.controls.some((c) => c === result.id || numbers.some((n) => n === c || n.startsWith(`${c}.`)));
}

/** Today's date in UTC, YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Results that count against the run: not waived. */
export function isWaived(result: Result): boolean {
  return result.waived !== undefined;
}
