// What a run starts from: the loaded policy bundle and catalogue (loadKubecis), and the input
// documents read and normalized from paths or from the node (normalizeInputs, normalizeNode,
// prepareInputs). Bad inputs become report errors; every other input is still used. The run
// itself (evaluation, waivers, the report) is src/run.ts.
import { readFileSync } from "node:fs";
import { InputError, NoTargetError } from "./errors.js";
import { readBundle } from "./engine/bundle.js";
import { readCatalog, type Catalog } from "./engine/catalog.js";
import { loadEngine, type Engine } from "./engine/opa-wasm.js";
import { splitEngine } from "./engine/split.js";
import { collectLiveNode } from "./live.js";
import { InputCollector, type NodeReport } from "./normalizers/index.js";
import { parseVersionOption } from "./normalizers/version.js";
import { catalogPath, packageJsonPath, wasmBundlePath } from "./paths.js";
import {
  DEFAULT_MAX_RBAC_BYTES,
  inputBytes,
  isTextFile,
  readInputPaths,
  readStdin,
  readTextFile,
  type ReadLimits,
} from "./readers/files.js";
import { readYamlDocuments, stringifyYamlQuoting } from "./readers/yaml.js";
import { inertJson, inertYaml, needsInert } from "./reporters/inert.js";
import type { InputDocument, ReportError, Target } from "./types.js";

export interface RunOptions {
  /** "1.33" or "v1.33.2": overrides the version found in the inputs. */
  kubernetesVersion?: string;
  /** A benchmark profile name (cis-1.12, seed-2020, …) instead of the version's default. */
  profile?: string;
  /** A YAML or JSON file `{params: {...}}` overriding parameters (`--data`). */
  dataFile?: string;
  /** Reads standard input for the path "-". */
  stdin?: (limits?: ReadLimits) => Buffer;
  /** The largest RBAC export file read (`--max-rbac-file-size`; default DEFAULT_MAX_RBAC_BYTES). */
  maxRbacFileBytes?: number;
  /** Path globs (`--exclude`): files of a walked directory that match one are not read. */
  exclude?: readonly string[];
  /** `kubecis scan`: the host's root directory ("/" on the node itself). */
  hostRoot?: string;
  /** Called after each target is judged (the CLI's progress line). */
  onJudged?: (done: number, total: number) => void;
}

export interface Normalized {
  documents: InputDocument[];
  errors: ReportError[];
}

/** Reads and normalizes every input; an input that fails is recorded and the rest go on. */
export function normalizeInputs(paths: readonly string[], options: RunOptions = {}): Normalized {
  const { documents, errors } = normalizePaths(paths, options, false);
  return { documents, errors };
}

/** What "-" reads: the run's stdin option, else this process's standard input. */
function stdinOf(options: RunOptions): (limits?: ReadLimits) => Buffer {
  return options.stdin ?? readStdin;
}

/** The size limits of the run's inputs. */
function limitsOf(options: RunOptions): ReadLimits {
  return { maxRbacBytes: options.maxRbacFileBytes ?? DEFAULT_MAX_RBAC_BYTES, ...(options.exclude?.length ? { exclude: options.exclude } : {}) };
}

/** Reads and normalizes every path; with readsNodeReports (`kubecis test`), node reports among
 * the inputs are taken as they are, beside the documents. */
function normalizePaths(paths: readonly string[], options: RunOptions, readsNodeReports: boolean): Normalized & { nodeReports: NodeReport[] } {
  const version = options.kubernetesVersion ? parseVersionOption(options.kubernetesVersion) : undefined;
  const collector = new InputCollector(version ? { kubernetesVersion: version } : {}, readsNodeReports);
  const errors: ReportError[] = [];
  for (const path of paths) {
    try {
      const files = readInputPaths(path, stdinOf(options), limitsOf(options));
      // In a walked directory, files that hold nothing kubecis reads (etcd.yaml, a kubeconfig)
      // are skipped; the directory is an error only when none of its files held anything.
      const walked = files.some((file) => file.path !== path);
      const before = collector.accepted;
      const reportsBefore = collector.nodeReports.length;
      const skipped: { at: number; error: ReportError }[] = [];
      for (const file of files) {
        if (!isTextFile(file)) {
          errors.push(toReportError(file.error));
          collector.reject(file.path);
          continue;
        }
        try {
          collector.add(file);
        } catch (error) {
          // A file that held nothing kubecis reads took nothing from the inventory.
          if (!(error instanceof NoTargetError)) collector.reject(file.path);
          if (walked && error instanceof NoTargetError) {
            skipped.push({ at: errors.length, error: toReportError(error) });
            continue;
          }
          errors.push(toReportError(error));
        }
      }
      // A directory that holds node reports is a fleet's: each of its other files must be
      // something kubecis reads, as if named one by one (skipped ones are errors, in place).
      if (collector.nodeReports.length > reportsBefore) for (const { at, error } of skipped.reverse()) errors.splice(at, 0, error);
      if (walked && collector.accepted === before && !errors.some((e) => files.some((f) => f.path === e.file))) {
        errors.push(toReportError(new NoTargetError(`no kube-apiserver found in any of the ${files.length} files read under this directory`, { file: path })));
      }
    } catch (error) {
      errors.push(toReportError(error));
      collector.reject(path);
    }
  }
  const documents = collector.finish();
  errors.push(...collector.errors.map(toReportError));
  return { documents, errors, nodeReports: collector.nodeReports };
}

/** `kubecis scan`: the API servers running on the node (or on the host mounted at hostRoot). */
export function normalizeNode(options: RunOptions = {}): Normalized {
  const version = options.kubernetesVersion ? parseVersionOption(options.kubernetesVersion) : undefined;
  const { documents, errors } = collectLiveNode(options.hostRoot ?? "/", version ? { kubernetesVersion: version } : {});
  return { documents, errors: errors.map(toReportError) };
}

function toReportError(error: unknown): ReportError {
  if (error instanceof InputError) {
    return {
      kind: "input",
      message: error.message,
      file: error.location.file,
      ...(error.location.line ? { line: error.location.line } : {}),
    };
  }
  throw error;
}

/** The loaded policy bundle and catalogue, reusable across runs in one process. */
export interface Kubecis {
  catalog: Catalog;
  engine: Engine;
  version: string;
  /** The data merged over the bundle's (options, parameters): what a worker's engine needs. */
  engineOverrides: Record<string, unknown>;
}

/** allFindings: the RBAC checks list every finding (rbac-max-findings lifted: limit null). */
export function loadKubecis(options: Pick<RunOptions, "profile" | "dataFile"> & { allFindings?: boolean } = {}): Kubecis {
  const catalog = readCatalog(catalogPath);
  const bundle = readBundle(wasmBundlePath);
  const read = options.dataFile ? readParamsFile(options.dataFile, defaultParams(bundle.data)) : undefined;
  const params = options.allFindings ? { ...read, "rbac-max-findings": null } : read;
  const kubecisOptions = { ...(options.profile ? { profile: options.profile } : {}), ...(params ? { params } : {}) };
  const overrides = Object.keys(kubecisOptions).length > 0 ? { kubecis: { options: kubecisOptions } } : {};
  // A large RBAC snapshot is judged on two threads (src/engine/split.ts).
  const engine = splitEngine(loadEngine(bundle, overrides), catalog.controls, { bundlePath: wasmBundlePath, overrides });
  return { catalog, engine, version: toolVersion(), engineOverrides: overrides };
}

function defaultParams(data: unknown): Record<string, unknown> {
  return (data as { kubecis?: { params?: Record<string, unknown> } }).kubecis?.params ?? {};
}

/** Blank as Rego's trim_space sees it (Go's unicode.IsSpace), so lib.params draws the same line. */
const isBlank = (s: string): boolean => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(s);
const isNames = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string" && !isBlank(x));

/** What is wrong with a parameter's value, judged by the shape of its default (a count or
 * number of days: a whole number >= 0; a switch: true or false; a list: names; the suites map:
 * lists of names), or
 * undefined when it is fine. */
export function paramProblem(key: string, value: unknown, defaultValue: unknown): string | undefined {
  const got = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "a map" : `${typeof value} ${JSON.stringify(value)}`;
  if (key === "tls-cipher-allowlist") {
    return value === "benchmark" || value === "strict" || (isNames(value) && (value as unknown[]).length > 0) ? undefined : `expected "benchmark", "strict" or a list of cipher suite names, got ${got}`;
  }
  if (key === "manifest-max-mode") {
    return typeof value === "string" && /^[0-7]{3,4}$/.test(value) ? undefined : `expected octal mode bits as a quoted string such as "600", got ${got}`;
  }
  if (typeof defaultValue === "number") {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? undefined : `expected a whole number of 0 or more, got ${got}`;
  }
  if (typeof defaultValue === "string") return typeof value === "string" && !isBlank(value) ? undefined : `expected a string, got ${got}`;
  if (Array.isArray(defaultValue)) return isNames(value) ? undefined : `expected a list of names, got ${got}`;
  if (typeof defaultValue === "boolean") return typeof value === "boolean" ? undefined : `expected true or false, got ${got}`;
  if (isMap(defaultValue)) {
    return isMap(value) && Object.values(value).every(isNames) ? undefined : `expected a map of lists of names, got ${got}`;
  }
  // A parameter whose default has a shape not judged above: refused rather than let through.
  return `kubecis cannot check a value of this parameter's shape, got ${got}`;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads a `--data` file: one YAML or JSON document `{params: {name: value}}`. The values
 * reach the policies at data.kubecis.options.params, where each key overrides its default. */
export function readParamsFile(path: string, defaults: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(Object.keys(defaults));
  const fail = (message: string, line?: number): never => {
    // The location is the error's (the CLI prints "file:line: --data: message").
    throw new InputError(`--data: ${message}`, { file: path, ...(line ? { line } : {}) });
  };
  let documents;
  try {
    documents = readYamlDocuments(readTextFile(path));
  } catch (error) {
    if (error instanceof InputError) fail(error.message, error.location.line);
    throw error;
  }
  if (!documents || documents.length !== 1) return fail("expected one YAML or JSON document of the form {params: {...}}");
  const document = documents[0]!;
  const value = document.value;
  if (!isMap(value) || !isMap(value["params"])) return fail("expected a `params` map, e.g. params: {audit-log-maxage: 90}", document.lineAt([]));
  for (const key of Object.keys(value)) {
    if (key !== "params") fail(`unknown key "${key}"; only params is read`, document.lineAt([key]));
  }
  const params = value["params"];
  for (const key of Object.keys(params)) {
    if (!known.has(key)) fail(`unknown parameter "${key}"; known: ${[...known].sort().join(", ")}`, document.lineAt(["params", key]));
    const problem = paramProblem(key, params[key], defaults[key]);
    if (problem) fail(`parameter "${key}": ${problem}`, document.lineAt(["params", key]));
  }
  return params;
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string }).version;
}

/** What a run judges: the documents to evaluate, in order, then the targets of node reports
 * given as inputs (already judged), and every input error. */
export interface PreparedInputs {
  documents: InputDocument[];
  errors: ReportError[];
  nodeTargets: Target[];
}

/** `kubecis test`'s inputs, read and normalized; node reports (`kubecis scan -o report` of
 * each node) join as their targets, labelled with their node, and their errors. */
export function prepareInputs(paths: readonly string[], options: RunOptions = {}, engine?: Pick<Engine, "reserve">): PreparedInputs {
  // The engine that will judge the documents sizes its memory before they are built (Engine.reserve).
  engine?.reserve(inputBytes(paths, options.exclude));
  const { documents, errors, nodeReports } = normalizePaths(paths, options, true);
  const nodeTargets: Target[] = [];
  for (const { node, report } of nodeReports) {
    nodeTargets.push(...report.targets.map((t) => ({ ...t, node: t.node ?? node })));
    errors.push(...report.errors.map((e) => ({ ...e, message: `node ${node}: ${e.message}` })));
  }
  return { documents, errors, nodeTargets };
}

/** The formats `kubecis normalize` prints documents in. */
export const DOCUMENT_FORMATS = ["json", "yaml"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Input documents as `kubecis normalize` prints them: one JSON document (an array when there
 * are several), or a YAML stream. */
export function renderDocuments(documents: readonly InputDocument[], format: DocumentFormat): string {
  // Input text is kept exact but made inert (src/reporters/inert.ts): a flag value holding a
  // line break or `::` must not start a runner command when normalize prints to a CI log.
  if (format === "yaml") return documents.map((d) => `---\n${inertYaml(stringifyYamlQuoting(d, needsInert))}`).join("");
  return inertJson(JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)) + "\n";
}
