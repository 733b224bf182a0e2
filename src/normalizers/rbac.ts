// Normalizer for RBAC objects: every Role, ClusterRole, RoleBinding, ClusterRoleBinding and
// ServiceAccount of one run becomes ONE RbacSnapshot document. The host does the joins the
// WASM target cannot do fast (it has no rule or comprehension indexing): aggregation is
// resolved as the clusterrole-aggregation controller does, subjects are defaulted and
// expanded, provenance is recognised, and keyed indexes are built, so the policies only do
// keyed lookups and single passes. Judging stays in Rego.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import type { YamlDocument } from "../readers/yaml.js";
import {
  API_VERSION,
  RBAC_DEFERRED_FIELDS,
  type KubernetesVersion,
  type Provenance,
  type RbacBinding,
  type RbacBindingRef,
  type RbacPod,
  type RbacRole,
  type RbacRule,
  type RbacSelector,
  type RbacSnapshot,
} from "../types.js";
import { redundancyIndex, type GrantSource } from "./rbac-redundancy.js";
import { UNKNOWN_VERSION } from "./version.js";

export const RBAC_KINDS = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount", "Pod"] as const;
export type RbacKind = (typeof RBAC_KINDS)[number];

const RBAC_GROUP = "rbac.authorization.k8s.io/";

/** One RBAC object as found in an input file. */
export interface RbacObject {
  kind: RbacKind;
  value: Record<string, unknown>;
  file: string;
}

/** The label Kubernetes puts on every object of its default RBAC policy. */
const BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
const BOOTSTRAP_VALUE = "rbac-defaults";

/**
 * Markers of RBAC objects that a managed platform installs and owns (krane's list, PR #528):
 * labels whose presence marks the object, and name prefixes that are vendor namespaces.
 * Deliberately not "system:": that prefix is open to anyone and hides real grants.
 */
export const VENDOR_LABELS = ["eks.amazonaws.com/component", "addonmanager.kubernetes.io/mode", "kubernetes.azure.com/managedby"];
export const VENDOR_NAME_PREFIXES = [
  "eks:",
  "aws-node",
  "gce:",
  "system:gcp-",
  "system:gke-",
  "aks-",
  "system:azure-",
  "openshift-",
  "system:openshift:",
];

/**
 * ClusterRoles the API server creates at start-up (bootstrap policy). Used only when the
 * input holds no bootstrap roles at all (a directory of application manifests): a binding
 * to one of these names is then assumed to reference an existing role, not a missing one.
 */
const BOOTSTRAP_CLUSTER_ROLES = new Set([
  "admin", "cluster-admin", "edit", "view",
  "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view",
  "system:auth-delegator", "system:basic-user", "system:discovery", "system:public-info-viewer",
  "system:heapster", "system:kube-aggregator", "system:kube-controller-manager", "system:kube-dns",
  "system:kube-scheduler", "system:kubelet-api-admin", "system:monitoring", "system:node",
  "system:node-bootstrapper", "system:node-problem-detector", "system:node-proxier",
  "system:persistent-volume-provisioner", "system:service-account-issuer-discovery",
  "system:volume-scheduler",
  "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
  "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
  "system:certificates.k8s.io:kube-apiserver-client-approver",
  "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
  "system:certificates.k8s.io:kubelet-serving-approver",
  "system:certificates.k8s.io:legacy-unknown-approver",
]);

/** The RBAC objects in already-read YAML documents: single objects, or items of any *List. */
export function rbacObjectsIn(file: TextFile, documents: readonly YamlDocument[]): RbacObject[] {
  const found: RbacObject[] = [];
  for (const doc of documents) {
    const value = doc.value as Record<string, unknown> | null;
    if (!isObject(value)) continue;
    if (typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"])) {
      (value["items"] as unknown[]).forEach((item, i) => {
        const object = asRbacObject(item, file, (path = []) => doc.lineAt(["items", i, ...path]));
        if (object) found.push(object);
      });
    } else {
      const object = asRbacObject(value, file, (path = []) => doc.lineAt(path));
      if (object) found.push(object);
    }
  }
  return found;
}

/**
 * Pods are read as the cluster holds them: exported ones, which carry the metadata.uid and
 * metadata.namespace the API server gives them, and never mirror Pods. A Pod manifest on
 * disk (the kube-apiserver static Pod, a List of them) is not a Pod of the cluster and is
 * left to the other readers.
 */
function asRbacObject(value: unknown, file: TextFile, lineOf: LineOf): RbacObject | undefined {
  if (!isObject(value)) return undefined;
  const kind = value["kind"];
  const apiVersion = typeof value["apiVersion"] === "string" ? value["apiVersion"] : "";
  if (kind === "ServiceAccount" || kind === "Pod") {
    if (apiVersion !== "v1") return undefined;
    if (kind === "Pod") {
      const meta = isObject(value["metadata"]) ? value["metadata"] : {};
      if (typeof meta["uid"] !== "string" || typeof meta["namespace"] !== "string" || meta["namespace"] === "") return undefined;
      // A mirror Pod (the API's copy of a static Pod) never gets a ServiceAccount token.
      if (isObject(meta["annotations"]) && MIRROR_ANNOTATION in meta["annotations"]) return undefined;
    }
  } else if (!(RBAC_KINDS as readonly unknown[]).includes(kind) || !apiVersion.startsWith(RBAC_GROUP)) {
    return undefined;
  }
  const object: RbacObject = { kind: kind as RbacKind, value, file: file.path };
  validate(object, lineOf);
  return object;
}

/** The line of an object, or of a field inside it (a path from the object), looked up only on error. */
type LineOf = (path?: readonly (string | number)[]) => number | undefined;

/**
 * Refuses objects the API server would refuse (pkg/apis/rbac/validation), naming file and line
 * of the offending field: a malformed rule or subject is never read as granting less (or
 * nothing), so the cluster is never judged clean on it.
 */
function validate(object: RbacObject, lineOf: LineOf): void {
  const fail = (message: string, path: readonly (string | number)[] = []): never => {
    // The field's line, else its nearest enclosing one that the document has (a missing field).
    let line: number | undefined;
    for (let depth = path.length; depth >= 0 && line === undefined; depth--) line = lineOf(path.slice(0, depth));
    const named = isObject(object.value["metadata"]) && typeof object.value["metadata"]["name"] === "string" ? ` ${object.value["metadata"]["name"]}` : "";
    throw new InputError(`invalid object: ${object.kind}${named}: ${message}`, { file: object.file, ...(line ? { line } : {}) });
  };
  const metadata = object.value["metadata"];
  if (!isObject(metadata) || typeof metadata["name"] !== "string" || metadata["name"] === "") fail("metadata.name is missing");
  const meta = metadata as Record<string, unknown>;
  const namespaced = object.kind === "Role" || object.kind === "RoleBinding" || object.kind === "ServiceAccount" || object.kind === "Pod";
  if (namespaced && (typeof meta["namespace"] !== "string" || meta["namespace"] === "")) {
    fail(`metadata.namespace is missing (export with \`kubectl get -A -o yaml\`)`);
  }
  if (object.kind === "RoleBinding" || object.kind === "ClusterRoleBinding") {
    const ref = object.value["roleRef"];
    if (!isObject(ref) || typeof ref["name"] !== "string" || (ref["kind"] !== "Role" && ref["kind"] !== "ClusterRole")) {
      fail(`roleRef must name a Role or ClusterRole`, ["roleRef"]);
    }
    if (object.kind === "ClusterRoleBinding" && (ref as Record<string, unknown>)["kind"] === "Role") {
      fail(`a ClusterRoleBinding cannot reference a Role`, ["roleRef"]);
    }
    const subjects = object.value["subjects"];
    if (subjects !== undefined && subjects !== null && !Array.isArray(subjects)) fail(`subjects must be a list`, ["subjects"]);
    (Array.isArray(subjects) ? subjects : []).forEach((subject: unknown, i) => {
      const problem = subjectProblem(subject, object.kind === "ClusterRoleBinding");
      if (problem) fail(`subjects[${i}] ${problem}`, ["subjects", i]);
    });
  }
  if (object.kind === "Pod") {
    const spec = object.value["spec"];
    if (spec !== undefined && spec !== null && !isObject(spec)) fail(`spec must be a map`);
  }
  if (object.kind === "Role" || object.kind === "ClusterRole") {
    const rules = object.value["rules"];
    if (rules !== undefined && rules !== null && !Array.isArray(rules)) fail(`rules must be a list`, ["rules"]);
    (Array.isArray(rules) ? rules : []).forEach((rule: unknown, i) => {
      const problem = ruleProblem(rule, object.kind === "Role");
      if (problem) fail(`rules[${i}]${problem.field ? `.${problem.field}` : ""} ${problem.message}`, ["rules", i, ...(problem.field ? [problem.field] : [])]);
    });
  }
}

/** What the API server refuses in a PolicyRule (ValidatePolicyRule), or undefined. */
function ruleProblem(rule: unknown, namespaced: boolean): { field?: string; message: string } | undefined {
  if (!isObject(rule)) return { message: "must be a map" };
  for (const field of RULE_FIELDS) {
    const list = rule[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return { field, message: "must be a list of strings" };
    if (list.some((value) => typeof value !== "string")) return { field, message: "must hold strings only" };
  }
  const size = (field: (typeof RULE_FIELDS)[number]): number => ((rule[field] as unknown[] | null | undefined) ?? []).length;
  if (size("verbs") === 0) return { field: "verbs", message: "must contain at least one value" };
  if (size("nonResourceURLs") > 0) {
    if (namespaced) return { field: "nonResourceURLs", message: "is not allowed in a Role" };
    if (size("apiGroups") + size("resources") + size("resourceNames") > 0) return { message: "cannot apply to both resources and nonResourceURLs" };
    return undefined;
  }
  if (size("apiGroups") === 0) return { field: "apiGroups", message: "must contain at least one value (\"\" for the core group)" };
  if (size("resources") === 0) return { field: "resources", message: "must contain at least one value" };
  return undefined;
}

/** What the API server refuses in a binding's subject (ValidateRoleBindingSubject), or undefined. */
function subjectProblem(subject: unknown, clusterWide: boolean): string | undefined {
  if (!isObject(subject)) return "must be a map";
  const kind = subject["kind"];
  if (kind !== "ServiceAccount" && kind !== "User" && kind !== "Group") return "kind must be ServiceAccount, User or Group";
  if (typeof subject["name"] !== "string" || subject["name"] === "") return "name is missing";
  const namespace = subject["namespace"];
  if (namespace !== undefined && namespace !== null && typeof namespace !== "string") return "namespace must be a string";
  if (kind === "ServiceAccount" && clusterWide && (typeof namespace !== "string" || namespace === "")) return "a ServiceAccount needs a namespace in a ClusterRoleBinding";
  return undefined;
}

export interface SnapshotOptions {
  kubernetesVersion?: KubernetesVersion;
  /** The run's input files that were rejected (the inventory is then incomplete). */
  rejected?: readonly string[];
}

/** A role while the snapshot is built: its effective rules are indexes into the rule table. */
interface RoleEntry {
  provenance: Provenance;
  rules: number[];
  /** ClusterRoles only: every label (for aggregation selectors) and the aggregationRule's selectors. */
  labels?: Record<string, string>;
  selectors?: RbacSelector[];
  aggregationLabels?: Record<string, string>;
  aggregation?: { selectors: RbacSelector[]; selects: string[]; declaredRules: number };
  aggregatedInto?: string[];
}

/**
 * Distinct rules, each with an index: roles name their rules by index, so a rule written in
 * many roles is stored (and judged) once. Identity is exact equality of the five lists.
 */
class RuleTable {
  readonly rules: RbacRule[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * Rules already met, as a trie over their five lists' strings in RULE_FIELDS order (each
   * list closed by `end`), so that most rules are found by walking the strings they hold,
   * several times faster than a JSON.stringify of each and a lookup of that text.
   */
  private readonly known: RuleNode = newRuleNode();

  /** The de-duplicated indexes of raw PolicyRules, first occurrence first (as the aggregation controller de-duplicates). */
  internAll(raw: readonly unknown[]): number[] {
    return uniqueInOrder(raw.map((item) => this.intern(item)));
  }

  private intern(raw: unknown): number {
    if (!isObject(raw)) return this.identify(raw);
    let node = this.known;
    for (const field of RULE_FIELDS) {
      const list = raw[field];
      if (Array.isArray(list)) {
        for (const value of list) {
          // Anything but a string (String() writes it) is identified by the normalized rule, so
          // that the trie holds strings only and does not grow with each object or number met.
          if (typeof value !== "string") return this.identify(raw);
          const next = (node.next ??= new Map<string, RuleNode>());
          node = next.get(value) ?? setNode(next, value);
        }
      }
      node = node.end ??= newRuleNode();
    }
    return (node.id ??= this.identify(raw));
  }

  /** The index of a rule by the identity of its normalized form (a new index the first time). */
  private identify(raw: unknown): number {
    const rule = normalizeRule(raw);
    const identity = ruleId(rule);
    let id = this.ids.get(identity);
    if (id === undefined) {
      id = this.rules.length;
      this.rules.push(rule);
      this.ids.set(identity, id);
    }
    return id;
  }
}

/** The fields of a PolicyRule that make its identity, in the order the trie walks them. */
const RULE_FIELDS = ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const;

/** A node of RuleTable's trie: the strings that follow, the end of the current list, and the rule's index at the end of the last. */
interface RuleNode {
  next: Map<string, RuleNode> | undefined;
  end: RuleNode | undefined;
  id: number | undefined;
}

function newRuleNode(): RuleNode {
  return { next: undefined, end: undefined, id: undefined };
}

function setNode(map: Map<string, RuleNode>, value: string): RuleNode {
  const node = newRuleNode();
  map.set(value, node);
  return node;
}

/** A binding while the snapshot is built; it is also one grant of each subject it names. */
interface BindingEntry extends GrantSource {
  /** The output binding (its subjects are filled in the pass over the bindings). */
  out: RbacBinding;
  refKind: string;
  refName: string;
  rawSubjects: unknown[];
  namespace: string | undefined;
}

/** A role key that bindings reference, numbered in order of first reference (GrantSource.roleId). */
interface ReferencedRole {
  id: number;
  key: string;
  /** The role, undefined when the input lacks it. */
  role: RoleEntry | undefined;
  bindings: RbacBinding[];
  /** Missing, but a bootstrap ClusterRole the API server creates, while the input holds none (assumedRoles). */
  assumed: boolean;
}

/** A subject while the snapshot is built: its key, its grants in binding order, and whether it is a ServiceAccount the collected ones lack. */
interface SubjectEntry {
  key: string;
  grants: BindingEntry[];
  missing: boolean;
}

/** Builds the one RbacSnapshot of a run from every RBAC object found in its inputs. */
export function buildRbacSnapshot(objects: readonly RbacObject[], files: readonly string[], options: SnapshotOptions = {}): RbacSnapshot {
  const collected = { ClusterRole: 0, ClusterRoleBinding: 0, Role: 0, RoleBinding: 0, ServiceAccount: 0, Pod: 0 };
  const table = new RuleTable();
  // A later object with the same key replaces the earlier (as kubectl apply would).
  const roles = new Map<string, RoleEntry>();
  // Bindings in the order read; a replaced one stays in the list, marked in `replaced`.
  const latest = new Map<string, RbacBinding>();
  const bindingList: BindingEntry[] = [];
  const replaced = new Set<RbacBinding>();
  const serviceAccounts: Record<string, { automountServiceAccountToken?: boolean }> = {};
  const pods = new Map<string, RbacPod>();

  for (const object of objects) {
    collected[object.kind]++;
    const meta = object.value["metadata"] as Record<string, unknown>;
    const name = meta["name"] as string;
    const namespace = typeof meta["namespace"] === "string" ? meta["namespace"] : undefined;
    const labels = isObject(meta["labels"]) ? (meta["labels"] as Record<string, unknown>) : EMPTY;
    switch (object.kind) {
      case "Role":
        roles.set(`Role:${namespace}/${name}`, {
          provenance: provenanceOf(name, labels),
          rules: table.internAll((object.value["rules"] as unknown[] | null) ?? []),
        });
        break;
      case "ClusterRole": {
        const role: RoleEntry = {
          provenance: provenanceOf(name, labels),
          rules: table.internAll((object.value["rules"] as unknown[] | null) ?? []),
          labels: {},
        };
        for (const label in labels) {
          const value = String(labels[label]);
          (role.labels as Record<string, string>)[label] = value;
          if (label.startsWith("rbac.authorization.k8s.io/aggregate-to-")) (role.aggregationLabels ??= {})[label] = value;
        }
        const rule = object.value["aggregationRule"];
        if (isObject(rule)) role.selectors = normalizeSelectors(rule["clusterRoleSelectors"]);
        roles.set(`ClusterRole:${name}`, role);
        break;
      }
      case "RoleBinding":
      case "ClusterRoleBinding": {
        const ref = object.value["roleRef"] as Record<string, string>;
        const namespaced = object.kind === "RoleBinding";
        const key = namespaced ? `RoleBinding:${namespace}/${name}` : `ClusterRoleBinding:${name}`;
        const provenance = provenanceOf(name, labels);
        const out: RbacBinding = { name: key, provenance, subjects: [] };
        const previous = latest.get(key);
        // The earlier binding of that key is dropped; the new one keeps its own, later place in binding order.
        if (previous !== undefined) replaced.add(previous);
        latest.set(key, out);
        bindingList.push({
          key,
          role: "",
          roleId: -1,
          scope: namespaced ? (namespace as string) : "cluster",
          provenance,
          out,
          refKind: ref["kind"] as string,
          refName: ref["name"] as string,
          rawSubjects: (object.value["subjects"] as unknown[] | null) ?? [],
          namespace,
        });
        break;
      }
      case "ServiceAccount": {
        const automount = object.value["automountServiceAccountToken"];
        serviceAccounts[`${namespace}/${name}`] = typeof automount === "boolean" ? { automountServiceAccountToken: automount } : {};
        break;
      }
      case "Pod":
        pods.set(`${namespace}/${name}`, podOf(object.value["spec"]));
        break;
    }
  }

  const aggregatedRoles = resolveAggregation(roles);

  // Bindings, subjects and the indexes, in one pass over the bindings. Role and subject keys
  // are built once each: later references find theirs by the names as written.
  const haveServiceAccounts = collected.ServiceAccount > 0;
  let haveBootstrapRoles = false;
  for (const role of roles.values()) if (role.provenance === "bootstrap") haveBootstrapRoles = true;
  const assumed: string[] = [];

  const referencedRoles: ReferencedRole[] = [];
  const referencedByKey = new Map<string, ReferencedRole>();
  const clusterRoleRefs = new Map<string, ReferencedRole>(); // name → role
  const roleRefs = new Map<string, Map<string, ReferencedRole>>(); // namespace → name → role
  const referenced = (binding: BindingEntry): ReferencedRole => {
    const isRole = binding.refKind === "Role";
    let names = clusterRoleRefs;
    if (isRole) {
      const namespace = binding.namespace as string;
      names = roleRefs.get(namespace) as Map<string, ReferencedRole>;
      if (!names) roleRefs.set(namespace, (names = new Map()));
    }
    const name = binding.refName;
    let role = names.get(name);
    if (!role) {
      const key = isRole ? `Role:${binding.namespace}/${name}` : `ClusterRole:${name}`;
      role = referencedByKey.get(key);
      if (!role) {
        const entry = roles.get(key);
        const isAssumed = !haveBootstrapRoles && !isRole && entry === undefined && BOOTSTRAP_CLUSTER_ROLES.has(name);
        role = { id: referencedRoles.length, key, role: entry, bindings: [], assumed: isAssumed };
        referencedByKey.set(key, role);
        referencedRoles.push(role);
        if (isAssumed) assumed.push(key);
      }
      names.set(name, role);
    }
    return role;
  };

  const subjectList: SubjectEntry[] = [];
  const subjectsByKey = new Map<string, SubjectEntry>();
  const users = new Map<string, SubjectEntry>(); // name → subject
  const groups = new Map<string, SubjectEntry>();
  const serviceAccountSubjects = new Map<string, Map<string, SubjectEntry>>(); // namespace → name → subject
  // A subject with Kubernetes' defaulting: a RoleBinding's ServiceAccount without namespace is in the binding's.
  const subjectOf = (raw: unknown, bindingNamespace: string | undefined): SubjectEntry | undefined => {
    if (!isObject(raw)) return undefined;
    const kind = raw["kind"];
    const name = raw["name"];
    if (typeof name !== "string" || name === "") return undefined;
    let names: Map<string, SubjectEntry>;
    let namespace: string | undefined;
    if (kind === "ServiceAccount") {
      namespace = typeof raw["namespace"] === "string" && raw["namespace"] !== "" ? raw["namespace"] : bindingNamespace;
      if (!namespace) return undefined;
      names = serviceAccountSubjects.get(namespace) as Map<string, SubjectEntry>;
      if (!names) serviceAccountSubjects.set(namespace, (names = new Map()));
    } else if (kind === "User") {
      names = users;
    } else if (kind === "Group") {
      names = groups;
    } else {
      return undefined;
    }
    let subject = names.get(name);
    if (!subject) {
      const key = namespace === undefined ? `${kind}:${name}` : `ServiceAccount:${namespace}/${name}`;
      subject = subjectsByKey.get(key);
      if (!subject) {
        const missing = namespace !== undefined && haveServiceAccounts && serviceAccounts[key.slice(15)] === undefined;
        subject = { key, grants: [], missing };
        subjectsByKey.set(key, subject);
        subjectList.push(subject);
      }
      names.set(name, subject);
    }
    return subject;
  };

  for (const binding of bindingList) {
    if (replaced.size > 0 && replaced.has(binding.out)) continue;
    const { out } = binding;
    const role = referenced(binding);
    binding.role = role.key;
    binding.roleId = role.id;
    role.bindings.push(out);
    for (const raw of binding.rawSubjects) {
      const subject = subjectOf(raw, binding.namespace);
      if (subject === undefined) continue;
      out.subjects.push(subject.key);
      subject.grants.push(binding);
    }
  }
  bindingList.length = 0;
  const bindingsByRole: Record<string, RbacBinding[]> = {};
  for (const { key, bindings: list } of referencedRoles) bindingsByRole[key] = list;
  const missingServiceAccounts: Record<string, RbacBindingRef[]> = {};
  const bindingsBySpecialSubject: Record<string, RbacBindingRef[]> = {};
  const several: [string, BindingEntry[]][] = [];
  for (const { key, grants, missing } of subjectList) {
    if (missing) missingServiceAccounts[key] = bindingsNaming(grants);
    if (isSpecialSubject(key)) bindingsBySpecialSubject[key] = bindingsNaming(grants);
    if (grants.length > 1) several.push([key, grants]);
  }

  // Roles in key order, so every index that lists role keys is sorted.
  const roleKeys = [...roles.keys()].sort();
  const rolesOut: Record<string, RbacRole> = {};
  const rolesByRule: string[][] = table.rules.map(() => []);
  for (const key of roleKeys) {
    const role = roles.get(key) as RoleEntry;
    const out: RbacRole = { provenance: role.provenance, rules: role.rules };
    if (role.aggregation) out.aggregation = role.aggregation;
    if (role.aggregatedInto) out.aggregatedInto = role.aggregatedInto;
    if (role.aggregationLabels) out.aggregationLabels = role.aggregationLabels;
    rolesOut[key] = out;
    for (const id of role.rules) (rolesByRule[id] as string[]).push(key);
  }
  const rulesByResource: Record<string, number[]> = {};
  table.rules.forEach((rule, id) => {
    for (const resource of new Set(rule.resources)) (rulesByResource[resource] ??= []).push(id);
  });

  const sortedFiles = [...new Set(files)];
  const snapshot: Omit<RbacSnapshot, DeferredField> = {
    apiVersion: API_VERSION,
    kind: "RbacSnapshot",
    metadata: { source: { path: sortedFiles.join(", "), format: "rbac", files: sortedFiles } },
    kubernetesVersion: options.kubernetesVersion ?? UNKNOWN_VERSION,
    diagnostics: [],
    collected,
    rules: table.rules,
    roles: rolesOut,
    serviceAccounts,
    pods: Object.fromEntries(pods),
    bindingsByRole,
    rulesByResource,
    rolesByRule,
    aggregatedRoles,
    assumedRoles: assumed.sort(),
    missingRoles: referencedRoles
      .filter(({ role }) => role === undefined)
      .map(({ key }) => key)
      .sort(),
    unboundRoles: roleKeys.filter((key) => !referencedByKey.has(key)),
    missingServiceAccounts,
    bindingsBySpecialSubject,
    subjectsWithSeveralGrants: several.length,
    inventory: { complete: (options.rejected ?? []).length === 0, rejected: [...new Set(options.rejected ?? [])] },
  };
  // The redundancy join is computed on first read of grantPairs or roleCovers (JSON.stringify
  // reads them too), so that a large snapshot's other controls can be judged meanwhile
  // (RBAC_DEFERRED_FIELDS, src/engine/split.ts). They stay the last fields, as enumerable
  // properties: a reader sees a plain document.
  return deferFields(
    snapshot,
    several,
    referencedRoles.map(({ key }) => key),
    table.rules,
    referencedRoles.map(({ role }) => role?.rules),
    referencedRoles.map((role) => role.assumed),
  );
}

type DeferredField = (typeof RBAC_DEFERRED_FIELDS)[number];

/**
 * The snapshot with RBAC_DEFERRED_FIELDS as enumerable getters that compute the redundancy
 * join (redundancyIndex) once, on the first read of either. Module-level, so that what the
 * getters keep until then is the join's input only, not the normalizer's working state.
 */
function deferFields(
  snapshot: Omit<RbacSnapshot, DeferredField>,
  several: [string, BindingEntry[]][],
  roleKeys: string[],
  rules: RbacRule[],
  roleRules: (number[] | undefined)[],
  roleAssumed: boolean[],
): RbacSnapshot {
  // Held in one variable (the parameters are not captured by the getters), dropped once used.
  let input: [typeof several, typeof roleKeys, typeof rules, typeof roleRules, typeof roleAssumed] | undefined = [several, roleKeys, rules, roleRules, roleAssumed];
  let value: Pick<RbacSnapshot, DeferredField> | undefined;
  const get = (): Pick<RbacSnapshot, DeferredField> => {
    if (value === undefined) {
      const [grants, keys, ruleList, ruleIds, assumedIds] = input as NonNullable<typeof input>;
      value = redundancyIndex(grants, keys, ruleList, (id) => ruleIds[id], (id) => assumedIds[id] === true);
      input = undefined;
    }
    return value;
  };
  for (const field of RBAC_DEFERRED_FIELDS) {
    Object.defineProperty(snapshot, field, { enumerable: true, configurable: true, get: () => get()[field] });
  }
  return snapshot as RbacSnapshot;
}

/** The bindings a subject's grants (in binding order) come through, each once, as an index of subjects names them. */
function bindingsNaming(grants: readonly GrantSource[]): RbacBindingRef[] {
  const naming: RbacBindingRef[] = [];
  for (const { key, role, provenance } of grants) {
    if (naming[naming.length - 1]?.name !== key) naming.push({ name: key, role, provenance });
  }
  return naming;
}

/**
 * The subjects that checks look up by name (bindingsBySpecialSubject), so that they need not
 * scan every binding: Group system:masters (KRB-0010) and every namespace's default
 * ServiceAccount (KRB-0009).
 */
function isSpecialSubject(key: string): boolean {
  return key === "Group:system:masters" || (key.startsWith("ServiceAccount:") && key.endsWith("/default"));
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** The annotation the kubelet puts on the API's copy of a static Pod. */
const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

/** Where the ServiceAccount admission plugin mounts a Pod's token. */
const TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * What decides whether a Pod gets a ServiceAccount token: its ServiceAccount (serviceAccountName,
 * else the deprecated serviceAccount, else "default", as the ServiceAccount admission plugin
 * sets it) and its own automountServiceAccountToken when set; and, for a Pod that lists its
 * containers, whether one of them has a volume mounted at the token path (the outcome, which
 * differs from the settings when the Pod predates them).
 */
function podOf(rawSpec: unknown): RbacPod {
  const spec = isObject(rawSpec) ? rawSpec : {};
  const named = [spec["serviceAccountName"], spec["serviceAccount"]].find((v) => typeof v === "string" && v !== "") as string | undefined;
  const automount = spec["automountServiceAccountToken"];
  const pod: RbacPod = { serviceAccount: named ?? "default" };
  if (typeof automount === "boolean") pod.automountServiceAccountToken = automount;
  if (Array.isArray(spec["containers"])) {
    pod.tokenMounted = ["containers", "initContainers", "ephemeralContainers"].some(
      (field) =>
        Array.isArray(spec[field]) &&
        (spec[field] as unknown[]).some(
          (container) =>
            isObject(container) &&
            Array.isArray(container["volumeMounts"]) &&
            (container["volumeMounts"] as unknown[]).some(
              (mount) => isObject(mount) && typeof mount["mountPath"] === "string" && mount["mountPath"].replace(/\/+$/, "") === TOKEN_PATH,
            ),
        ),
    );
  }
  return pod;
}

/** bootstrap: Kubernetes' default policy label; vendor: a managed platform's markers; else user. */
export function provenanceOf(name: string, labels: Record<string, unknown>): Provenance {
  if (labels[BOOTSTRAP_LABEL] === BOOTSTRAP_VALUE) return "bootstrap";
  if (VENDOR_LABELS.some((label) => label in labels)) return "vendor";
  if (VENDOR_NAME_PREFIXES.some((prefix) => name.startsWith(prefix))) return "vendor";
  return "user";
}

function normalizeRule(raw: unknown): RbacRule {
  const rule = isObject(raw) ? raw : {};
  return {
    verbs: strings(rule["verbs"]),
    apiGroups: strings(rule["apiGroups"]),
    resources: strings(rule["resources"]),
    resourceNames: strings(rule["resourceNames"]),
    nonResourceURLs: strings(rule["nonResourceURLs"]),
  };
}

/** A rule's identity: its five lists, each element JSON-quoted (as exact as JSON.stringify, cheaper). */
function ruleId(rule: RbacRule): string {
  const list = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(",");
  return `${list(rule.verbs)}|${list(rule.apiGroups)}|${list(rule.resources)}|${list(rule.resourceNames)}|${list(rule.nonResourceURLs)}`;
}

function normalizeSelectors(raw: unknown): RbacSelector[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((s) => {
    const selector: RbacSelector = {};
    if (!isObject(s)) return selector;
    if (isObject(s["matchLabels"])) {
      selector.matchLabels = Object.fromEntries(Object.entries(s["matchLabels"] as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    if (Array.isArray(s["matchExpressions"])) {
      selector.matchExpressions = (s["matchExpressions"] as unknown[]).filter(isObject).map((e) => ({
        key: String(e["key"]),
        operator: String(e["operator"]),
        ...(Array.isArray(e["values"]) ? { values: strings(e["values"]) } : {}),
      }));
    }
    return selector;
  });
}

/** metav1.LabelSelector semantics; an empty selector matches everything (LabelSelectorAsSelector). */
export function selectorMatches(selector: RbacSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key] as string)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key] as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false; // the API server rejects other operators; match nothing
    }
  }
  return true;
}

/**
 * The clusterrole-aggregation controller, to a fixed point: each aggregated ClusterRole's
 * rules become the de-duplicated rules of every other ClusterRole that any of its selectors
 * matches (OR), taken in name order; its own rules are replaced. Chains (view → edit →
 * admin) and cycles converge because every pass only adds rules. Returns the keys of the
 * aggregated ClusterRoles (sorted).
 */
function resolveAggregation(roles: Map<string, RoleEntry>): string[] {
  const order = [...roles].filter(([, role]) => role.selectors).map(([key]) => key).sort();
  if (order.length === 0) return order;
  const clusterRoles = [...roles.keys()].filter((key) => key.startsWith("ClusterRole:")).sort();
  // ClusterRoles by label key: a selector with matchLabels can only match roles carrying its
  // first key, so each selector examines those instead of every ClusterRole (O(A×C) before).
  const byLabel = new Map<string, string[]>();
  for (const key of clusterRoles) {
    for (const label of Object.keys(roles.get(key)?.labels ?? {})) {
      let list = byLabel.get(label);
      if (!list) byLabel.set(label, (list = []));
      list.push(key);
    }
  }
  for (const key of order) {
    const role = roles.get(key) as RoleEntry;
    const selectors = role.selectors as RbacSelector[];
    const found = new Set<string>();
    for (const selector of selectors) {
      const first = Object.keys(selector.matchLabels ?? {})[0];
      const candidates = first === undefined ? clusterRoles : (byLabel.get(first) ?? []);
      for (const other of candidates) {
        if (other !== key && !found.has(other) && selectorMatches(selector, roles.get(other)?.labels ?? {})) found.add(other);
      }
    }
    const matched = clusterRoles.length <= found.size * 8 ? clusterRoles.filter((other) => found.has(other)) : [...found].sort();
    role.aggregation = { selectors, selects: matched, declaredRules: role.rules.length };
    for (const other of matched) ((roles.get(other) as RoleEntry).aggregatedInto ??= []).push(key);
  }
  for (const key of clusterRoles) roles.get(key)?.aggregatedInto?.sort();
  for (let pass = 0; pass <= order.length + 1; pass++) {
    let changed = false;
    for (const key of order) {
      const role = roles.get(key) as RoleEntry;
      const next = uniqueInOrder((role.aggregation as { selects: string[] }).selects.flatMap((other) => (roles.get(other) as RoleEntry).rules));
      if (next.length !== role.rules.length || next.some((id, i) => id !== role.rules[i])) {
        role.rules = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return order;
}

/** Rule ids without repeats, each where it first occurs (the aggregation controller's de-duplication). */
function uniqueInOrder(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
