// The fast path of the YAML reader (./yaml.ts), and only of it: a small composer for the
// block YAML that manifests are written in — block mappings and sequences, plain, single- and
// double-quoted one-line scalars, `{}`/`[]`, comments, `---` between documents. Anything else
// (anchors, aliases, tags, flow collections, block or multi-line scalars, escapes other than
// \" and \\, tabs, CR, directives, duplicate keys, a scalar whose YAML 1.1 type is not plainly
// a string, int, bool or null, and every error) returns undefined, and the reader falls back
// to the `yaml` package, which stays the reference: test/yaml-block.test.ts checks that this
// path gives exactly the value and the lines the full parser gives, or falls back.

/** One parsed document: its value and the line (1-based) of every node, keyed by node. */
export interface BlockDocument {
  index: number;
  value: unknown;
  /** Line of the node at a path of keys and indexes, with the `yaml` package's getIn rules. */
  lineAt(path: readonly (string | number)[]): number | undefined;
}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** A composed node: its value, its line, and its children's nodes (maps by key, seqs by index). */
interface BlockNode {
  value: Value;
  line: number;
  map?: Map<string, BlockNode>;
  seq?: BlockNode[];
}

interface Line {
  /** Line number, 1-based. */
  no: number;
  indent: number;
  /** The content after the indentation, comments and trailing blanks kept. */
  text: string;
}

/** Thrown inside the composer for anything it does not handle; caught by parseBlockYaml. */
class Unsupported extends Error {}
const unsupported = (why = "unsupported"): never => {
  throw new Unsupported(why);
};

/** The documents of `text`, or undefined when the full parser must read it. */
export function parseBlockYaml(text: string): BlockDocument[] | undefined {
  const outcome = tryBlockYaml(text);
  return typeof outcome === "string" ? undefined : outcome;
}

/** The documents, or why the fast path declines (for tests and coverage figures). */
export function tryBlockYaml(text: string): BlockDocument[] | string {
  // Characters the composer never handles: tabs, CR, BOM, other control characters, and the
  // Unicode spaces (no-break space, U+2000…U+200A, …) that JavaScript's trim() strips but
  // YAML keeps as content: the composer trims with trim(), so it must never see them.
  if (/[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(text)) return "character";
  try {
    return compose(text);
  } catch (error) {
    if (error instanceof Unsupported) return error.message;
    throw error;
  }
}

function compose(text: string): BlockDocument[] {
  const raw = text.split("\n");
  const segments: Line[][] = [[]];
  let separators = 0;
  let sawContent = false;
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    if (line.startsWith("---")) {
      if (!/^---[ ]*$/.test(line)) unsupported("marker");
      // A `---` that opens the stream (after blank or comment lines only) starts document 0.
      if (sawContent || separators > 0) segments.push([]);
      separators++;
      continue;
    }
    if (line.startsWith("...") || line.startsWith("%")) unsupported("directive or document end");
    const content = line.trimStart();
    if (content === "" || content.startsWith("#")) continue;
    sawContent = true;
    segments[segments.length - 1]!.push({ no: i + 1, indent: line.length - content.length, text: content });
  }
  if (!sawContent) unsupported("empty stream"); // an empty stream, or only comments
  const documents: BlockDocument[] = [];
  segments.forEach((lines, index) => {
    if (lines.length === 0) unsupported("empty document"); // an empty document
    if (lines[0]!.indent !== 0) unsupported("indented root");
    const cursor = { lines, at: 0, depth: 0 };
    const root = parseBlock(cursor, 0);
    if (cursor.at !== lines.length) unsupported("trailing content");
    documents.push({ index, value: root.value, lineAt: (path) => lineAt(root, path) });
  });
  return documents;
}

interface Cursor {
  lines: Line[];
  at: number;
  /** Block collections open around the cursor. */
  depth: number;
}

/** Nesting of maps and lists allowed in a document (src/readers/yaml.ts enforces it; this
 * composer declines deeper documents, so its recursion stays shallow). */
export const MAX_DEPTH = 100;

/** The block collection whose first line is the cursor's, at column `indent`. */
function parseBlock(cursor: Cursor, indent: number): BlockNode {
  const first = cursor.lines[cursor.at]!;
  if (first.indent !== indent) unsupported("indentation");
  if (cursor.depth >= MAX_DEPTH) unsupported("nesting");
  cursor.depth++;
  const node = isSeqEntry(first.text) ? parseSeq(cursor, indent) : parseMap(cursor, indent, first.text, first.no);
  cursor.depth--;
  return node;
}

const isSeqEntry = (text: string) => text === "-" || text.startsWith("- ");

function parseSeq(cursor: Cursor, indent: number): BlockNode {
  const items: BlockNode[] = [];
  const line = cursor.lines[cursor.at]!.no;
  while (cursor.at < cursor.lines.length) {
    const current = cursor.lines[cursor.at]!;
    if (current.indent < indent || (current.indent === indent && !isSeqEntry(current.text))) break;
    if (current.indent > indent) unsupported("indentation");
    if (current.text === "-") unsupported("item on next line"); // an item on the following lines
    const rest = current.text.slice(2);
    const content = rest.trimStart();
    const column = indent + 2 + (rest.length - content.length);
    if (isSeqEntry(content)) unsupported("nested sequence"); // - - nested sequence on one line
    const key = splitKey(content);
    if (key) {
      // A mapping that starts on the item's line: its keys sit at `column`.
      items.push(parseMap(cursor, column, content, current.no));
    } else {
      cursor.at++;
      items.push(scalarNode(stripComment(content.trim()), current.no));
      // A following line deeper than the dash would continue the scalar.
      const next = cursor.lines[cursor.at];
      if (next && next.indent > indent) unsupported("multi-line scalar");
    }
  }
  return { value: items.map((n) => n.value), line, seq: items };
}

/**
 * A block mapping at column `indent`, starting at the cursor's line. `firstText` is that
 * line's content from the mapping's column (for a mapping that starts in a sequence item).
 */
function parseMap(cursor: Cursor, indent: number, firstText: string, firstLine: number): BlockNode {
  const value: { [key: string]: Value } = {};
  const nodes = new Map<string, BlockNode>();
  let text = firstText;
  let lineNo = firstLine;
  for (;;) {
    const split = splitKey(text);
    if (!split) unsupported("not a key");
    const [key, rest] = split!;
    if (nodes.has(key)) unsupported("duplicate key"); // duplicate keys: the full parser decides
    cursor.at++;
    let node: BlockNode;
    if (rest === "") {
      // The value is the block on the following lines: deeper, or a sequence at this column.
      const next = cursor.lines[cursor.at];
      if (next && (next.indent > indent || (next.indent === indent && isSeqEntry(next.text)))) {
        node = parseBlock(cursor, next.indent);
      } else {
        unsupported("empty value"); // an empty value (null): left to the full parser
      }
    } else {
      node = scalarNode(rest, lineNo);
      const next = cursor.lines[cursor.at];
      if (next && next.indent > indent) unsupported("multi-line scalar"); // a multi-line scalar or a nested error
    }
    nodes.set(key, node!);
    value[key] = node!.value;
    const next = cursor.lines[cursor.at];
    if (!next || next.indent < indent) break;
    if (next.indent > indent || isSeqEntry(next.text)) unsupported("indentation");
    text = next.text;
    lineNo = next.no;
  }
  return { value, line: firstLine, map: nodes };
}

/** Keys the composer takes: plain words that YAML 1.1 reads as strings. */
const KEY = /^[A-Za-z_][A-Za-z0-9_./+-]*$/;

/** [key, value text] of a `key: value` or `key:` line content, or undefined. */
function splitKey(text: string): [string, string] | undefined {
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  const after = text[colon + 1];
  if (after !== undefined && after !== " ") return undefined;
  const key = text.slice(0, colon);
  if (!KEY.test(key)) return undefined;
  if (!isPlainString(key) || key === "__proto__") unsupported("key");
  const rest = stripComment(text.slice(colon + 1).trim());
  return [key, rest];
}

/** The value text without a trailing ` # comment`; a `#` inside quotes is kept. */
function stripComment(text: string): string {
  if (text.startsWith("#")) return "";
  if (text.startsWith('"') || text.startsWith("'")) return text; // handled by the quoted readers
  const hash = text.search(/ #/);
  return hash < 0 ? text : text.slice(0, hash).trimEnd();
}

function scalarNode(text: string, line: number): BlockNode {
  return { value: scalarValue(text), line };
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
 * base 60, .inf, .nan) and timestamps. The timestamp pattern is wider than the schema's (any
 * text starting with a date), which only makes the fast path decline more.
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
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
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

/** The line of the node at `path`, following the `yaml` package's Document.getIn rules. */
function lineAt(root: BlockNode, path: readonly (string | number)[]): number | undefined {
  let node: BlockNode | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    if (node.map) {
      node = typeof key === "string" ? node.map.get(key) : undefined;
    } else if (node.seq) {
      const index = itemIndex(key);
      node = index === undefined ? undefined : node.seq[index];
    } else {
      return undefined;
    }
  }
  return node?.line;
}

/** A sequence index as the `yaml` package reads one: a non-negative integer, or a string of one. */
function itemIndex(key: string | number): number | undefined {
  const n = typeof key === "string" && key !== "" ? Number(key) : key;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
