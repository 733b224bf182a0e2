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
  type KubernetesVersion,
  type Provenance,
  type RbacBinding,
  type RbacGrant,
  type RbacRole,
  type RbacRule,
  type RbacSelector,
  type RbacSnapshot,
  type RbacSubject,
} from "../types.js";
import { redundancyIndex } from "./rbac-redundancy.js";
import { UNKNOWN_VERSION } from "./version.js";

export const RBAC_KINDS = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount"] as const;
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
        const object = asRbacObject(item, file, () => doc.lineAt(["items", i]));
        if (object) found.push(object);
      });
    } else {
      const object = asRbacObject(value, file, () => doc.lineAt([]));
      if (object) found.push(object);
    }
  }
  return found;
}

function asRbacObject(value: unknown, file: TextFile, lineOf: () => number | undefined): RbacObject | undefined {
  if (!isObject(value)) return undefined;
  const kind = value["kind"];
  const apiVersion = typeof value["apiVersion"] === "string" ? value["apiVersion"] : "";
  if (kind === "ServiceAccount") {
    if (apiVersion !== "v1") return undefined;
  } else if (!(RBAC_KINDS as readonly unknown[]).includes(kind) || !apiVersion.startsWith(RBAC_GROUP)) {
    return undefined;
  }
  const object: RbacObject = { kind: kind as RbacKind, value, file: file.path };
  validate(object, lineOf);
  return object;
}

/** Refuses objects the API server would refuse, naming file and line (looked up only then). */
function validate(object: RbacObject, lineOf: () => number | undefined): void {
  const fail = (message: string): never => {
    const line = lineOf();
    throw new InputError(`${object.kind}: ${message}`, { file: object.file, ...(line ? { line } : {}) });
  };
  const metadata = object.value["metadata"];
  if (!isObject(metadata) || typeof metadata["name"] !== "string" || metadata["name"] === "") fail("metadata.name is missing");
  const meta = metadata as Record<string, unknown>;
  const namespaced = object.kind === "Role" || object.kind === "RoleBinding" || object.kind === "ServiceAccount";
  if (namespaced && (typeof meta["namespace"] !== "string" || meta["namespace"] === "")) {
    fail(`${String(meta["name"])}: metadata.namespace is missing (export with \`kubectl get -A -o yaml\`)`);
  }
  if (object.kind === "RoleBinding" || object.kind === "ClusterRoleBinding") {
    const ref = object.value["roleRef"];
    if (!isObject(ref) || typeof ref["name"] !== "string" || (ref["kind"] !== "Role" && ref["kind"] !== "ClusterRole")) {
      fail(`${String(meta["name"])}: roleRef must name a Role or ClusterRole`);
    }
    if (object.kind === "ClusterRoleBinding" && (ref as Record<string, unknown>)["kind"] === "Role") {
      fail(`${String(meta["name"])}: a ClusterRoleBinding cannot reference a Role`);
    }
    const subjects = object.value["subjects"];
    if (subjects !== undefined && subjects !== null && !Array.isArray(subjects)) fail(`${String(meta["name"])}: subjects must be a list`);
  }
  if (object.kind === "Role" || object.kind === "ClusterRole") {
    const rules = object.value["rules"];
    if (rules !== undefined && rules !== null && !Array.isArray(rules)) fail(`${String(meta["name"])}: rules must be a list`);
  }
}

export interface SnapshotOptions {
  kubernetesVersion?: KubernetesVersion;
}

/** Builds the one RbacSnapshot of a run from every RBAC object found in its inputs. */
export function buildRbacSnapshot(objects: readonly RbacObject[], files: readonly string[], options: SnapshotOptions = {}): RbacSnapshot {
  const collected = { ClusterRole: 0, ClusterRoleBinding: 0, Role: 0, RoleBinding: 0, ServiceAccount: 0 };
  const roles: Record<string, RbacRole> = {};
  const rawBindings: { key: string; binding: Omit<RbacBinding, "roleExists">; rawSubjects: unknown[] }[] = [];
  const serviceAccounts: RbacSnapshot["serviceAccounts"] = {};
  const selectorsOf = new Map<string, RbacSelector[]>();
  const labelsOf = new Map<string, Record<string, string>>();

  for (const object of objects) {
    collected[object.kind]++;
    const meta = object.value["metadata"] as Record<string, unknown>;
    const name = meta["name"] as string;
    const namespace = typeof meta["namespace"] === "string" ? meta["namespace"] : undefined;
    const labels = isObject(meta["labels"]) ? (meta["labels"] as Record<string, unknown>) : {};
    switch (object.kind) {
      case "Role":
      case "ClusterRole": {
        const key = object.kind === "Role" ? `Role:${namespace}/${name}` : `ClusterRole:${name}`;
        const role: RbacRole = {
          kind: object.kind,
          name,
          ...(object.kind === "Role" ? { namespace: namespace as string } : {}),
          provenance: provenanceOf(name, labels),
          rules: dedupeRules(((object.value["rules"] as unknown[] | null) ?? []).map(normalizeRule)),
        };
        if (object.kind === "ClusterRole") {
          labelsOf.set(key, Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])));
          const aggregationLabels = Object.fromEntries(
            Object.entries(labels).filter(([k]) => k.startsWith("rbac.authorization.k8s.io/aggregate-to-")).map(([k, v]) => [k, String(v)]),
          );
          if (Object.keys(aggregationLabels).length > 0) role.aggregationLabels = aggregationLabels;
          const rule = object.value["aggregationRule"];
          selectorsOf.delete(key);
          if (isObject(rule)) selectorsOf.set(key, normalizeSelectors(rule["clusterRoleSelectors"]));
        }
        roles[key] = role; // a later object with the same key replaces the earlier (as kubectl apply would)
        break;
      }
      case "RoleBinding":
      case "ClusterRoleBinding": {
        const ref = object.value["roleRef"] as Record<string, string>;
        const key = object.kind === "RoleBinding" ? `RoleBinding:${namespace}/${name}` : `ClusterRoleBinding:${name}`;
        const role = ref["kind"] === "Role" ? `Role:${namespace}/${ref["name"]}` : `ClusterRole:${ref["name"]}`;
        rawBindings.push({
          key,
          binding: {
            kind: object.kind,
            name,
            ...(object.kind === "RoleBinding" ? { namespace: namespace as string } : {}),
            provenance: provenanceOf(name, labels),
            role,
            scope: object.kind === "RoleBinding" ? (namespace as string) : "cluster",
            subjects: [],
          },
          rawSubjects: (object.value["subjects"] as unknown[] | null) ?? [],
        });
        break;
      }
      case "ServiceAccount": {
        const automount = object.value["automountServiceAccountToken"];
        serviceAccounts[`${namespace}/${name}`] = {
          namespace: namespace as string,
          name,
          automountServiceAccountToken: typeof automount === "boolean" ? automount : null,
        };
        break;
      }
    }
  }

  resolveAggregation(roles, selectorsOf, labelsOf);

  // Subjects, bindings and the indexes.
  const haveServiceAccounts = collected.ServiceAccount > 0;
  const haveBootstrapRoles = Object.values(roles).some((r) => r.provenance === "bootstrap");
  // Maps while joining (no property-key interning per lookup); objects once at the end.
  const roleKeys = new Set(Object.keys(roles));
  const subjectsMap = new Map<string, RbacSubject>();
  const bindings: Record<string, RbacBinding> = {};
  const byRole = new Map<string, string[]>();
  const grants = new Map<string, RbacGrant[]>();
  for (const { key, binding, rawSubjects } of rawBindings) {
    const roleExists = roleKeys.has(binding.role);
    const full: RbacBinding = { ...binding, roleExists };
    if (!roleExists && !haveBootstrapRoles && binding.role.startsWith("ClusterRole:") && BOOTSTRAP_CLUSTER_ROLES.has(binding.role.slice(12))) {
      full.roleAssumed = true;
    }
    for (const raw of rawSubjects) {
      const subjectKey = subjectKeyOf(raw, binding.namespace);
      if (subjectKey === undefined) continue;
      full.subjects.push(subjectKey);
      if (!subjectsMap.has(subjectKey)) {
        const { key: _, ...rest } = normalizeSubject(raw, binding.namespace) as NormalizedSubject;
        if (rest.kind === "ServiceAccount" && haveServiceAccounts) rest.exists = `${rest.namespace}/${rest.name}` in serviceAccounts;
        subjectsMap.set(subjectKey, rest);
      }
      let list = grants.get(subjectKey);
      if (!list) grants.set(subjectKey, (list = []));
      list.push({ binding: key, role: binding.role, scope: binding.scope });
    }
    bindings[key] = full;
    let list = byRole.get(binding.role);
    if (!list) byRole.set(binding.role, (list = []));
    list.push(key);
  }
  const subjects: Record<string, RbacSubject> = Object.fromEntries(subjectsMap);
  const bindingsByRole: Record<string, string[]> = {};
  for (const [role, list] of byRole) bindingsByRole[role] = list.sort();
  const grantsBySubject: Record<string, Record<string, RbacGrant[]>> = {};
  for (const [subject, list] of grants) {
    if (list.length < 2) continue;
    const byScope: Record<string, RbacGrant[]> = {};
    for (const grant of list) (byScope[grant.scope] ??= []).push(grant);
    grantsBySubject[subject] = byScope;
  }
  const rolesByResource: Record<string, string[]> = {};
  for (const key of Object.keys(roles).sort()) {
    const seen = new Set<string>();
    for (const rule of (roles[key] as RbacRole).rules) {
      for (const resource of rule.resources) {
        if (seen.has(resource)) continue;
        seen.add(resource);
        (rolesByResource[resource] ??= []).push(key);
      }
    }
  }

  const sortedFiles = [...new Set(files)];
  return {
    apiVersion: API_VERSION,
    kind: "RbacSnapshot",
    metadata: { source: { path: sortedFiles.join(", "), format: "rbac", files: sortedFiles } },
    kubernetesVersion: options.kubernetesVersion ?? UNKNOWN_VERSION,
    diagnostics: [],
    collected,
    roles,
    bindings,
    subjects,
    serviceAccounts,
    bindingsByRole,
    subjectsWithSeveralGrants: Object.keys(grantsBySubject).length,
    rolesByResource,
    ...redundancyIndex(grantsBySubject, roles, bindings),
  };
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

/** Exact-equality de-duplication, as the aggregation controller does (first occurrence kept). */
function dedupeRules(rules: readonly RbacRule[]): RbacRule[] {
  if (rules.length < 2) return [...rules];
  const seen = new Set<string>();
  const out: RbacRule[] = [];
  for (const rule of rules) {
    const id = ruleId(rule);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(rule);
  }
  return out;
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
 * admin) and cycles converge because every pass only adds rules.
 */
function resolveAggregation(
  roles: Record<string, RbacRole>,
  selectorsOf: Map<string, RbacSelector[]>,
  labelsOf: Map<string, Record<string, string>>,
): void {
  if (selectorsOf.size === 0) return;
  const clusterRoles = Object.keys(roles)
    .filter((key) => key.startsWith("ClusterRole:"))
    .sort();
  // ClusterRoles by label key: a selector with matchLabels can only match roles carrying its
  // first key, so each selector examines those instead of every ClusterRole (O(A×C) before).
  const byLabel = new Map<string, string[]>();
  for (const key of clusterRoles) {
    for (const label of Object.keys(labelsOf.get(key) ?? {})) {
      let list = byLabel.get(label);
      if (!list) byLabel.set(label, (list = []));
      list.push(key);
    }
  }
  const selects = new Map<string, string[]>();
  for (const [key, selectors] of selectorsOf) {
    const role = roles[key] as RbacRole;
    const found = new Set<string>();
    for (const selector of selectors) {
      const first = Object.keys(selector.matchLabels ?? {})[0];
      const candidates = first === undefined ? clusterRoles : (byLabel.get(first) ?? []);
      for (const other of candidates) {
        if (other !== key && !found.has(other) && selectorMatches(selector, labelsOf.get(other) ?? {})) found.add(other);
      }
    }
    const matched = clusterRoles.length <= found.size * 8 ? clusterRoles.filter((other) => found.has(other)) : [...found].sort();
    selects.set(key, matched);
    role.aggregation = { selectors, selects: matched, declaredRules: role.rules.length };
    for (const other of matched) ((roles[other] as RbacRole).aggregatedInto ??= []).push(key);
  }
  for (const key of clusterRoles) roles[key]?.aggregatedInto?.sort();
  const order = [...selectorsOf.keys()].sort();
  for (let pass = 0; pass <= order.length + 1; pass++) {
    let changed = false;
    for (const key of order) {
      const role = roles[key] as RbacRole;
      const next = dedupeRules((selects.get(key) ?? []).flatMap((other) => (roles[other] as RbacRole).rules));
      if (next.length !== role.rules.length || JSON.stringify(next) !== JSON.stringify(role.rules)) {
        role.rules = next;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

interface NormalizedSubject extends RbacSubject {
  key: string;
}

/** normalizeSubject(raw, bindingNamespace)?.key without building the subject. */
function subjectKeyOf(raw: unknown, bindingNamespace: string | undefined): string | undefined {
  if (!isObject(raw)) return undefined;
  const kind = raw["kind"];
  const name = raw["name"];
  if (typeof name !== "string" || name === "") return undefined;
  if (kind === "ServiceAccount") {
    const namespace = typeof raw["namespace"] === "string" && raw["namespace"] !== "" ? raw["namespace"] : bindingNamespace;
    return namespace ? `ServiceAccount:${namespace}/${name}` : undefined;
  }
  if (kind === "User") return `User:${name}`;
  if (kind === "Group") return `Group:${name}`;
  return undefined;
}

/** Subject identity with Kubernetes' defaulting: a RoleBinding's ServiceAccount without namespace is in the binding's. */
function normalizeSubject(raw: unknown, bindingNamespace: string | undefined): NormalizedSubject | undefined {
  if (!isObject(raw)) return undefined;
  const kind = raw["kind"];
  const name = typeof raw["name"] === "string" ? raw["name"] : "";
  if (name === "") return undefined;
  if (kind === "ServiceAccount") {
    const namespace = typeof raw["namespace"] === "string" && raw["namespace"] !== "" ? raw["namespace"] : bindingNamespace;
    if (!namespace) return undefined; // a ClusterRoleBinding's SA subject needs a namespace; the API server refuses it
    return {
      key: `ServiceAccount:${namespace}/${name}`,
      kind,
      name,
      namespace,
      groups: ["Group:system:authenticated", "Group:system:serviceaccounts", `Group:system:serviceaccounts:${namespace}`],
    };
  }
  if (kind === "User") {
    const groups = name === "system:anonymous" ? ["Group:system:unauthenticated"] : ["Group:system:authenticated"];
    return { key: `User:${name}`, kind, name, groups };
  }
  if (kind === "Group") return { key: `Group:${name}`, kind, name, groups: [] };
  return undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
