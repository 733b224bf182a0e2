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
import { parseBlockYaml } from "./yaml-block.js";

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

export interface YamlDocument {
  index: number;
  /** The document as plain data. */
  value: unknown;
  /** Line (1-based) of the node at a path of keys and indexes, where it exists. */
  lineAt(path: readonly (string | number)[]): number | undefined;
}

/** Aliases allowed per document: far above any real manifest, far below an alias bomb. */
const MAX_ALIASES = 1000;

export function readYamlDocuments(file: TextFile): YamlDocument[] {
  const json = readJsonDocument(file);
  if (json) return [json];
  return readYamlStream(file);
}

/**
 * A JSON document (`kubectl get -o json`) is parsed with JSON.parse, which is two orders of
 * magnitude faster than the YAML parser on large RBAC exports. Lines are found, when asked
 * for, by reading the same text as YAML (JSON is YAML), once. Anything JSON.parse refuses
 * (several documents, YAML) goes to the YAML parser.
 */
function readJsonDocument(file: TextFile): YamlDocument | undefined {
  if (!/^\s*[[{]/.test(file.text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  let lines: YamlDocument | undefined;
  return {
    index: 0,
    value,
    lineAt: (path) => (lines ??= readYamlStream(file)[0])?.lineAt(path),
  };
}

function readYamlStream(file: TextFile): YamlDocument[] {
  const block = parseBlockYaml(file.text);
  if (block) return block.filter((doc) => doc.value !== null);
  return readYamlStreamFully(file.text, file.path);
}

/** The `yaml` package's reading of a stream: the reference the fast path is tested against. */
export function readYamlStreamFully(text: string, path: string): YamlDocument[] {
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { version: "1.1", lineCounter, uniqueKeys: false });
  if (!Array.isArray(documents)) {
    // An empty stream gives an EmptyStream object.
    return [];
  }
  const result: YamlDocument[] = [];
  documents.forEach((doc, index) => {
    const problem = doc.errors[0];
    if (problem) {
      const pos = problem.linePos?.[0];
      throw new InputError(`invalid YAML: ${firstLine(problem.message)}`, {
        file: path,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      throw new InputError(`YAML document ${index + 1}: ${(error as Error).message}`, { file: path });
    }
    if (value === null || value === undefined) return;
    result.push({ index, value, lineAt: (path) => lineOf(doc, lineCounter, path) });
  });
  return result;
}

function lineOf(doc: Document, lineCounter: InstanceType<typeof import("yaml").LineCounter>, path: readonly (string | number)[]): number | undefined {
  const { isMap, isScalar, isSeq } = yamlLib();
  const node = doc.getIn(path, true) as Node | undefined;
  if (!node || !(isScalar(node) || isMap(node) || isSeq(node)) || !node.range) return undefined;
  return lineCounter.linePos(node.range[0]).line;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
