// The core: inputs → documents → one WASM evaluation per document → Report. Bad inputs
// become report errors; every other input is still judged.
import { readFileSync } from "node:fs";
import { InputError, type KubecisError } from "./errors.js";
import { readBundle } from "./engine/bundle.js";
import { readCatalog, type Catalog } from "./engine/catalog.js";
import { loadEngine, type Engine } from "./engine/opa-wasm.js";
import { InputCollector } from "./normalizers/index.js";
import { parseVersionOption } from "./normalizers/version.js";
import { catalogPath, packageJsonPath, wasmBundlePath } from "./paths.js";
import { readInputPaths, readTextFile } from "./readers/files.js";
import { readYamlDocuments } from "./readers/yaml.js";
import { buildReport, buildTarget } from "./report.js";
import type { InputDocument, Report, ReportError } from "./types.js";

export interface RunOptions {
  /** "1.33" or "v1.33.2": overrides the version found in the inputs. */
  kubernetesVersion?: string;
  /** A benchmark profile name (cis-1.12, seed-2020, …) instead of the version's default. */
  profile?: string;
  /** Reads standard input for the path "-". */
  stdin?: () => Buffer;
}

export interface Normalized {
  documents: InputDocument[];
  errors: ReportError[];
}

/** Reads and normalizes every input; an input that fails is recorded and the rest go on. */
export function normalizeInputs(paths: readonly string[], options: RunOptions = {}): Normalized {
  const version = options.kubernetesVersion ? parseVersionOption(options.kubernetesVersion) : undefined;
  const stdin = options.stdin ?? (() => readFileSync(0));
  const collector = new InputCollector(version ? { kubernetesVersion: version } : {});
  const errors: ReportError[] = [];
  for (const path of paths) {
    try {
      for (const file of readInputPaths(path, stdin)) {
        try {
          collector.add(file);
        } catch (error) {
          errors.push(toReportError(error));
        }
      }
    } catch (error) {
      errors.push(toReportError(error));
    }
  }
  return { documents: collector.finish(), errors };
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
}

export interface LoadOptions {
  profile?: string;
  /** Merged into data.kubecis.options (the `--data FILE` option: parameter overrides under `params`). */
  options?: Record<string, unknown>;
}

export function loadKubecis(options: LoadOptions = {}): Kubecis {
  const catalog = readCatalog(catalogPath);
  const kubecisOptions = { ...(options.options ?? {}), ...(options.profile ? { profile: options.profile } : {}) };
  const overrides = Object.keys(kubecisOptions).length > 0 ? { kubecis: { options: kubecisOptions } } : {};
  const engine = loadEngine(readBundle(wasmBundlePath), overrides);
  return { catalog, engine, version: toolVersion() };
}

/** Reads a `--data` file (YAML or JSON): a mapping merged into data.kubecis.options, e.g.
 * `params: {audit-log-maxage: 60}`. */
export function readOptionsFile(path: string): Record<string, unknown> {
  const value = readYamlDocuments(readTextFile(path))[0]?.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError("a --data file must hold a mapping (for example `params:` with parameter overrides)", { file: path });
  }
  return value as Record<string, unknown>;
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string }).version;
}

/** `kubecis test`: judge every input and build the report. */
export function testInputs(paths: readonly string[], options: RunOptions = {}, loaded?: Kubecis): Report {
  const kubecis = loaded ?? loadKubecis(options);
  const { documents, errors } = normalizeInputs(paths, options);
  const targets = documents.map((document) =>
    buildTarget(document, kubecis.engine.evaluate(document), kubecis.catalog),
  );
  return buildReport(targets, errors, kubecis.version, kubecis.catalog);
}

export type { KubecisError };
