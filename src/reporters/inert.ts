// Input-derived text made inert for line-oriented outputs (text, conftest's stdout, tap, table,
// junit, github, and stderr diagnostics): the one function that renders it, and the one place a
// report is passed through it before such a format is rendered (renderReport).
//
// What makes text dangerous on a line:
// - a CI runner reads stdout and stderr line by line (CR, LF and CRLF each end one), takes a
//   line whose TrimStart() begins with `::` for a workflow command (actions/runner
//   src/Runner.Common/ActionCommand.cs TryParseV2) and, failing that, `##[name]` anywhere in it
//   (TryParse; both tried by src/Runner.Worker/ActionCommandManager.cs TryProcessCommand);
// - a terminal obeys C0/C1 controls: CR returns to the line start (`\rPASS` overwrites FAIL), ESC
//   and C1 CSI (U+009B) start ANSI sequences (erase, move, recolour), and the bidirectional
//   overrides reorder what is shown;
// - U+2028, U+2029 and U+0085 (NEL) end a line for some log viewers and editors;
// - XML 1.0 forbids C0 controls other than TAB, LF, CR, and U+FFFE/U+FFFF (its Char production);
//   Go's encoding/xml (conftest's junit) replaces them with U+FFFD (xml.go escapeText).
// Each such character is written as a visible escape (`\n`, `\r`, `\t`, `\xHH`, `\uHHHH`), a
// leading `::` as `\x3a\x3a` and `##[` as `##\x5b`. Other text, and so every normal input, is
// unchanged (the conftest parity tests hold byte equality on it).
import type { Report } from "../types.js";

const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;
const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const TEST = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|##\[|^\s*::/;

/** Text that cannot end or start a line, move the cursor, recolour or reorder a terminal, or
 * start a CI runner's workflow command, wherever it is printed on a line. */
export function inertText(text: string): string {
  if (!TEST.test(text)) return text;
  return text
    .replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`))
    .replace(/^(\s*)::/, "$1\\x3a\\x3a")
    .replace(/##\[/g, "##\\x5b");
}

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, "0");
}

/**
 * The report with every string in it (values and keys, at any depth) passed through inertText:
 * what a line-oriented format renders, so that no field a reporter prints, now or in a future
 * format, reaches the output raw. Objects without such text are returned as they are (the
 * reporters only read them), so that a large clean report is not copied.
 */
export function inertReport(report: Report): Report {
  return inertValue(report) as Report;
}

function inertValue(value: unknown): unknown {
  if (typeof value === "string") return inertText(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const inert = inertValue(item);
      if (inert !== item) (copy ??= value.slice())[i] = inert;
    });
    return copy ?? value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const inert: [string, unknown] = [inertText(key), inertValue(item)];
    if (inert[0] !== key || inert[1] !== item) changed = true;
    return inert;
  });
  return changed ? Object.fromEntries(entries) : value;
}

/** Whether inertText would change text: a string that must not reach a line raw. */
export function needsInert(text: string): boolean {
  return TEST.test(text);
}

const YAML_RAW = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

/** YAML text whose every string needsInert picked is double-quoted (stringifyYamlQuoting),
 * with what YAML leaves raw there (DEL, C1, the separators and bidirectional controls) and `##[`
 * written as YAML escapes: the same value to a YAML reader, no raw control or runner command. */
export function inertYaml(yaml: string): string {
  return yaml.replace(YAML_RAW, (c) => (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`)).replace(/##\[/g, "##\\x5b");
}

const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

/** JSON text (JSON.stringify's) with the characters it leaves raw in strings, DEL, C1 (CSI, NEL),
 * the line and paragraph separators, the bidirectional controls and U+FFFE/U+FFFF, written as
 * `\uHHHH`, and `##[` as `##\u005b`: the same value to any JSON parser, and no raw control or
 * runner command in a log. JSON's structure is ASCII without `#`, so each is inside a string. */
export function inertJson(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${hex(c, 4)}`).replace(/##\[/g, "##\\u005b");
}
