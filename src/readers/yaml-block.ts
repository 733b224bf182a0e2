// The fast path of the YAML reader (./yaml.ts), and only of it: a small composer for the
// block YAML that manifests are written in — block mappings and sequences, plain, single- and
// double-quoted one-line scalars, `{}`/`[]`, comments, `---` between documents. Anything else
// (anchors, aliases, tags, flow collections, block or multi-line scalars, escapes other than
// \" and \\, tabs, CR, duplicate keys, a scalar whose YAML 1.1 type is not plainly a string,
// int, bool or null, and every error) is left to the `yaml` package, which stays the
// reference: the smallest sequence item, map entry or document around it is cut out and read
// by it alone (a piece), so that one block scalar does not send a 100 MB export to the full
// parser; a piece it cannot read alone (an alias, an error), a directive or a `...` sends the
// whole text to it. test/yaml-block.test.ts checks that this path gives exactly the value and
// the lines the full parser gives, or falls back.

/** One parsed document: its value and the line (1-based) of every node, keyed by node. */
export interface BlockDocument {
  index: number;
  value: unknown;
  /** Line of the node at a path of keys and indexes, with the `yaml` package's getIn rules. */
  lineAt(path: readonly (string | number)[]): number | undefined;
}

/**
 * Reads a piece of the text that the composer declines (one sequence item, one map entry or
 * one document, cut out whole) with the full parser: its one document, lines counted in the
 * piece; undefined when the piece cannot be read alone (an error, an alias), and the whole
 * text then goes to the full parser.
 */
export type ReadPiece = (text: string) => Omit<BlockDocument, "index"> | undefined;

/** How much of a text was read as pieces (for tests and figures). */
export interface PieceStats {
  pieces: number;
  lines: number;
}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** Where a node is: its line, or (for a piece read by the full parser) the piece's lines. */
type LineInfo = number | ((path: readonly (string | number)[]) => number | undefined);

/** The lines of a composed document, recorded only when asked for (lineAt composes again):
 * the root's, and each map's and sequence's children's, keyed by key or index. */
interface Lines {
  root: LineInfo;
  children: Map<object, Map<string | number, LineInfo>>;
}

interface Line {
  /** Line number, 1-based. */
  no: number;
  /** Leading spaces. */
  indent: number;
  /** The content after the indentation, comments and trailing blanks kept. */
  text: string;
  /** The line holds a character the composer never handles (kept even if blank or a comment). */
  bad?: true;
}

/** Thrown inside the composer for anything it does not handle; caught by the enclosing item,
 * entry or document, which is then read as a piece, or by parseBlockYaml. */
class Unsupported extends Error {}
const unsupported = (why = "unsupported"): never => {
  throw new Unsupported(why);
};
/** A piece the full parser could not read alone: the whole text goes to the full parser. */
class Declined extends Error {}

/** The documents of `text`, or undefined when the full parser must read it. */
export function parseBlockYaml(text: string, readPiece?: ReadPiece, stats?: PieceStats): BlockDocument[] | undefined {
  const outcome = tryBlockYaml(text, readPiece, stats);
  return typeof outcome === "string" ? undefined : outcome;
}

// Characters the composer never handles: tabs, CR, BOM, other control characters, and the
// Unicode spaces (no-break space, U+2000…U+200A, …) that JavaScript's trim() strips but
// YAML keeps as content: the composer trims with trim(), so it must never see them.
const BAD_CHARACTER = /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** The documents, or why the fast path declines (for tests and coverage figures). Without
 * `readPiece`, any construct it does not compose declines the whole text. */
export function tryBlockYaml(text: string, readPiece?: ReadPiece, stats?: PieceStats): BlockDocument[] | string {
  if (!readPiece && BAD_CHARACTER.test(text)) return "character";
  try {
    // The lines are walked on the values they were recorded with (a second, equal reading).
    let tracked: { value: Value; lines?: Lines }[] | undefined;
    return compose(text, readPiece, stats).map(({ value }, index) => ({
      index,
      value,
      lineAt: (path) => {
        const doc = (tracked ??= compose(text, readPiece, undefined, true))[index]!;
        return lineAt(doc.value, doc.lines!, path);
      },
    }));
  } catch (error) {
    if (error instanceof Unsupported || error instanceof Declined) return error.message;
    throw error;
  }
}

interface Segment {
  lines: Line[];
  /** The raw lines of the document: [from, to). */
  from: number;
  to: number;
}

/** The documents of `text`: their values, and with `track` their lines (the values are the
 * same each time; lines are recorded only when asked for, as they cost a third of the time). */
function compose(text: string, readPiece: ReadPiece | undefined, stats: PieceStats | undefined, track = false): { value: Value; lines?: Lines }[] {
  const raw = text.split("\n");
  const anyBad = BAD_CHARACTER.test(text);
  const segments: Segment[] = [{ lines: [], from: 0, to: raw.length }];
  let separators = 0;
  let sawContent = false;
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    const c = line.charCodeAt(0);
    if (c === 45 && line.startsWith("---")) {
      if (!/^---[ ]*$/.test(line)) unsupported("marker");
      // A `---` that opens the stream (after blank or comment lines only) starts document 0.
      if (sawContent || separators > 0) {
        segments[segments.length - 1]!.to = i;
        segments.push({ lines: [], from: i + 1, to: raw.length });
      } else segments[0]!.from = i + 1;
      separators++;
      continue;
    }
    if ((c === 46 && line.startsWith("...")) || c === 37) unsupported("directive or document end");
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    const content = indent === 0 ? line : line.slice(indent);
    if (anyBad && BAD_CHARACTER.test(line)) {
      sawContent = true;
      segments[segments.length - 1]!.lines.push({ no: i + 1, indent, text: content, bad: true });
      continue;
    }
    if (content === "" || content.charCodeAt(0) === 35) continue;
    sawContent = true;
    segments[segments.length - 1]!.lines.push({ no: i + 1, indent, text: content });
  }
  if (!sawContent) unsupported("empty stream"); // an empty stream, or only comments
  return segments.map(({ lines, from, to }) => {
    const cursor: Cursor = { lines, at: 0, depth: 0, raw, end: to, readPiece, stats, piece: undefined, lines_: track ? { root: 0, children: new Map() } : undefined };
    let root: Value;
    try {
      if (lines.length === 0) unsupported("empty document"); // an empty document
      if (lines[0]!.indent !== 0) unsupported("indented root");
      root = parseBlock(cursor, 0);
      if (cursor.at !== lines.length) unsupported("trailing content");
      if (cursor.lines_) cursor.lines_.root = lines[0]!.no;
    } catch (error) {
      if (!(error instanceof Unsupported) || !readPiece) throw error;
      root = readAsPiece(cursor, from, to, 0, "document", "");
      if (cursor.lines_) cursor.lines_.root = cursor.piece!;
    }
    return { value: root, ...(cursor.lines_ ? { lines: cursor.lines_ } : {}) };
  });
}

interface Cursor {
  lines: Line[];
  at: number;
  /** Block collections open around the cursor. */
  depth: number;
  raw: string[];
  /** The raw line (index) where the document ends. */
  end: number;
  readPiece: ReadPiece | undefined;
  stats: PieceStats | undefined;
  /** The lines of the piece read last (set by readAsPiece). */
  piece: LineInfo | undefined;
  /** The document's lines, when they are recorded. */
  lines_: Lines | undefined;
}

/** Records where `parent[key]` is, when lines are recorded. */
function record(cursor: Cursor, parent: object, key: string | number, where: LineInfo): void {
  const children = cursor.lines_!.children;
  let map = children.get(parent);
  if (!map) children.set(parent, (map = new Map()));
  map.set(key, where);
}

/** Nesting of maps and lists allowed in a document (src/readers/yaml.ts enforces it; this
 * composer declines deeper documents, so its recursion stays shallow). */
export const MAX_DEPTH = 100;

/** The block collection whose first line is the cursor's, at column `indent`. */
function parseBlock(cursor: Cursor, indent: number): Value {
  const first = cursor.lines[cursor.at]!;
  if (first.indent !== indent || first.bad) unsupported("indentation");
  if (cursor.depth >= MAX_DEPTH) unsupported("nesting");
  cursor.depth++;
  const value = isSeqEntry(first.text) ? parseSeq(cursor, indent) : parseMap(cursor, indent, first.text);
  cursor.depth--;
  return value;
}

const isSeqEntry = (text: string) => text.charCodeAt(0) === 45 && (text.length === 1 || text.charCodeAt(1) === 32);

type PieceKind = "item" | "entry" | "document";

/**
 * Composes the item or entry at the cursor, whose line starts at column `indent` (for an
 * entry, the text after its key is `rest`). When the composer declines it, its lines (that
 * line and the following lines deeper than `indent`, or for an entry also a sequence at its
 * column) are read as a piece by the full parser; cursor.piece then holds the piece's lines.
 */
function orPiece(cursor: Cursor, indent: number, kind: "item" | "entry", key: string, rest: string): Value {
  const start = cursor.at;
  const depth = cursor.depth;
  const entry = kind === "entry";
  try {
    const value = entry ? parseEntry(cursor, indent, rest) : parseItem(cursor, indent);
    if (!inside(cursor.lines[cursor.at], indent, entry)) {
      cursor.piece = undefined; // (a piece read inside it is recorded already)
      return value;
    }
    unsupported("indentation");
  } catch (error) {
    if (!(error instanceof Unsupported) || !cursor.readPiece) throw error;
  }
  cursor.depth = depth;
  let end = start + 1;
  while (inside(cursor.lines[end], indent, entry)) end++;
  cursor.at = end;
  const to = end < cursor.lines.length ? cursor.lines[end]!.no - 1 : cursor.end;
  return readAsPiece(cursor, cursor.lines[start]!.no - 1, to, indent, kind, key);
}

/** Whether `line` belongs to the item or entry at column `indent`. */
function inside(line: Line | undefined, indent: number, entry: boolean): boolean {
  return line !== undefined && (line.indent > indent || (entry && line.indent === indent && isSeqEntry(line.text)));
}

/** Raw lines [from, to) without their first `indent` columns, read by the full parser: the
 * value of the item, entry or document they hold. */
function readAsPiece(cursor: Cursor, from: number, to: number, indent: number, kind: PieceKind, key: string): Value {
  // Within the piece, a line indented less than `indent` is blank or a comment.
  const lines = cursor.raw.slice(from, to);
  const pad = " ".repeat(indent);
  const text = (indent === 0 ? lines : lines.map((l) => (l.startsWith(pad) ? l.slice(indent) : l.trimStart()))).join("\n");
  const doc = cursor.readPiece!(to < cursor.raw.length ? text + "\n" : text);
  if (!doc) throw new Declined("piece");
  if (cursor.stats) {
    cursor.stats.pieces++;
    cursor.stats.lines += to - from;
  }
  const value = doc.value as Value;
  let path: (string | number)[] = [];
  if (kind === "item") {
    if (!Array.isArray(value) || value.length !== 1) throw new Declined("piece");
    path = [0];
  } else if (kind === "entry") {
    const keys = value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
    if (keys.length !== 1 || keys[0] !== key) throw new Declined("piece");
    path = [key];
  }
  cursor.piece = (rest) => {
    const line = doc.lineAt([...path, ...rest]);
    return line === undefined ? undefined : line + from;
  };
  return path.length === 0 ? value : (value as Record<string | number, Value>)[path[0]!]!;
}

function parseSeq(cursor: Cursor, indent: number): Value[] {
  const items: Value[] = [];
  while (cursor.at < cursor.lines.length) {
    const current = cursor.lines[cursor.at]!;
    if (current.indent < indent || (current.indent === indent && !isSeqEntry(current.text))) break;
    if (current.indent > indent) unsupported("indentation");
    items.push(orPiece(cursor, indent, "item", "", ""));
    if (cursor.lines_) record(cursor, items, items.length - 1, cursor.piece ?? current.no);
  }
  return items;
}

/** The item of a block sequence at the cursor's line. */
function parseItem(cursor: Cursor, indent: number): Value {
  const current = cursor.lines[cursor.at]!;
  if (current.bad) unsupported("character");
  if (current.text === "-") unsupported("item on next line"); // an item on the following lines
  const rest = current.text.slice(2);
  const content = rest.trimStart();
  const column = indent + 2 + (rest.length - content.length);
  if (isSeqEntry(content)) unsupported("nested sequence"); // - - nested sequence on one line
  // A mapping that starts on the item's line: its keys sit at `column`.
  if (splitKey(content) !== undefined) return parseMap(cursor, column, content);
  cursor.at++;
  const value = scalarValue(stripComment(content.trim()));
  // A following line deeper than the dash would continue the scalar.
  const next = cursor.lines[cursor.at];
  if (next && next.indent > indent) unsupported("multi-line scalar");
  return value;
}

/**
 * A block mapping at column `indent`, starting at the cursor's line. `firstText` is that
 * line's content from the mapping's column (for a mapping that starts in a sequence item).
 */
function parseMap(cursor: Cursor, indent: number, firstText: string): { [key: string]: Value } {
  const value: { [key: string]: Value } = {};
  let text = firstText;
  for (;;) {
    const key = splitKey(text);
    if (key === undefined) return unsupported("not a key");
    const rest = keyRest;
    if (Object.prototype.hasOwnProperty.call(value, key)) unsupported("duplicate key"); // duplicate keys: the full parser decides
    const at = cursor.at;
    const line = cursor.lines[at]!;
    // An entry on its own line can be read alone; the first of a mapping that starts on a
    // sequence item's line goes with the item.
    if (line.indent === indent) value[key] = orPiece(cursor, indent, "entry", key, rest);
    else {
      value[key] = parseEntry(cursor, indent, rest);
      cursor.piece = undefined;
    }
    if (cursor.lines_) record(cursor, value, key, cursor.piece ?? (rest === "" ? cursor.lines[at + 1]!.no : line.no));
    const next = cursor.lines[cursor.at];
    if (!next || next.indent < indent) break;
    if (next.indent > indent || isSeqEntry(next.text) || next.bad) unsupported("indentation");
    text = next.text;
  }
  return value;
}

/** The value of the entry at the cursor's line, whose text after the key is `rest`. */
function parseEntry(cursor: Cursor, indent: number, rest: string): Value {
  cursor.at++;
  if (rest === "") {
    // The value is the block on the following lines: deeper, or a sequence at this column.
    const next = cursor.lines[cursor.at];
    if (next && (next.indent > indent || (next.indent === indent && isSeqEntry(next.text)))) return parseBlock(cursor, next.indent);
    return unsupported("empty value"); // an empty value (null): left to the full parser
  }
  const value = scalarValue(rest);
  const next = cursor.lines[cursor.at];
  if (next && next.indent > indent) unsupported("multi-line scalar"); // a multi-line scalar or a nested error
  return value;
}

/** Keys the composer takes: plain words that YAML 1.1 reads as strings. */
const KEY = /^[A-Za-z_][A-Za-z0-9_./+-]*$/;

/** Keys already taken (a few dozen names repeat across a whole export). */
const KEYS = new Set<string>();

/** The value text of the key splitKey found last (one string, not a pair per line). */
let keyRest = "";

/** The key of a `key: value` or `key:` line content (its value text in keyRest), or undefined. */
function splitKey(text: string): string | undefined {
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  const after = text[colon + 1];
  if (after !== undefined && after !== " ") return undefined;
  const key = text.slice(0, colon);
  if (!KEYS.has(key)) {
    if (!KEY.test(key)) return undefined;
    if (!isPlainString(key) || key === "__proto__") unsupported("key");
    if (KEYS.size < 10_000) KEYS.add(key);
  }
  let from = colon + 1;
  while (text.charCodeAt(from) === 32) from++;
  let to = text.length;
  while (to > from && text.charCodeAt(to - 1) === 32) to--;
  keyRest = from === to ? "" : stripComment(text.slice(from, to));
  return key;
}

/** The value text without a trailing ` # comment`; a `#` inside quotes is kept. */
function stripComment(text: string): string {
  if (text.startsWith("#")) return "";
  if (text.startsWith('"') || text.startsWith("'")) return text; // handled by the quoted readers
  const hash = text.indexOf(" #");
  return hash < 0 ? text : text.slice(0, hash).trimEnd();
}

function scalarValue(text: string): Value {
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

/** The line of the node at `path` in a document `root` whose lines are `lines`, following
 * the `yaml` package's Document.getIn rules. */
function lineAt(root: Value, lines: Lines, path: readonly (string | number)[]): number | undefined {
  let where: LineInfo | undefined = lines.root;
  let value: Value = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof where === "function") return where(path.slice(i));
    if (value === null || typeof value !== "object") return undefined;
    const key = path[i]!;
    const k = Array.isArray(value) ? itemIndex(key) : typeof key === "string" ? key : undefined;
    where = k === undefined ? undefined : lines.children.get(value)?.get(k);
    if (where === undefined) return undefined;
    value = (value as Record<string | number, Value>)[k!]!;
  }
  return typeof where === "function" ? where([]) : where;
}

/** A sequence index as the `yaml` package reads one: a non-negative integer, or a string of one. */
function itemIndex(key: string | number): number | undefined {
  const n = typeof key === "string" && key !== "" ? Number(key) : key;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
