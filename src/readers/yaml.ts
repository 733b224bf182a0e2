// The one YAML/JSON reader. Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml over
// go-yaml v2), so yes/no/on/off are booleans here too. Every node keeps its line, so
// evidence can point at the line that set a flag.
//
// Plain block YAML (what manifests are) is composed by ./yaml-block.ts, which gives exactly
// what the `yaml` package gives or declines; everything else goes to the `yaml` package,
// which is loaded only then (it is a fifth of a one-file run's module loading).
import { createRequire } from "node:module";
import type { Document, Node } from "yaml";
import { InputError } from "../errors.js";
import type { TextFile } from "./files.js";
import { jsonLineLocator } from "./json-lines.js";
import { MAX_DEPTH, parseBlockYaml } from "./yaml-block.js";

let yamlPackage: typeof import("yaml") | undefined;
/** The `yaml` package, loaded on first use. */
export function yamlLib(): typeof import("yaml") {
  return (yamlPackage ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
}

/** A value as YAML that this reader (YAML 1.1, like Kubernetes' sigs.k8s.io/yaml) reads back
 * unchanged: strings such as "off", "yes" or "1:20" are quoted, where a YAML 1.2 writer
 * leaves them plain and a 1.1 reader takes them for booleans and numbers. */
export function stringifyYaml(value: unknown): string {
  return yamlLib().stringify(value, { version: "1.1", lineWidth: 0 });
}

/** stringifyYaml, with every string (key or value) that `quote` picks written double-quoted:
 * never a block scalar, so no line of the output starts with its text, and YAML escapes C0
 * controls there; the caller may escape what YAML leaves raw, with YAML's own escapes. */
export function stringifyYamlQuoting(value: unknown, quote: (text: string) => boolean): string {
  const yaml = yamlLib();
  const document = new yaml.Document(value, { version: "1.1" });
  yaml.visit(document, {
    Scalar(_, node) {
      if (typeof node.value === "string" && quote(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return document.toString({ lineWidth: 0, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY });
}

export interface YamlDocument {
  index: number;
  /** The document as plain data. */
  value: unknown;
  /** Line (1-based) of the node at a path of keys and indexes, where it exists. */
  lineAt(path: readonly (string | number)[]): number | undefined;
}

/** Aliases allowed per document: far above any real manifest, far below an alias bomb. */
const MAX_ALIASES = 1000;
/** Nesting allowed in a document (maps and lists): a Kubernetes object nests about 10 deep. */
export { MAX_DEPTH };
/** A document's size with every alias expanded (the bytes of its keys and scalars, one per
 * map or list), at least: the limit is twice the input's size, so only aliases can reach it. */
export const MAX_EXPANDED_BYTES = 32 * 1024 * 1024;

export function readYamlDocuments(file: TextFile): YamlDocument[] {
  const json = readJsonDocument(file);
  const documents = json && "value" in json ? [json] : readYamlOrJsonError(file, json);
  // Twice the input (so only aliases can reach it), and never less than MAX_EXPANDED_BYTES.
  const limit = Math.max(MAX_EXPANDED_BYTES, 2 * file.text.length);
  for (const document of documents) checkShape(document, file.path, limit);
  return documents;
}

/**
 * Refuses a document nested deeper than MAX_DEPTH or larger than MAX_EXPANDED_BYTES once its
 * aliases are expanded, before anything walks it recursively or serializes it. Its own
 * recursion stops at MAX_DEPTH, and it stops at the first limit it passes.
 */
function checkShape(document: YamlDocument, path: string, limit: number): void {
  const bytes = expandedSize(document.value, 0, 0, limit);
  if (bytes === TOO_DEEP) {
    const line = document.lineAt(pathToDepth(document.value, MAX_DEPTH));
    throw new InputError(`nested too deeply (more than ${MAX_DEPTH} levels of maps and lists)`, { file: path, ...(line ? { line } : {}) });
  }
  if (bytes > limit) {
    const line = document.lineAt([]);
    throw new InputError(`document is over ${limit} bytes once its aliases are expanded; the limit is ${limit}`, { file: path, ...(line ? { line } : {}) });
  }
}

const TOO_DEEP = -1;

/** Bytes of `value`'s keys and scalars (1 per map, list or non-string scalar) added to
 * `total`; past `limit` it returns early, deeper than MAX_DEPTH it is TOO_DEEP. */
function expandedSize(value: unknown, depth: number, total: number, limit: number): number {
  if (typeof value === "string") return total + value.length;
  if (value === null || typeof value !== "object") return total + 1;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  total += 1;
  if (Array.isArray(value)) {
    for (const item of value) {
      total = expandedSize(item, depth + 1, total, limit);
      if (total === TOO_DEEP || total > limit) return total;
    }
  } else {
    for (const key in value) {
      total = expandedSize((value as Record<string, unknown>)[key], depth + 1, total + key.length, limit);
      if (total === TOO_DEEP || total > limit) return total;
    }
  }
  return total;
}

/** The path of keys and indexes to the first map or list at `depth`. */
function pathToDepth(root: unknown, depth: number): (string | number)[] {
  const path: (string | number)[] = [];
  let value = root;
  while (path.length < depth) {
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value as object);
    const next = entries.find(([, v]) => v !== null && typeof v === "object" && reaches(v, depth - path.length - 1));
    if (!next) break;
    path.push(next[0]);
    value = next[1];
  }
  return path;
}

/** Whether `value` nests at least `levels` more maps or lists below it (iterative). */
function reaches(value: unknown, levels: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d >= levels) return true;
    if (v !== null && typeof v === "object") for (const item of Object.values(v)) if (item !== null && typeof item === "object") stack.push([item, d + 1]);
  }
  return false;
}

/**
 * A JSON document (`kubectl get -o json`) is parsed with JSON.parse, which is two orders of
 * magnitude faster than the YAML parser on large RBAC exports. Lines are found, when asked
 * for, in the text by ./json-lines.ts. Anything JSON.parse refuses (several documents, YAML)
 * goes to the YAML parser.
 */
function readJsonDocument(file: TextFile): YamlDocument | JsonProblem | undefined {
  if (!/^\s*[[{]/.test(file.text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch (error) {
    return jsonProblem(file.text, (error as Error).message);
  }
  if (value === null || typeof value !== "object") return undefined;
  return { index: 0, value, lineAt: jsonLineLocator(file.text) };
}

/** Why JSON.parse refused a text that looks like JSON, and where, if it says. */
interface JsonProblem {
  reason: string;
  line?: number;
  column?: number;
}

/**
 * JSON.parse's reason without anything it quotes from the input (V8 quotes the text around an
 * unexpected token), and the line and column of its position. An export cut short ends early.
 */
function jsonProblem(text: string, message: string): JsonProblem {
  if (/Unexpected end of JSON input/.test(message)) return { reason: "the JSON ends early", ...lineColumn(text, text.length) };
  const at = /^(.*?) in JSON at position (\d+)/.exec(message);
  if (!at) return { reason: /^Unexpected token/.test(message) ? "unexpected token" : "not valid JSON" };
  // "Expected ',' or ']' after array element" quotes grammar, "Unexpected token 'x'" the input.
  const reason = (at[1] as string).replace(/\s*".*?"/g, "").replace(/^Unexpected token\b.*/, "Unexpected token");
  return { reason: reason.charAt(0).toLowerCase() + reason.slice(1), ...lineColumn(text, Number(at[2])) };
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < position; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: position - start + 1 };
}

/**
 * A text JSON.parse refused is read as YAML (a superset: several documents, comments, unquoted
 * keys). When that fails too and the text is JSON by its name or its first character, the
 * error is JSON's, so a cut-off `kubectl -o json` export is not reported as bad YAML.
 */
function readYamlOrJsonError(file: TextFile, json: JsonProblem | undefined): YamlDocument[] {
  try {
    return readYamlStream(file);
  } catch (error) {
    if (!(error instanceof InputError) || !json || !/\.json$/i.test(file.path)) throw error;
    // Where JSON.parse names no position (an unexpected token), the YAML parser's is the place.
    const line = json.line ?? error.location.line;
    const column = json.line ? json.column : error.location.column;
    const where = line ? { line, ...(column ? { column } : {}) } : {};
    throw new InputError(`invalid JSON (${json.reason}${column ? `, column ${column}` : ""})`, { file: file.path, ...where });
  }
}

function readYamlStream(file: TextFile): YamlDocument[] {
  const block = parseBlockYaml(file.text, readYamlPiece);
  if (block) return block.filter((doc) => doc.value !== null);
  return readYamlStreamFully(file.text, file.path);
}

const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";

/** How the `yaml` package reads: YAML 1.1, duplicate keys left to the normalizers, and no
 * timestamps: Kubernetes (go-yaml v2 decoding into interface{}) keeps a plain
 * `2026-01-01T00:00:00Z` as the string it is, where the 1.1 schema would make it a Date.
 * It never logs: its warnings (process.emitWarning, on stderr) quote the input, such as a
 * key that is a collection (`{{ .Values.token }}: v`), and input never reaches an output. */
function parseOptions(lineCounter: InstanceType<typeof import("yaml").LineCounter>) {
  return {
    version: "1.1",
    lineCounter,
    logLevel: "silent",
    uniqueKeys: false,
    customTags: (tags: import("yaml").Tags) => tags.filter((tag) => typeof tag !== "object" || tag.tag !== TIMESTAMP_TAG),
  } as const;
}

/** The `yaml` package's reading of a stream: the reference the fast path is tested against. */
export function readYamlStreamFully(text: string, path: string): YamlDocument[] {
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, parseOptions(lineCounter));
  if (!Array.isArray(documents)) {
    // An empty stream gives an EmptyStream object.
    return [];
  }
  const result: YamlDocument[] = [];
  documents.forEach((doc, index) => {
    const problem = doc.errors[0];
    if (problem) {
      const pos = problem.linePos?.[0];
      // The parser's recursion ran out of stack: flow collections nested past any limit.
      const reason =
        problem.code === "RESOURCE_EXHAUSTION" && /call stack/.test(problem.message)
          ? `nested too deeply (more than ${MAX_DEPTH} levels of maps and lists)`
          : `invalid YAML (${yamlProblem(problem.code)}${pos ? `, column ${pos.col}` : ""})`;
      throw new InputError(reason, {
        file: path,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      if (error instanceof RangeError) throw new InputError(`nested too deeply (more than ${MAX_DEPTH} levels of maps and lists)`, { file: path });
      throw new InputError(`YAML document ${index + 1}: ${composeProblem(error as Error)}`, { file: path });
    }
    if (value === null || value === undefined) return;
    result.push({ index, value, lineAt: (path) => lineOf(doc, lineCounter, path) });
  });
  return result;
}

/**
 * The `yaml` package's reading of a piece that the fast path cut out of a text (./yaml-block.ts):
 * its one document, or undefined when the piece cannot be read alone: an error (the whole
 * text is then read by readYamlStreamFully, which names it), or an alias (whose anchor may
 * lie outside the piece, and whose count is limited per document).
 */
export function readYamlPiece(text: string): Omit<YamlDocument, "index"> | undefined {
  const { LineCounter, parseAllDocuments, visit } = yamlLib();
  const lineCounter = new LineCounter();
  try {
    const documents = parseAllDocuments(text, parseOptions(lineCounter));
    if (!Array.isArray(documents) || documents.length !== 1) return undefined;
    const doc = documents[0]!;
    if (doc.errors.length > 0) return undefined;
    let alias = false;
    if (/[*]/.test(text)) visit(doc, { Alias: () => ((alias = true), visit.BREAK) });
    if (alias) return undefined;
    return { value: doc.toJS(), lineAt: (path) => lineOf(doc, lineCounter, path) };
  } catch {
    return undefined;
  }
}

function lineOf(doc: Document, lineCounter: InstanceType<typeof import("yaml").LineCounter>, path: readonly (string | number)[]): number | undefined {
  const { isMap, isScalar, isSeq } = yamlLib();
  const node = doc.getIn(path, true) as Node | undefined;
  if (!node || !(isScalar(node) || isMap(node) || isSeq(node)) || !node.range) return undefined;
  return lineCounter.linePos(node.range[0]).line;
}

// Parser messages quote the text they stumbled on (`Block scalar header includes extra
// characters: |<key material>`), so none is copied into an error: the position and a
// generic reason named by the problem's code are.
const YAML_PROBLEMS: Record<string, string> = {
  BAD_INDENT: "bad indentation",
  TAB_AS_INDENT: "tab used as indentation",
  MISSING_CHAR: "a quote or bracket is not closed",
  MULTILINE_IMPLICIT_KEY: "a key spans several lines",
  BLOCK_AS_IMPLICIT_KEY: "a mapping where a key was expected",
  DUPLICATE_KEY: "duplicate key",
  BAD_ALIAS: "bad alias",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
};

function yamlProblem(code: string): string {
  return YAML_PROBLEMS[code] ?? code.toLowerCase().replace(/_/g, " ");
}

/** Why a parsed document could not be turned into data, without quoting it. */
function composeProblem(error: Error): string {
  if (/alias count/i.test(error.message)) return `more than ${MAX_ALIASES} aliases`;
  if (/unresolved alias/i.test(error.message)) return "an alias names no anchor";
  return "the document could not be composed";
}
