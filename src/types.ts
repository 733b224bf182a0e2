// The documents that flow through kubecis: input documents (what the policies judge, see
// schemas/), the engine's raw verdicts, and the Report that every reporter renders.

export const API_VERSION = "kubecis.dev/v1alpha1";

/** Where a value came from: a file and line, an argv position, or a default. */
export interface Origin {
  file: string;
  /** 1-based line in the file, where the reader knows it. */
  line?: number;
  /** 0-based position in the process's argv (argv[0] is the executable). */
  argIndex?: number;
  /** Set when the value is not written in `file` but supplied by a distribution:
   * "kubeadm v1beta4 generated flag", "k3s built-in default", "RKE2 built-in default (profile: cis)". */
  source?: string;
}

export type FlagValue = boolean | number | string | string[] | Record<string, boolean | string>;

/** One flag as kube-apiserver sees it after parsing every occurrence. */
export interface EffectiveFlag {
  /** Typed value: boolean, number, string, string[] (slices) or object (maps). */
  value?: FlagValue;
  /** The text as written (last occurrence), present when parsing failed. */
  raw?: string;
  /** Why the value could not be parsed; kube-apiserver would refuse to start. */
  error?: string;
  /** The occurrence that decided the value (the last one). */
  origin: Origin;
  /** How many times the flag was given. */
  occurrences: number;
  /** The flag is not in kubecis's table for kube-apiserver. */
  unknown?: boolean;
  /** The alias (flag table `alias`) the deciding occurrence was written as; absent when it was
   * written under this, the canonical, name. */
  writtenAs?: string;
  /** Present when the flag was written under an alias: every name it was written under (this
   * one included, when used), each with the place of its last occurrence. */
  spellings?: Record<string, Origin>;
}

export interface Diagnostic {
  code:
    | "unknown-flag"
    | "unexpected-argument"
    | "missing-value"
    | "invalid-value"
    | "duplicate-flag"
    /** kube-apiserver may get flags kubecis could not see (a variable standing for whole
     * arguments, an environment or k3s/RKE2 config file not given, a line cut short): every
     * control that reads a flag is `error` (lib.verdict). The message names the reason. With
     * `flag` (a flag RKE2 adds after logging its journal line), only the controls reading it. */
    | "incomplete-flags"
    | "unresolved-variable"
    | "ignored-setting"
    | "version-contradiction"
    | "blank-in-value"
    | "conflicting-flags"
    /** A distribution default only some releases add (`flag`), where the version does not
     * say which release runs: the controls reading the flag are `warn` (lib.verdict). */
    | "release-dependent";
  message: string;
  flag?: string;
  origin: Origin;
}

export interface KubernetesVersion {
  /** "1.33.0", or null when no source said. */
  version: string | null;
  major?: number;
  minor?: number;
  /** Where it came from: "image tag registry.k8s.io/kube-apiserver:v1.33.0", "--kubernetes-version", "unknown",
   * with the range and its reasons when the flags bound an unknown version. */
  source: string;
  /** Unknown version only: the minors the set flags allow (from <= minor < below), with why. */
  range?: VersionRange;
}

export interface VersionRange {
  /** Lowest possible minor: a flag added in 1.<from> is set. */
  from?: number;
  /** First impossible minor: a flag removed in 1.<below> is set. */
  below?: number;
  reasons: string[];
}

export interface TargetSource {
  path: string;
  /** Input form: pod-manifest, ps, cmdline, journal, kubeadm, k3s-config, rke2-config,
   * systemd-unit, microk8s-args, live-process, rbac. */
  format: string;
  /** Every input file a run-wide document (RbacSnapshot) was built from. */
  files?: string[];
  /** Index of the YAML document within the file, for multi-document inputs. */
  document?: number;
  /** The workload whose Pod template runs kube-apiserver: "Deployment tenant-a/kube-apiserver". */
  workload?: string;
  container?: string;
  line?: number;
}

/** Input document for the API-server checks (schemas/apiserverconfig.schema.json). */
export interface ApiServerConfig {
  apiVersion: typeof API_VERSION;
  kind: "ApiServerConfig";
  metadata: { source: TargetSource; /** The node it was collected on (kubecis scan, fleet runs). */ node?: string };
  kubernetesVersion: KubernetesVersion;
  /** Flag name without dashes → effective flag. Absent flags are absent. */
  flags: Record<string, EffectiveFlag>;
  diagnostics: Diagnostic[];
  /** Files the flags reference, keyed by flag (see REFERENCED_FILE_FLAGS); absent when the
   * file was not given to kubecis. */
  files?: Record<string, ReferencedFile>;
  /** The static pod manifest's mode and owner, when kubecis read them (kubecis scan). */
  manifest?: ManifestMetadata;
}

export type ReferencedFileStatus = "read" | "missing" | "unreadable" | "invalid";

/** A configuration file a flag points at, parsed and with key material redacted. */
export interface ReferencedFile {
  /** The path as the flag gives it. */
  path: string;
  status: ReferencedFileStatus;
  /** Why the file could not be used, when status is not "read". */
  error?: string;
  /** Where kubecis read it from: the input given in the run, or the path under the host root. */
  readFrom?: string;
  /** Parsed YAML/JSON; every key, token, password or secret value is "REDACTED". */
  content?: unknown;
}

export interface ManifestMetadata {
  path: string;
  /** Octal permission bits, e.g. "0600". */
  mode: string;
  uid: number;
  gid: number;
  owner?: string;
  group?: string;
}

// The RbacSnapshot input document and its parts are declared once, in
// schemas/rbacsnapshot.schema.json; src/rbac-snapshot.ts is generated from it (make build).
import type { RbacSnapshot } from "./rbac-snapshot.js";
export type * from "./rbac-snapshot.js";

/**
 * The RbacSnapshot fields the normalizer computes last, on first read (the redundancy join of
 * src/normalizers/rbac-redundancy.ts). Only controls that declare them in METADATA custom.reads
 * read them (test/split.test.ts), so a large snapshot is judged on two threads: the other
 * controls on the snapshot without these fields, while this thread computes them and judges
 * the declaring controls (src/engine/split.ts).
 */
export const RBAC_DEFERRED_FIELDS = ["grantPairs", "roleCovers"] as const;

/**
 * Whether an RbacSnapshot binding key grants in every namespace: "ClusterRoleBinding:<name>",
 * not "RoleBinding:<namespace>/<name>". Findings write a cluster-wide grant's scope as
 * "cluster", and a namespace may be named "cluster" too: never tell scope from that value
 * (test/namespace-named-cluster.test.ts). The policies' twin is lib.rbac.cluster_wide.
 */
export function isClusterWideBinding(key: string): boolean {
  return key.startsWith("ClusterRoleBinding:");
}

/**
 * The input fields every control may read without declaring them (main.report's and the
 * libraries'): a document judged for some controls only (src/engine/split.ts) keeps them.
 */
export const HEADER_FIELDS = ["apiVersion", "kind", "metadata", "kubernetesVersion", "inventory"] as const;

export type InputDocument = ApiServerConfig | RbacSnapshot;

export type Status = "pass" | "fail" | "warn" | "not-applicable" | "error";
export const STATUSES: readonly Status[] = ["fail", "error", "warn", "pass", "not-applicable"];

/** What one check returns from the policy bundle. */
export interface Verdict {
  id: string;
  status: Status;
  reason: string;
  evidence: Record<string, unknown>;
  /** The active profile, when it lacks this control: the status is real, but does not gate (DESIGN decision 8). */
  outside?: string;
}

/** What the aggregate entrypoint kubecis/main/report returns for one input document. */
export interface EngineReport {
  kind: string;
  /** The catalogue component whose checks judged this kind (null for a kind no check judges). */
  component: string | null;
  profile: { name: string; reason: string };
  kubernetesVersion: KubernetesVersion;
  results: Verdict[];
}

export type Frameworks = Record<string, string[]>;

/** One control of the catalogue (build/out/catalog.json, `kubecis list -o json`). */
export interface Control {
  id: string;
  title: string;
  description: string;
  severity: string;
  component: string;
  package: string;
  frameworks: Frameworks;
  remediation: string;
  /** kube-apiserver flags the control reads. */
  flags?: string[];
  /** Parameters (data.kubecis.params keys) the control judges against. */
  parameters?: string[];
  /**
   * The input fields the control reads besides HEADER_FIELDS, when it declares them (METADATA
   * custom.reads): it is then judged alike on a document that holds only those
   * (src/engine/split.ts).
   */
  reads?: string[];
  source?: string;
}

export interface Result {
  id: string;
  status: Status;
  title: string;
  severity: string;
  frameworks: Frameworks;
  evidence: Record<string, unknown>;
  reason?: string;
  remediation?: string;
  /**
   * The active profile, when it lacks this control (profiles gate; they never hide): the result
   * keeps its real status, is shown apart, is not counted in `summary`, never sets the exit
   * code and is no failure or warning in the conftest formats.
   */
  outside?: string;
  /** Set when a waiver (--skip, an exceptions file) covers this result: the status is kept,
   * the result is counted in `waived` and does not fail the run (src/waivers.ts). */
  waived?: WaiverRef;
  /** Set when a waiver matched but had expired: the finding is back, and this says why. */
  waiverExpired?: WaiverRef;
}

/** The waiver that applied to a result. */
export interface WaiverRef {
  reason: string;
  /** YYYY-MM-DD, the last day the waiver applies. */
  expires?: string;
  /** "--skip" or "FILE#N" (the N-th entry of an exceptions file). */
  source: string;
}

export interface Target {
  source: TargetSource;
  kind: string;
  kubernetesVersion: KubernetesVersion;
  profile: { name: string; reason: string };
  diagnostics: Diagnostic[];
  results: Result[];
  summary: Record<Status, number>;
  /** The node the configuration was collected on (fleet runs), when known. */
  node?: string;
  /** How many results a waiver covers (also counted under their status in `summary`). */
  waived?: number;
}

export interface ReportError {
  kind: "input" | "policy";
  message: string;
  file?: string;
  line?: number;
}

export interface Report {
  apiVersion: typeof API_VERSION;
  kind: "Report";
  tool: { name: "kubecis"; version: string; bundleRevision: string };
  targets: Target[];
  errors: ReportError[];
  summary: Record<Status, number>;
  /** How many results a waiver covers (also counted under their status in `summary`). */
  waived?: number;
  /** Per node, for runs over several nodes' inputs (fleet). */
  nodes?: NodeSummary[];
}

export interface NodeSummary {
  node: string;
  targets: number;
  summary: Record<Status, number>;
  waived: number;
}
