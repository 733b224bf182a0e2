// What every kube-apiserver input form becomes: an ApiServerConfig document built from an
// argv (buildDocument), the options of a run, the k3s/RKE2 settings layers, and the small
// helpers the forms share.
import {
  API_VERSION,
  type ApiServerConfig,
  type Diagnostic,
  type KubernetesVersion,
  type TargetSource,
} from "../types.js";
import { parseArgv, type ArgvItem } from "./argv.js";
import type { Distribution, Setting } from "./distributions.js";
import { loadFlagTable } from "./flag-table.js";
import { versionEvidence } from "./version.js";

export interface NormalizeOptions {
  /** Overrides the version found in the input. */
  kubernetesVersion?: KubernetesVersion;
}

/** A k3s/RKE2 settings layer: a config file, a drop-in or a `k3s server` command line. */
export interface DistributionLayer {
  distribution: Distribution;
  /** config: config.yaml or a config.yaml.d drop-in; cli: the server's own argv. */
  role: "config" | "cli";
  file: string;
  settings: { key: string; values: Setting[] }[];
  source: TargetSource;
  version?: KubernetesVersion;
  /** cli: the config file <PROGRAM>_CONFIG_FILE names in the server's environment, when seen. */
  configFromEnvironment?: string;
  /** What reading the layer found (a command line cut short, a variable not expanded),
   * carried into the document built from the layers. */
  diagnostics?: Diagnostic[];
}

/** What one argv turned out to be. */
export type CommandFound =
  | { kind: "document"; document: ApiServerConfig }
  | { kind: "layer"; layer: DistributionLayer }
  | { kind: "kubelite"; argsFile: string; source: TargetSource };

export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
}

export function stringsAt(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => (typeof item === "string" ? item : String(item))) : [];
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function buildDocument(
  source: TargetSource,
  argv: ArgvItem[],
  version: KubernetesVersion,
  extraDiagnostics: Diagnostic[] = [],
): ApiServerConfig {
  const table = loadFlagTable();
  const { flags, diagnostics } = parseArgv(argv, table);
  // The flags are version evidence: a range for an unknown version, contradictions of a known one.
  const evidence = versionEvidence(version, flags, table);
  return {
    apiVersion: API_VERSION,
    kind: "ApiServerConfig",
    metadata: { source },
    kubernetesVersion: evidence.version,
    flags,
    diagnostics: [...extraDiagnostics, ...diagnostics, ...evidence.diagnostics],
  };
}
