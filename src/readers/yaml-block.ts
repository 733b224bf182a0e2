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

import { Unsupported, type Value, keyRest, scalarValue, splitKey, stripComment, unsupported } from "./yaml-scalar.js";

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

/** Where a node is: its line, or (for a piece read by the full parser) the piece's lines. */
type LineInfo = number | ((path: readonly (string | number)[]) => number | undefined);

/** The lines of a composed document, recorded only when asked for (lineAt composes again):
 * the root's, and each map's and sequence's children's, keyed by key or index. */
interface Lines {
  root: LineInfo;
  children: Map<object, Map<string | number, LineInfo>>;
}

/** The content lines of a text (blank and comment lines left out), as columns of numbers (no
 * object or string per line, so that a 3-million-line export leaves the garbage collector
 * little to trace): the line number (1-based), where the line starts in the text, its leading
 * spaces and where it ends; and the positions of lines that hold a character the composer never
 * handles (kept even if blank or a comment). A line's content (after the leading spaces,
 * comments and trailing blanks kept) is cut out of the text only when it is read (lineText). */
interface Columns {
  source: string;
  no: Int32Array;
  start: Int32Array;
  indent: Int32Array;
  end: Int32Array;
  bad: Set<number>;
}

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
  /** Its content lines: [lo, hi) of the columns. */
  lo: number;
  hi: number;
  /** Its text: [from, to), and the number of its first line. */
  from: number;
  to: number;
  line: number;
}

/** The documents of `text`: their values, and with `track` their lines (the values are the
 * same each time; lines are recorded only when asked for, as they cost a third of the time). */
function compose(text: string, readPiece: ReadPiece | undefined, stats: PieceStats | undefined, track = false): { value: Value; lines?: Lines }[] {
  const anyBad = BAD_CHARACTER.test(text);
  let lineCount = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCount++;
  const columns: Columns = { source: text, no: new Int32Array(lineCount), start: new Int32Array(lineCount), indent: new Int32Array(lineCount), end: new Int32Array(lineCount), bad: new Set() };
  let count = 0;
  const segments: Segment[] = [{ lo: 0, hi: 0, from: 0, to: text.length, line: 1 }];
  let separators = 0;
  let sawContent = false;
  // One line at a time, without splitting the text: only the content of a line is cut out.
  for (let pos = 0, no = 1; pos <= text.length; no++) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const lineStart = pos;
    pos = eol + 1;
    const c = text.charCodeAt(lineStart);
    if (c === 45 && text.startsWith("---", lineStart)) {
      if (!/^---[ ]*$/.test(text.slice(lineStart, eol))) unsupported("marker");
      // A `---` that opens the stream (after blank or comment lines only) starts document 0.
      if (sawContent || separators > 0) {
        segments[segments.length - 1]!.to = lineStart;
        segments.push({ lo: count, hi: 0, from: Math.min(pos, text.length), to: text.length, line: no + 1 });
      } else Object.assign(segments[0]!, { from: Math.min(pos, text.length), line: no + 1 });
      separators++;
      continue;
    }
    if ((c === 46 && text.startsWith("...", lineStart)) || c === 37) unsupported("directive or document end");
    let at = lineStart;
    while (at < eol && text.charCodeAt(at) === 32) at++;
    const bad = anyBad && BAD_CHARACTER.test(text.slice(lineStart, eol));
    if (!bad && (at === eol || text.charCodeAt(at) === 35)) continue;
    if (bad) columns.bad.add(count);
    sawContent = true;
    columns.no[count] = no;
    columns.start[count] = lineStart;
    columns.indent[count] = at - lineStart;
    columns.end[count] = eol;
    count++;
  }
  if (!sawContent) unsupported("empty stream"); // an empty stream, or only comments
  segments.forEach((segment, i) => (segment.hi = segments[i + 1]?.lo ?? count));
  return segments.map(({ lo, hi, from, to, line }) => {
    const cursor: Cursor = { ...columns, at: lo, hi, depth: 0, documentEnd: to, readPiece, stats, piece: undefined, lines: track ? { root: 0, children: new Map() } : undefined };
    let root: Value;
    try {
      if (hi === lo) unsupported("empty document"); // an empty document
      if (columns.indent[lo] !== 0) unsupported("indented root");
      root = parseBlock(cursor, 0);
      if (cursor.at !== hi) unsupported("trailing content");
      if (cursor.lines) cursor.lines.root = columns.no[lo]!;
    } catch (error) {
      if (!(error instanceof Unsupported) || !readPiece) throw error;
      root = readAsPiece(cursor, from, to, line, 0, "document", "");
      if (cursor.lines) cursor.lines.root = cursor.piece!;
    }
    return { value: root, ...(cursor.lines ? { lines: cursor.lines } : {}) };
  });
}

/** Where the composer is in a document's content lines (the columns, [at, hi)). */
interface Cursor extends Columns {
  at: number;
  hi: number;
  /** Block collections open around the cursor. */
  depth: number;
  /** Where the document ends in the text. */
  documentEnd: number;
  readPiece: ReadPiece | undefined;
  stats: PieceStats | undefined;
  /** The lines of the piece read last (set by readAsPiece). */
  piece: LineInfo | undefined;
  /** The document's lines, when they are recorded. */
  lines: Lines | undefined;
}

/** The indentation of content line `i`, or -1 past the document's end. */
const indentOf = (cursor: Cursor, i: number) => (i < cursor.hi ? cursor.indent[i]! : -1);

/** The content of line `i`: after its leading spaces, comments and trailing blanks kept. */
const lineText = (columns: Columns, i: number) => columns.source.slice(columns.start[i]! + columns.indent[i]!, columns.end[i]);

/** Whether line `i` is a block sequence entry ("-" alone or "- ..."), read in the text. */
function seqEntryAt(columns: Columns, i: number): boolean {
  const at = columns.start[i]! + columns.indent[i]!;
  return columns.source.charCodeAt(at) === 45 && (at + 1 === columns.end[i] || columns.source.charCodeAt(at + 1) === 32);
}

/** Records where `parent[key]` is, when lines are recorded. */
function record(cursor: Cursor, parent: object, key: string | number, where: LineInfo): void {
  const children = cursor.lines!.children;
  let map = children.get(parent);
  if (!map) children.set(parent, (map = new Map()));
  map.set(key, where);
}

/** Nesting of maps and lists allowed in a document (src/readers/yaml.ts enforces it; this
 * composer declines deeper documents, so its recursion stays shallow). */
export const MAX_DEPTH = 100;

/** The block collection whose first line is the cursor's, at column `indent`. */
function parseBlock(cursor: Cursor, indent: number): Value {
  const first = cursor.at;
  if (indentOf(cursor, first) !== indent || cursor.bad.has(first)) unsupported("indentation");
  if (cursor.depth >= MAX_DEPTH) unsupported("nesting");
  cursor.depth++;
  const value = seqEntryAt(cursor, first) ? parseSeq(cursor, indent) : parseMap(cursor, indent, lineText(cursor, first));
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
    if (!inside(cursor, cursor.at, indent, entry)) {
      cursor.piece = undefined; // (a piece read inside it is recorded already)
      return value;
    }
    unsupported("indentation");
  } catch (error) {
    if (!(error instanceof Unsupported) || !cursor.readPiece) throw error;
  }
  cursor.depth = depth;
  let end = start + 1;
  while (inside(cursor, end, indent, entry)) end++;
  cursor.at = end;
  const to = end < cursor.hi ? cursor.start[end]! : cursor.documentEnd;
  return readAsPiece(cursor, cursor.start[start]!, to, cursor.no[start]!, indent, kind, key);
}

/** Whether content line `i` belongs to the item or entry at column `indent`. */
function inside(cursor: Cursor, i: number, indent: number, entry: boolean): boolean {
  const at = indentOf(cursor, i);
  return at > indent || (entry && at === indent && seqEntryAt(cursor, i));
}

/** The text [from, to), whose first line is `line`, without the first `indent` columns of
 * each line, read by the full parser: the value of the item, entry or document it holds. */
function readAsPiece(cursor: Cursor, from: number, to: number, line: number, indent: number, kind: PieceKind, key: string): Value {
  const piece = cursor.source.slice(from, to);
  const lines = piece.split("\n");
  // Within the piece, a line indented less than `indent` is blank or a comment.
  const pad = " ".repeat(indent);
  const doc = cursor.readPiece!(indent === 0 ? piece : lines.map((l) => (l.startsWith(pad) ? l.slice(indent) : l.trimStart())).join("\n"));
  if (!doc) throw new Declined("piece");
  if (cursor.stats) {
    cursor.stats.pieces++;
    cursor.stats.lines += lines.length - (piece.endsWith("\n") ? 1 : 0);
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
    const at = doc.lineAt([...path, ...rest]);
    return at === undefined ? undefined : at + line - 1;
  };
  return path.length === 0 ? value : (value as Record<string | number, Value>)[path[0]!]!;
}

function parseSeq(cursor: Cursor, indent: number): Value[] {
  const items: Value[] = [];
  while (cursor.at < cursor.hi) {
    const current = cursor.at;
    const at = cursor.indent[current]!;
    if (at < indent || (at === indent && !seqEntryAt(cursor, current))) break;
    if (at > indent) unsupported("indentation");
    items.push(orPiece(cursor, indent, "item", "", ""));
    if (cursor.lines) record(cursor, items, items.length - 1, cursor.piece ?? cursor.no[current]!);
  }
  return items;
}

/** The item of a block sequence at the cursor's line. */
function parseItem(cursor: Cursor, indent: number): Value {
  if (cursor.bad.has(cursor.at)) unsupported("character");
  const text = lineText(cursor, cursor.at);
  if (text === "-") unsupported("item on next line"); // an item on the following lines
  const rest = text.slice(2);
  const content = rest.trimStart();
  const column = indent + 2 + (rest.length - content.length);
  if (isSeqEntry(content)) unsupported("nested sequence"); // - - nested sequence on one line
  // A mapping that starts on the item's line: its keys sit at `column`.
  if (splitKey(content) !== undefined) return parseMap(cursor, column, content);
  cursor.at++;
  const value = scalarValue(stripComment(content.trim()));
  // A following line deeper than the dash would continue the scalar.
  if (indentOf(cursor, cursor.at) > indent) unsupported("multi-line scalar");
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
    // An entry on its own line can be read alone; the first of a mapping that starts on a
    // sequence item's line goes with the item.
    if (cursor.indent[at] === indent) value[key] = orPiece(cursor, indent, "entry", key, rest);
    else {
      value[key] = parseEntry(cursor, indent, rest);
      cursor.piece = undefined;
    }
    if (cursor.lines) record(cursor, value, key, cursor.piece ?? cursor.no[rest === "" ? at + 1 : at]!);
    const next = cursor.at;
    const nextIndent = indentOf(cursor, next);
    if (nextIndent < indent) break;
    if (nextIndent > indent || seqEntryAt(cursor, next) || cursor.bad.has(next)) unsupported("indentation");
    text = lineText(cursor, next);
  }
  return value;
}

/** The value of the entry at the cursor's line, whose text after the key is `rest`. */
function parseEntry(cursor: Cursor, indent: number, rest: string): Value {
  cursor.at++;
  if (rest === "") {
    // The value is the block on the following lines: deeper, or a sequence at this column.
    const next = indentOf(cursor, cursor.at);
    if (next > indent || (next === indent && seqEntryAt(cursor, cursor.at))) return parseBlock(cursor, next);
    return unsupported("empty value"); // an empty value (null): left to the full parser
  }
  const value = scalarValue(rest);
  if (indentOf(cursor, cursor.at) > indent) unsupported("multi-line scalar"); // a multi-line scalar or a nested error
  return value;
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
export function itemIndex(key: string | number): number | undefined {
  const n = typeof key === "string" && key !== "" ? Number(key) : key;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
