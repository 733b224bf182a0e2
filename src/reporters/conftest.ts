// conftest's output formats (stdout, json, tap, table, junit; github in github.ts), rendered from the
// Report. The conftest view of a report mirrors what `conftest test` computes from the
// bundle's package `main` (policies/kubecis/main/main.rego): `deny` holds one entry per `fail` or
// `error` result, `warn` one per `warn` result, each {msg: "<id>: <reason>", id, status}
// (+ `_loc`, lifted to `loc`, where the offending flag's file line is known). Successes
// count rule definitions that produced nothing, as conftest does (policy/engine.go).
// Results outside the active profile are in neither (profiles gate). Waived findings become `exceptions`, and a rule whose findings are all waived counts as
// excepted, not as a success, again as conftest does for its `exception` rules.
// test/conftest-parity.test.ts runs the real conftest over every fixture and compares.
import type { Report, Result, Target } from "../types.js";
import { inertJson } from "./inert.js";

export const NAMESPACE = "kubecis.main";

export interface ConftestMessage {
  msg: string;
  loc?: { file?: string; line?: number };
  metadata?: Record<string, unknown>;
}

/** One entry of conftest's result list: one input file in one namespace. */
export interface CheckResult {
  filename: string;
  namespace: string;
  successes: number;
  warnings: ConftestMessage[];
  failures: ConftestMessage[];
  exceptions: ConftestMessage[];
  /** The kubecis results behind warnings, failures and exceptions (same order), for SARIF. */
  results: { warnings: Result[]; failures: Result[]; exceptions: Result[] };
  /** The node of the file's targets (fleet runs). */
  node?: string;
}

/** The rules conftest finds in the namespace: deny (fail, error) and warn (warn). */
const RULES = [
  { query: `data.${NAMESPACE}.deny`, kind: "failures", statuses: ["fail", "error"] },
  { query: `data.${NAMESPACE}.warn`, kind: "warnings", statuses: ["warn"] },
] as const;

/** How many deny and warn rule definitions the namespace's module has (kubecis/main/main.rego).
 * conftest counts each definition, not each rule name, when it fills up successes;
 * test/conftest-parity.test.ts holds this equal to the policy's own count. */
export const RULE_DEFINITIONS = 3;

/** One CheckResult per input file (documents of a file merged, as conftest does), files in input order. */
export function toCheckResults(report: Report): CheckResult[] {
  const byFile = new Map<string, CheckResult>();
  for (const target of report.targets) {
    // Several nodes' reports name the same manifest path: the node keeps them apart.
    const key = target.node ? `${target.node}:${target.source.path}` : target.source.path;
    let entry = byFile.get(key);
    if (!entry) {
      entry = {
        filename: key,
        namespace: NAMESPACE,
        successes: 0,
        warnings: [],
        failures: [],
        exceptions: [],
        results: { warnings: [], failures: [], exceptions: [] },
        ...(target.node ? { node: target.node } : {}),
      };
      byFile.set(key, entry);
    }
    addDocument(entry, target);
  }
  return [...byFile.values()];
}

function addDocument(entry: CheckResult, target: Target): void {
  let produced = 0;
  for (const rule of RULES) {
    // Outside the active profile: no deny or warn (main.rego), so not in conftest's view.
    const matching = target.results.filter((r) => r.outside === undefined && (rule.statuses as readonly string[]).includes(r.status));
    const counted = matching.filter((r) => !r.waived).sort(opaSetOrder);
    const waived = matching.filter((r) => r.waived);
    for (const r of counted) {
      entry[rule.kind].push(messageOf(r, rule.query));
      entry.results[rule.kind].push(r);
    }
    for (const r of waived) {
      entry.exceptions.push({ msg: waivedMessage(r) });
      entry.results.exceptions.push(r);
    }
    if (counted.length === 0 && waived.length === 0) entry.successes++;
    produced += counted.length + waived.length + (counted.length === 0 && waived.length === 0 ? 1 : 0);
  }
  // conftest: rule definitions that produced nothing count as successes.
  if (produced < RULE_DEFINITIONS) entry.successes += RULE_DEFINITIONS - produced;
}

/** The order OPA gives the set of deny/warn objects {_loc?, id, msg, status}: objects compare
 * key by key in sorted key order, so those with `_loc` come first, by file and line; then by id. */
function opaSetOrder(a: Result, b: Result): number {
  const la = locationOf(a);
  const lb = locationOf(b);
  if (la && !lb) return -1;
  if (!la && lb) return 1;
  if (la && lb) {
    if (la.file !== lb.file) return la.file < lb.file ? -1 : 1;
    if (la.line !== lb.line) return la.line - lb.line;
  }
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  const ma = messageText(a);
  const mb = messageText(b);
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

/** The message main.rego's deny/warn build: "<id>: <reason>". */
export function messageText(r: Result): string {
  return `${r.id}: ${r.reason ?? ""}`;
}

function messageOf(r: Result, query: string): ConftestMessage {
  const message: ConftestMessage = { msg: messageText(r), metadata: { id: r.id, query, status: r.status } };
  const loc = locationOf(r);
  if (loc) message.loc = loc;
  return message;
}

/** Where the offending flag was set (main.rego's `_loc`): file and line from the evidence. */
export function locationOf(r: Result): { file: string; line: number } | undefined {
  const origin = (r.evidence["flag"] as { origin?: { file?: unknown; line?: unknown } } | undefined)?.origin;
  if (origin && typeof origin.file === "string" && typeof origin.line === "number") return { file: origin.file, line: origin.line };
  return undefined;
}

function waivedMessage(r: Result): string {
  const w = r.waived!;
  return `${messageText(r)} (waived: ${w.reason}${w.expires ? `; expires ${w.expires}` : ""}; ${w.source})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

interface Totals {
  tests: number;
  successes: number;
  warnings: number;
  failures: number;
  exceptions: number;
}

function totals(entries: readonly CheckResult[]): Totals {
  const t = { tests: 0, successes: 0, warnings: 0, failures: 0, exceptions: 0 };
  for (const e of entries) {
    t.successes += e.successes;
    t.warnings += e.warnings.length;
    t.failures += e.failures.length;
    t.exceptions += e.exceptions.length;
  }
  t.tests = t.successes + t.warnings + t.failures + t.exceptions;
  return t;
}

/** "5 tests, 2 passed, 1 warning, 1 failure, 1 exception" */
export function summaryText(entries: readonly CheckResult[]): string {
  const t = totals(entries);
  return `${plural(t.tests, "test")}, ${t.successes} passed, ${plural(t.warnings, "warning")}, ${plural(t.failures, "failure")}, ${plural(t.exceptions, "exception")}`;
}

const COLOURS = { WARN: "\x1b[33m", FAIL: "\x1b[31m", EXCP: "\x1b[36m", red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", green: "\x1b[32m" };
const RESET = "\x1b[0m";

/** conftest's default `stdout` format. */
export function renderStdout(report: Report, options: { colour: boolean }): string {
  const entries = toCheckResults(report);
  const paint = (code: string, text: string) => (options.colour ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  for (const e of entries) {
    // conftest writes "- <file> -" before the namespace, and just "-" for standard input.
    const where = e.filename === "-" ? "-" : `${e.filename} -`;
    for (const [label, list] of [["WARN", e.warnings], ["FAIL", e.failures], ["EXCP", e.exceptions]] as const) {
      for (const m of list) lines.push(`${paint(COLOURS[label], label)} - ${where} ${e.namespace} - ${m.msg}`);
    }
  }
  const t = totals(entries);
  const colour = t.failures > 0 ? COLOURS.red : t.warnings > 0 ? COLOURS.yellow : t.exceptions > 0 ? COLOURS.cyan : COLOURS.green;
  lines.push("", paint(colour, summaryText(entries)));
  return lines.join("\n") + "\n";
}

/** conftest's `json` format: Go json.Marshal re-indented with tabs. */
export function renderConftestJson(report: Report): string {
  const entries = toCheckResults(report);
  if (entries.length === 0) return "null\n";
  const shaped = entries.map((e) => {
    const out: Record<string, unknown> = { filename: e.filename === "-" ? "" : e.filename, namespace: e.namespace, successes: e.successes };
    if (e.warnings.length > 0) out["warnings"] = e.warnings.map(shapeMessage);
    if (e.failures.length > 0) out["failures"] = e.failures.map(shapeMessage);
    if (e.exceptions.length > 0) out["exceptions"] = e.exceptions.map(shapeMessage);
    return out;
  });
  return goJson(shaped, "") + "\n";
}

function shapeMessage(m: ConftestMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { msg: m.msg };
  if (m.loc) out["loc"] = m.loc;
  if (m.metadata && Object.keys(m.metadata).length > 0) out["metadata"] = sortKeys(m.metadata);
  return out;
}

function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]]));
}

/** JSON as Go's encoding/json writes it (HTML-safe escaping), indented with one TAB per level. */
export function goJson(value: unknown, indent: string, step = "\t"): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goString(value);
  if (typeof value !== "object") return JSON.stringify(value);
  const inner = step === "" ? "" : indent + step;
  const nl = step === "" ? "" : "\n";
  const sep = step === "" ? ":" : ": ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${nl}${value.map((v) => inner + goJson(v, inner, step)).join(`,${nl}`)}${nl}${indent}]`;
  }
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) return "{}";
  return `{${nl}${keys.map((k) => `${inner}${goString(k)}${sep}${goJson((value as Record<string, unknown>)[k], inner, step)}`).join(`,${nl}`)}${nl}${indent}}`;
}

function goString(s: string): string {
  // Go escapes <, >, & and U+2028/2029; kubecis also DEL, C1 and the bidi controls (inertJson).
  return inertJson(JSON.stringify(s).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** conftest's `tap` format: one plan per file. */
export function renderTap(report: Report): string {
  const lines: string[] = [];
  for (const e of toCheckResults(report)) {
    const total = e.successes + e.warnings.length + e.failures.length + e.exceptions.length;
    // conftest stops the whole output at the first file with nothing to report.
    if (total === 0) break;
    const where = e.filename === "-" ? `- ${e.namespace}` : `${e.filename} - ${e.namespace}`;
    let i = 0;
    lines.push(`1..${total}`);
    for (const m of e.failures) lines.push(`not ok ${++i} - ${where} - ${m.msg}`);
    if (e.warnings.length > 0) lines.push("# warnings");
    for (const m of e.warnings) lines.push(`not ok ${++i} - ${where} - ${m.msg}`);
    if (e.exceptions.length > 0) lines.push("# exceptions");
    for (const m of e.exceptions) lines.push(`ok ${++i} - ${where} - ${m.msg}`);
    if (e.successes > 0) lines.push("# successes");
    for (let s = 0; s < e.successes; s++) lines.push(`ok ${++i} - ${where} - SUCCESS`);
  }
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}

/** conftest's `table` format (tablewriter v1 box drawing). Nothing when there are no rows. */
export function renderTable(report: Report): string {
  const rows: string[][] = [];
  for (const e of toCheckResults(report)) {
    const file = e.filename;
    for (let s = 0; s < e.successes; s++) rows.push(["success", file, e.namespace, "SUCCESS"]);
    for (const m of e.exceptions) rows.push(["exception", file, e.namespace, m.msg]);
    for (const m of e.warnings) rows.push(["warning", file, e.namespace, m.msg]);
    for (const m of e.failures) rows.push(["failure", file, e.namespace, m.msg]);
  }
  if (rows.length === 0) return "";
  const header = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => [...r[c]!].length)));
  const line = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  const centre = (text: string, w: number) => {
    const left = Math.floor((w - text.length) / 2);
    return " ".repeat(left) + text + " ".repeat(w - text.length - left);
  };
  const out = [
    line("┌", "┬", "┐"),
    "│" + header.map((h, c) => ` ${centre(h, widths[c]!)} `).join("│") + "│",
    line("├", "┼", "┤"),
    ...rows.map((r) => "│" + r.map((cell, c) => ` ${cell}${" ".repeat(widths[c]! - [...cell].length)} `).join("│") + "│"),
    line("└", "┴", "┘"),
  ];
  return out.join("\n") + "\n";
}

/** conftest's `junit` format (go-junit-report layout). Properties name kubecis, not a Go runtime;
 * input errors are <error> test cases (JUnit's "could not run"), counted in `errors`. */
export function renderJunit(report: Report, toolVersion: string): string {
  const entries = toCheckResults(report);
  const cases: string[] = [];
  let failures = 0;
  const classname = `conftest.${NAMESPACE}`;
  for (const e of entries) {
    const file = e.filename;
    for (const m of [...e.warnings, ...e.failures]) {
      failures++;
      cases.push(
        `\t\t<testcase classname="${xml(classname)}" name="${xml(`${file} - ${m.msg.split("\n")[0]}`)}" time="0.000">\n` +
          `\t\t\t<failure message="Failed" type="">${xml(m.msg)}</failure>\n\t\t</testcase>`,
      );
    }
    for (let s = 0; s < e.successes; s++) cases.push(`\t\t<testcase classname="${xml(classname)}" name="${xml(file)}" time="0.000"></testcase>`);
  }
  // Inputs that could not be read or judged: an <error> case each (conftest stops at the first
  // such file; kubecis reports it and judges the others). Absent when there are none.
  for (const e of report.errors) {
    const where = e.line ? `${e.file}:${e.line}` : (e.file ?? "-");
    cases.push(
      `\t\t<testcase classname="${xml(classname)}" name="${xml(`${where} - ${e.message.split("\n")[0]}`)}" time="0.000">\n` +
        `\t\t\t<error message="${e.kind} error" type="${e.kind}">${xml(e.message)}</error>\n\t\t</testcase>`,
    );
  }
  const errors = report.errors.length > 0 ? ` errors="${report.errors.length}"` : "";
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n`;
  if (cases.length === 0) return `${head}<testsuites></testsuites>\n`;
  return (
    `${head}<testsuites>\n` +
    `\t<testsuite tests="${cases.length}" failures="${failures}"${errors} time="0.000" name="${xml(classname)}">\n` +
    `\t\t<properties>\n\t\t\t<property name="kubecis.version" value="${xml(toolVersion)}"></property>\n\t\t</properties>\n` +
    `${cases.join("\n")}\n\t</testsuite>\n</testsuites>\n`
  );
}

/** Go encoding/xml escaping (xml.go escapeText): a character XML 1.0 does not allow (its Char
 * production) becomes U+FFFD, as Go writes it. The report reaches here inert (renderReport), so
 * this guards only kubecis's own text. */
function xml(text: string): string {
  return text.replace(/[&<>"'\n\t\r]|[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "\n": "&#xA;", "\t": "&#x9;", "\r": "&#xD;" })[c] ?? "\ufffd",
  );
}
