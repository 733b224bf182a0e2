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
}

export interface Diagnostic {
  code:
    | "unknown-flag"
    | "unexpected-argument"
    | "missing-value"
    | "invalid-value"
    | "duplicate-flag"
    | "truncated-input"
    | "unresolved-variable"
    | "ignored-setting"
    | "version-contradiction";
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

/** Where a role, binding or grant comes from: Kubernetes' defaults, a platform vendor, or users. */
export type Provenance = "bootstrap" | "vendor" | "user";

/** One PolicyRule with every list present (absent lists are empty). */
export interface RbacRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A label selector of an aggregationRule, as written. */
export interface RbacSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface RbacRole {
  provenance: Provenance;
  /**
   * The effective rules, as indexes into the snapshot's `rules` (distinct rules): for
   * aggregated ClusterRoles, the union the aggregation controller computes. Kind, name and
   * namespace are in the role key ("ClusterRole:edit", "Role:team-a/deployer").
   */
  rules: number[];
  /** Present on aggregated ClusterRoles: the selectors and the role keys they select (sorted). */
  aggregation?: { selectors: RbacSelector[]; selects: string[]; declaredRules: number };
  /** Keys of the aggregated ClusterRoles that select this ClusterRole (sorted). */
  aggregatedInto?: string[];
  /** The ClusterRole's aggregate-to-* labels, as written. */
  aggregationLabels?: Record<string, string>;
}

/** A binding, listed under the role it references (RbacSnapshot.bindingsByRole). */
export interface RbacBinding {
  /** Its key, which carries kind, name, namespace and scope: "ClusterRoleBinding:x", "RoleBinding:ns/x". */
  name: string;
  provenance: Provenance;
  /** Subject keys in the order written (duplicates kept): "User:x", "Group:x", "ServiceAccount:ns/x". */
  subjects: string[];
}

/** A binding as an index of subjects names it: its key, the role key its roleRef names, its provenance. */
export interface RbacBindingRef {
  name: string;
  /** Role key the roleRef names: "ClusterRole:edit", "Role:team-a/deployer" (it may be missing from `roles`). */
  role: string;
  provenance: Provenance;
}

/** Input document for the RBAC checks (schemas/rbacsnapshot.schema.json): every RBAC object of one run. */
export interface RbacSnapshot {
  apiVersion: typeof API_VERSION;
  kind: "RbacSnapshot";
  metadata: { source: TargetSource };
  kubernetesVersion: KubernetesVersion;
  diagnostics: Diagnostic[];
  /** How many objects of each kind the input held; a kind with 0 was not collected. */
  collected: Record<"ClusterRole" | "ClusterRoleBinding" | "Role" | "RoleBinding" | "ServiceAccount" | "Pod", number>;
  /** The distinct effective rules of every role; roles name theirs by index. */
  rules: RbacRule[];
  /** Keyed by role key. */
  roles: Record<string, RbacRole>;
  /** Keyed "<namespace>/<name>"; automountServiceAccountToken only when the object sets it. */
  serviceAccounts: Record<string, { automountServiceAccountToken?: boolean }>;
  /** Pods (not mirror Pods), keyed "<namespace>/<name>": collected beside RBAC objects, for the token-mount check. */
  pods: Record<string, RbacPod>;
  /**
   * Every binding, under the key of the role it references (missing roles included), in
   * binding order. There is no map of bindings by name: at 100k bindings its keys cost more to
   * build, serialize and parse than the lookups it saved.
   */
  bindingsByRole: Record<string, RbacBinding[]>;
  /** Index: resource as written in a rule ("secrets", "pods/exec", "*", "*\/scale") → indexes of the rules that name it. */
  rulesByResource: Record<string, number[]>;
  /** Index, aligned with `rules`: the keys of the roles whose effective rules include each rule (sorted). */
  rolesByRule: string[][];
  /** Keys of the ClusterRoles that have an aggregationRule (sorted). */
  aggregatedRoles: string[];
  /**
   * Keys of missing ClusterRoles that bindings reference while the input holds no bootstrap
   * roles at all, and that the API server creates itself (cluster-admin, view, …): assumed to exist.
   */
  assumedRoles: string[];
  /** Keys of the roles that bindings reference and the input lacks (sorted; assumedRoles included). */
  missingRoles: string[];
  /** Keys of the roles in `roles` that no binding references (sorted). */
  unboundRoles: string[];
  /**
   * Index, when ServiceAccounts were collected: ServiceAccount subject key → the bindings
   * naming it (binding order, each once), for subjects that are not among the collected ServiceAccounts.
   */
  missingServiceAccounts: Record<string, RbacBindingRef[]>;
  /**
   * Index for the subjects that checks look up by name (SPECIAL_SUBJECTS in the normalizer):
   * Group:system:masters and every ServiceAccount named default → the bindings naming it, in
   * binding order, each once. Other subjects are absent.
   */
  bindingsBySpecialSubject: Record<string, RbacBindingRef[]>;
  /** How many subjects hold two or more grants (evidence of the duplicate-permission check). */
  subjectsWithSeveralGrants: number;
  /** The input files of the run that were rejected: while any is, the inventory is incomplete
   * and the controls that judge the whole inventory are `error` (lib.verdict). */
  inventory?: { complete: boolean; rejected: string[] };
  /**
   * Index: subject key → the pairs of its grants that can be redundant: the same role twice,
   * or a grant whose role the other grant's role Covers.
   */
  grantPairs: Record<string, RbacGrantPairs>;
  /** Facts: servant role key → owner role key → where the owner's rules Cover the servant's (only true facts). */
  roleCovers: Record<string, Record<string, { cluster?: true; namespace?: true }>>;
}

/**
 * The RbacSnapshot fields the normalizer computes last, on first read (the redundancy join of
 * src/normalizers/rbac-redundancy.ts). Only controls that declare them in METADATA custom.reads
 * read them (test/split.test.ts), so a large snapshot is judged on two threads: the other
 * controls on the snapshot without these fields, while this thread computes them and judges
 * the declaring controls (src/engine/split.ts).
 */
export const RBAC_DEFERRED_FIELDS = ["grantPairs", "roleCovers"] as const;

/**
 * The input fields every control may read without declaring them (main.report's and the
 * libraries'): a document judged for some controls only (src/engine/split.ts) keeps them.
 */
export const HEADER_FIELDS = ["apiVersion", "kind", "metadata", "kubernetesVersion", "inventory"] as const;

/** A Pod's ServiceAccount ("default" when the spec names none) and its automountServiceAccountToken when set. */
export interface RbacPod {
  serviceAccount: string;
  automountServiceAccountToken?: boolean;
  /** For a Pod that lists its containers: whether one has a volume mounted at the ServiceAccount token path. */
  tokenMounted?: boolean;
}

/** A subject's grant: through a binding (its key, role key and provenance), in scope ("cluster" or the namespace). */
export interface RbacGrant {
  binding: string;
  role: string;
  scope: string;
  /** The binding's provenance (so the policy needs no lookup per pair). */
  provenance: Provenance;
}

/**
 * A subject's grant pairs: the grants that are in some pair, each once, in binding order (a
 * binding naming the subject twice gives two grants), and each pair [grant, other] as
 * positions in `grants`. The grant is through a user binding to an existing role; the other
 * is in the same scope or cluster-wide. Two grants in one scope keep their binding order, so
 * the positions order twins.
 */
export interface RbacGrantPairs {
  grants: RbacGrant[];
  pairs: [number, number][];
}

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
