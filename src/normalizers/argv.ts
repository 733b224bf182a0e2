// kube-apiserver's command-line semantics (spf13/pflag as configured by component-base):
//   --f=v and --f v for valued flags; booleans take only --f or --f=v (a following word is
//   a stray argument, which kube-apiserver rejects); values parse by the flag's type;
//   scalars: last occurrence wins; stringSlice: one CSV record per occurrence (pflag's
//   readAsCSV), the first occurrence replaces the default and later ones append; stringArray:
//   one element per occurrence; maps merge; `--` ends flags. A list flag's `items` rules
//   (flag table) are the names kube-apiserver's own validation accepts. An alias (flag table
//   `alias`: a second name on the same variable) is read as its canonical flag, in argv order.
import { isIP } from "node:net";
import type { Diagnostic, EffectiveFlag, FlagValue, Origin } from "../types.js";
import { canonicalFlag, checkCombinations, type FlagSpec, type FlagTable, type ItemRules } from "./flag-table.js";
import { nameExpansions, redactArgv, redactCredentials } from "../redact.js";
import type { ArgvItem } from "../readers/command.js";

export { redactCredentials };

export type { ArgvItem };

export interface ParsedFlags {
  flags: Record<string, EffectiveFlag>;
  diagnostics: Diagnostic[];
}

/** Parses argv[1..] (argv[0], the executable, is skipped). Key material is redacted first,
 * so no value, diagnostic or error below can quote it. */
export function parseArgv(input: readonly ArgvItem[], table: FlagTable): ParsedFlags {
  const diagnostics: Diagnostic[] = [];
  const argv = redactArgv(rejoinBlankSplit(input, table, diagnostics));
  const flags: Record<string, EffectiveFlag> = {};
  /** Per canonical flag: each name it was written under, with the place of its last occurrence. */
  const spellings = new Map<string, Map<string, Origin>>();
  let flagsEnded = false;

  for (let i = 1; i < argv.length; i++) {
    const item = argv[i]!;
    const text = item.text;
    if (item.unresolved && (flagsEnded || !text.startsWith("-") || text === "-" || /[$`]/.test(text.split("=", 1)[0]!))) {
      // A word that is a variable kubecis could not expand (or whose flag name holds one)
      // stands for any number of whole arguments: any flag may be there, adding to a list
      // flag or overriding a scalar one (lib.verdict: every control reading a flag is error).
      diagnostics.push({
        code: "incomplete-flags",
        message: `argument ${i} is ${nameExpansions(item.unresolved)}, which kubecis could not expand: it may hold any flags, adding to or overriding the ones seen`,
        origin: item.origin,
      });
      continue;
    }
    // kube-apiserver's Args check refuses only non-empty positional arguments
    // (cmd/kube-apiserver/app/server.go): an empty word is skipped.
    if (text === "") continue;
    if (flagsEnded || !text.startsWith("-") || text === "-") {
      diagnostics.push({
        code: "unexpected-argument",
        message: `unexpected argument ${i}${after(argv, i)}: kube-apiserver takes no positional arguments and refuses to start (the word itself is not shown: it may be part of a secret)`,
        origin: item.origin,
      });
      continue;
    }
    if (text === "--") {
      flagsEnded = true;
      continue;
    }
    if (!text.startsWith("--") && !text.startsWith("-v")) {
      diagnostics.push({
        code: "unknown-flag",
        message: `"${text}": kube-apiserver reads a single dash as shorthand flags and only knows -v; it refuses to start`,
        origin: item.origin,
      });
      continue;
    }
    const body = text.startsWith("--") ? text.slice(2) : shorthandBody(text);
    const eq = body.indexOf("=");
    const written = normalizeName(eq === -1 ? body : body.slice(0, eq));
    const name = canonicalFlag(table, written);
    let value: string | undefined = eq === -1 ? undefined : body.slice(eq + 1);
    const spec = table.get(name);
    const as = written === name ? {} : { writtenAs: written };
    // pflag keeps one Value per name: each name's first occurrence replaces a list flag's value.
    const names = spellings.get(name) ?? new Map<string, Origin>();
    const firstOfName = !names.has(written);
    names.set(written, item.origin);
    spellings.set(name, names);

    if (!spec) {
      // Not in the table: kube-apiserver would reject it as an unknown flag. Keep the value
      // it was most likely given, so checks and reports can still name it.
      if (value === undefined && argv[i + 1] && !argv[i + 1]!.text.startsWith("-")) {
        value = argv[++i]!.text;
      }
      diagnostics.push({
        code: "unknown-flag",
        message: `unknown flag --${name}: not a kube-apiserver flag kubecis knows; kube-apiserver refuses to start with a flag it does not know`,
        flag: name,
        origin: item.origin,
      });
      record(flags, name, { value: value ?? "", origin: item.origin, unknown: true }, undefined, firstOfName);
      continue;
    }

    const unresolved = [...(item.unresolved ?? [])];
    if (value === undefined) {
      if (spec.type === "bool") {
        value = "true";
      } else if (i + 1 < argv.length) {
        const next = argv[++i]!;
        value = next.text;
        unresolved.push(...(next.unresolved ?? []));
      } else {
        diagnostics.push({
          code: "missing-value",
          message: `flag --${written} needs a value`,
          flag: written,
          origin: item.origin,
        });
        record(flags, name, { raw: "", error: "flag needs an argument", origin: item.origin, ...as }, undefined, firstOfName);
        continue;
      }
    }

    if (unresolved.length > 0) {
      const error = `holds ${nameExpansions(unresolved)}, which kubecis could not expand: the value kube-apiserver gets is unknown`;
      diagnostics.push({ code: "unresolved-variable", message: `--${written}=${value}: ${error}`, flag: written, origin: item.origin });
      record(flags, name, { raw: value, error, origin: item.origin, ...as }, spec, firstOfName);
      continue;
    }
    const parsed = parseValue(spec, value);
    if ("error" in parsed) {
      diagnostics.push({
        code: "invalid-value",
        message: `--${written}=${value}: ${parsed.error}`,
        flag: written,
        origin: item.origin,
      });
      record(flags, name, { raw: value, error: parsed.error, origin: item.origin, ...as }, spec, firstOfName);
    } else {
      record(flags, name, { value: parsed.value, origin: item.origin, ...as }, spec, firstOfName);
    }
  }
  checkLists(flags, table, diagnostics);
  checkCombinations(flags, table, diagnostics);
  for (const [name, names] of spellings) {
    if (flags[name] && [...names.keys()].some((n) => n !== name)) flags[name].spellings = Object.fromEntries(names);
  }
  return { flags, diagnostics };
}

/** A word that names a long flag: its name, then "=" when a value follows in the same word. */
const FLAG_WORD = /^--([A-Za-z0-9][^=\s]*)(=?)/;

/** Where a stray argument stands, by the flag before it (never by its own text). */
function after(argv: readonly ArgvItem[], i: number): string {
  for (let j = i - 1; j > 0; j--) {
    const flag = FLAG_WORD.exec(argv[j]!.text);
    if (flag) return ` (after --${normalizeName(flag[1]!)})`;
  }
  return "";
}

/**
 * A process list (`ps`, a journal line) shows argv joined by blanks, so a value holding a blank
 * comes back as several words. kube-apiserver takes no positional arguments (it would not be
 * running with one), so the words that follow a valued flag's value there are the rest of that
 * value: they are joined back, before redaction, so that a password with a blank is hidden
 * whole and the flag is judged on its whole value. Words after a boolean flag, `--`, or a
 * single-dash word are left as they are (kube-apiserver refuses them).
 */
function rejoinBlankSplit(input: readonly ArgvItem[], table: FlagTable, diagnostics: Diagnostic[]): readonly ArgvItem[] {
  if (!input.some((item) => item.blankSplit)) return input;
  const out: ArgvItem[] = [];
  /** The flag whose value the last word holds, and how many words were joined onto it. */
  let holder: { at: number; flag: string; joined: number; origin: ArgvItem["origin"] } | undefined;
  let pending: string | undefined;
  let ended = false;
  const close = () => {
    if (holder && holder.joined > 0) {
      diagnostics.push({
        code: "blank-in-value",
        message: `--${holder.flag}: the process list shows ${holder.joined} more word(s) after its value; kube-apiserver takes no positional arguments, so they are read as part of the value (a value holding a blank). Read /proc/<pid>/cmdline to see the arguments exactly`,
        flag: holder.flag,
        origin: holder.origin,
      });
    }
    holder = undefined;
  };
  for (let i = 0; i < input.length; i++) {
    const item = input[i]!;
    const text = item.text;
    if (i === 0 || ended || !item.blankSplit) {
      close();
      pending = undefined;
      out.push(item);
      continue;
    }
    if (text.startsWith("-")) {
      close();
      pending = undefined;
      if (text === "--") ended = true;
      const flag = FLAG_WORD.exec(text);
      if (flag) {
        const name = normalizeName(flag[1]!);
        const valued = table.get(name)?.type !== "bool";
        if (valued && flag[2] === "=") holder = { at: out.length, flag: name, joined: 0, origin: item.origin };
        else if (valued) pending = name;
      }
      out.push(item);
      continue;
    }
    if (holder) {
      const at = out[holder.at]!;
      out[holder.at] = { ...at, text: `${at.text} ${text}`, unresolved: mergeUnresolved(at.unresolved, item.unresolved) };
      holder.joined++;
      continue;
    }
    if (pending !== undefined) {
      holder = { at: out.length, flag: pending, joined: 0, origin: item.origin };
      pending = undefined;
    }
    out.push(item);
  }
  close();
  return out;
}

function mergeUnresolved(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  return a || b ? [...(a ?? []), ...(b ?? [])] : undefined;
}

/** The whole-list rules (unique, required) over every occurrence of a list flag. */
function checkLists(flags: Record<string, EffectiveFlag>, table: FlagTable, diagnostics: Diagnostic[]): void {
  for (const [name, flag] of Object.entries(flags)) {
    const rules = table.get(name)?.items;
    if (!rules || !Array.isArray(flag.value)) continue;
    const error = checkList(rules, flag.value);
    if (!error) continue;
    const raw = flag.value.join(",");
    diagnostics.push({ code: "invalid-value", message: `--${name}=${raw}: ${error}`, flag: name, origin: flag.origin });
    flags[name] = { raw, error, origin: flag.origin, occurrences: flag.occurrences, ...(flag.writtenAs ? { writtenAs: flag.writtenAs } : {}) };
  }
}

export function checkList(rules: ItemRules, items: readonly string[]): string | undefined {
  if (rules.required && items.length === 0) return "at least one value must be passed; kube-apiserver refuses an empty list";
  if (rules.unique) {
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item)) return `"${item}" is given more than once; kube-apiserver refuses a repeated value`;
      seen.add(item);
    }
  }
  return undefined;
}

/** The per-item rules: every item is a name (not empty, no space around it), one of `oneOf`. */
export function checkItems(rules: ItemRules, items: readonly string[]): string | undefined {
  for (const item of items) {
    if (item === "") return "an empty item in the list; kube-apiserver refuses it";
    if (item.trim() !== item) return `"${item}" has spaces around it, which kube-apiserver keeps and refuses`;
    if (rules.oneOf && !rules.oneOf.includes(item)) return `"${item}" is not one of ${rules.oneOf.join(", ")}`;
  }
  return undefined;
}

/** pflag's readAsCSV: Go encoding/csv reading one record, fields split at commas, "…" quoting
 * a field ("" is a quote inside it), spaces kept. A line break, which would end the record and
 * silently drop the rest, is refused here, as are the quote errors Go's reader reports. */
export function readCsvRecord(text: string): Parsed {
  if (text === "") return { value: [] };
  if (/[\r\n]/.test(text)) return { error: "a line break in a list value" };
  if (!CSV_RECORD.test(text)) return { error: `not one CSV record (a bare or unbalanced " quote)` };
  const fields: string[] = [""];
  for (const token of text.match(CSV_TOKEN)!) {
    if (token === ",") fields.push("");
    else fields[fields.length - 1] = token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token;
  }
  return { value: fields };
}

const CSV_FIELD = `(?:"(?:[^"]|"")*"|[^,"]*)`;
const CSV_RECORD = new RegExp(`^${CSV_FIELD}(?:,${CSV_FIELD})*$`);
/** A valid record is a sequence of these tokens: a quoted field, an unquoted field, a comma. */
const CSV_TOKEN = /"(?:[^"]|"")*"|[^,"]+|,/g;

/** -v, kube-apiserver's one shorthand (klog's --v), as a long flag's body: pflag reads a
 * shorthand's value written after it directly (-v3) as after `=` (-v=3). */
function shorthandBody(text: string): string {
  const rest = text.slice(2);
  return rest === "" || rest.startsWith("=") ? `v${rest}` : `v=${rest}`;
}

/** pflag normalizes nothing for kube-apiserver except that `_` and `-` are the same. */
function normalizeName(name: string): string {
  return name.replace(/_/g, "-");
}

function record(
  flags: Record<string, EffectiveFlag>,
  name: string,
  next: Omit<EffectiveFlag, "occurrences">,
  spec: FlagSpec | undefined,
  firstOfName: boolean,
): void {
  const previous = flags[name];
  const occurrences = (previous?.occurrences ?? 0) + 1;
  // pflag stops at the first value it cannot parse, so kube-apiserver does not start whatever
  // follows: a flag that failed once stays failed (the first failure is the one reported).
  if (previous?.error) {
    flags[name] = { ...previous, occurrences };
    return;
  }
  const merged: EffectiveFlag = { ...next, occurrences };
  // The first occurrence under a name replaces the value (pflag: that name's Value was not yet
  // changed); a later one under the same name accumulates.
  if (previous && spec && previous.value !== undefined && next.value !== undefined && !firstOfName) {
    merged.value = accumulate(spec, previous.value, next.value);
  }
  flags[name] = merged;
}

/** Adds an occurrence to the value so far, in place: the value is this parse's own, and
 * copying it on each occurrence would make repeated flags cost quadratic time. */
function accumulate(spec: FlagSpec, previous: FlagValue, next: FlagValue): FlagValue {
  switch (spec.type) {
    case "stringSlice":
    case "stringArray": {
      const list = previous as string[];
      for (const item of next as string[]) list.push(item);
      return list;
    }
    case "mapStringBool":
    case "mapStringString":
      return Object.assign(previous as Record<string, boolean | string>, next as Record<string, boolean | string>);
    default:
      return next;
  }
}

type Parsed = { value: FlagValue } | { error: string };

export function parseValue(spec: FlagSpec, text: string): Parsed {
  switch (spec.type) {
    case "bool": {
      const b = parseGoBool(text);
      return b === undefined ? { error: `invalid boolean "${text}" (Go strconv.ParseBool)` } : { value: b };
    }
    case "int":
    case "port": {
      const n = parseGoInt(text);
      if (n === undefined) return { error: `invalid integer "${text}"` };
      if (spec.type === "port" && (n < 0 || n > 65535)) return { error: `port ${n} is out of range 0-65535` };
      return { value: n };
    }
    case "float": {
      const n = parseGoFloat(text);
      return n === undefined ? { error: `"${text}" is not a finite decimal number (Go strconv.ParseFloat)` } : { value: n };
    }
    case "duration":
      return isGoDuration(text) ? { value: text } : { error: `invalid duration "${text}" (Go time.ParseDuration: a number and a unit, e.g. 60s, 1m0s)` };
    case "ip":
      return isIP(text) !== 0 ? { value: text } : { error: `invalid IP address "${text}"` };
    case "stringSlice": {
      const read = readCsvRecord(text);
      if ("error" in read || !spec.items) return read;
      const error = checkItems(spec.items, read.value as string[]);
      return error ? { error } : read;
    }
    case "stringArray":
      return { value: [text] };
    case "mapStringBool":
    case "mapStringString": {
      const map: Record<string, boolean | string> = {};
      for (const pair of text.split(",")) {
        if (pair.trim() === "") continue;
        const eq = pair.indexOf("=");
        if (eq === -1) return { error: `"${pair}" is not key=value` };
        const key = pair.slice(0, eq).trim();
        const raw = pair.slice(eq + 1).trim();
        if (spec.type === "mapStringBool") {
          const b = parseGoBool(raw);
          if (b === undefined) return { error: `invalid boolean "${raw}" for ${key}` };
          map[key] = b;
        } else {
          map[key] = raw;
        }
      }
      return { value: map };
    }
    default:
      return { value: text };
  }
}

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  switch (text) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
    default:
      return undefined;
  }
}

/** Go's strconv.ParseFloat for the finite values JSON can carry (Inf and NaN are refused). */
export function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Go's time.ParseDuration: "0", or one or more number+unit pairs ("1h30m", "1.5s", "300ms"). */
export function isGoDuration(text: string): boolean {
  return /^[+-]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.test(text);
}

/** Go's strconv.ParseInt(s, 0, 64) for the values flags take: decimal, 0x, 0o or leading 0, 0b. */
export function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([1-9][0-9]*|0))$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] === "-" ? -1 : 1;
  const n =
    m[2] !== undefined ? parseInt(m[2], 16)
    : m[3] !== undefined ? parseInt(m[3], 8)
    : m[4] !== undefined ? parseInt(m[4], 2)
    : m[5] !== undefined ? parseInt(m[5], 8)
    : parseInt(m[6]!, 10);
  return Number.isSafeInteger(n) ? sign * n : undefined;
}
