// The keys and one-line scalars of the YAML reader's fast path (./yaml-block.ts), resolved as
// the `yaml` package's YAML 1.1 schema resolves them, for the forms taken; anything else
// throws Unsupported, and the composer leaves it to the full parser.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** Thrown inside the composer for anything it does not handle; caught by the enclosing item,
 * entry or document, which is then read as a piece, or by parseBlockYaml. */
export class Unsupported extends Error {}
export const unsupported = (why = "unsupported"): never => {
  throw new Unsupported(why);
};

/** Keys the composer takes: plain words that YAML 1.1 reads as strings. */
const KEY = /^[A-Za-z_][A-Za-z0-9_./+-]*$/;

/** Keys already taken (a few dozen names repeat across a whole export). */
const KEYS = new Set<string>();

/**
 * A copy of `text` that shares nothing with the string it was cut from. A slice of a string
 * may keep the whole of it alive: what a module-wide cache keeps must be copied, or it would
 * hold on to every input file it met (test/yaml-block.test.ts).
 */
function copied(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/** The value text of the key splitKey found last (one string, not a pair per line). */
export let keyRest = "";

/** The key of a `key: value` or `key:` line content (its value text in keyRest), or undefined. */
export function splitKey(text: string): string | undefined {
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  const after = text[colon + 1];
  if (after !== undefined && after !== " ") return undefined;
  const key = text.slice(0, colon);
  if (!KEYS.has(key)) {
    if (!KEY.test(key)) return undefined;
    if (!isPlainString(key) || key === "__proto__") unsupported("key");
    if (KEYS.size < 10_000) KEYS.add(copied(key));
  }
  let from = colon + 1;
  while (text.charCodeAt(from) === 32) from++;
  let to = text.length;
  while (to > from && text.charCodeAt(to - 1) === 32) to--;
  keyRest = from === to ? "" : stripComment(text.slice(from, to));
  return key;
}

/** The value text without a trailing ` # comment`; a `#` inside quotes is kept. */
export function stripComment(text: string): string {
  if (text.startsWith("#")) return "";
  if (text.startsWith('"') || text.startsWith("'")) return text; // handled by the quoted readers
  const hash = text.indexOf(" #");
  return hash < 0 ? text : text.slice(0, hash).trimEnd();
}

export function scalarValue(text: string): Value {
  if (text === "{}") return {};
  if (text === "[]") return [];
  const c = text[0]!;
  if (c === '"') return doubleQuoted(text);
  if (c === "'") return singleQuoted(text);
  return plainValue(text);
}

/** A one-line double-quoted scalar with at most \" and \\ escapes, then an optional comment. */
function doubleQuoted(text: string): string {
  let out = "";
  let i = 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) return unsupported("unterminated quote");
    if (c === '"') break;
    if (c === "\\") {
      const e = text[i + 1];
      if (e !== '"' && e !== "\\") unsupported("escape");
      out += e;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  trailer(text.slice(i + 1));
  return out;
}

/** A one-line single-quoted scalar ('' is a quote), then an optional comment. */
function singleQuoted(text: string): string {
  let out = "";
  let i = 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) return unsupported("unterminated quote");
    if (c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      break;
    }
    out += c;
    i++;
  }
  trailer(text.slice(i + 1));
  return out;
}

/** What may follow a closing quote: blanks, or blanks and a comment. */
function trailer(rest: string): void {
  if (!/^(?: +#.*)?[ ]*$/.test(rest)) unsupported("after quote");
}

/** Plain scalars resolved as the `yaml` package's YAML 1.1 schema does, for the forms taken. */
function plainValue(text: string): Value {
  // Most scalars are names: a letter (but not e or E, which may start a float) or a slash
  // first, and no `: `, ` #` or trailing `:` — strings unless they are a boolean or null.
  const c = text.charCodeAt(0) | 32;
  if (((c >= 97 && c <= 122 && c !== 101) || c === 47) && text.length > 5 && !text.includes(": ") && !text.includes(" #") && !text.endsWith(":")) return text;
  // The rest (verbs, API versions, numbers, ...) repeat: each is resolved once.
  const known = PLAIN.get(text);
  if (known !== undefined) return known;
  const value = resolvePlain(text);
  if (PLAIN.size < 10_000) {
    const key = copied(text);
    PLAIN.set(key, typeof value === "string" ? key : value);
  }
  return value;
}

/** Plain scalars resolved so far (a scalar that declines is never kept). */
const PLAIN = new Map<string, Value>();

function resolvePlain(text: string): Value {
  if (/^(?:~|null|Null|NULL)$/.test(text)) return null;
  if (/^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|Y|y)$/.test(text)) return true;
  if (/^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF|N|n)$/.test(text)) return false;
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(text)) return Number(text);
  if (!isPlainString(text)) unsupported("plain scalar type");
  return text;
}

/**
 * The plain forms that YAML 1.1 (the `yaml` package's yaml-1.1 schema) reads as something
 * other than a string: ints (binary, octal, decimal, hex, base 60), floats (with exponent,
 * base 60, .inf, .nan). Timestamps are strings, as Kubernetes reads them (./yaml.ts).
 */
const NOT_STRING_1_1 = [
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
];
const BOOL_OR_NULL_1_1 = /^(?:~|null|Null|NULL|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|Y|y|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF|N|n)$/;

/**
 * Is `text` a plain scalar that YAML 1.1 reads as a string, and that a block context reads as
 * one scalar? It must start with a letter, a digit, `/`, `.`, `+`, or `-` and a letter, digit
 * or `-` (the flags); hold no `: ` or ` #` and not end in `:`; and match no other type.
 */
function isPlainString(text: string): boolean {
  if (text.includes(": ") || text.endsWith(":") || text.includes(" #")) return false;
  if (!/^(?:[A-Za-z0-9/.+]|-[A-Za-z0-9-])/.test(text)) return false;
  if (BOOL_OR_NULL_1_1.test(text)) return false;
  return !NOT_STRING_1_1.some((pattern) => pattern.test(text));
}
