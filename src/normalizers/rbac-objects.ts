// The RBAC objects of an input: found in read YAML documents (single objects or items of any
// *List), refused as the API server would refuse them, naming file and line, and the part of
// a Pod that decides its ServiceAccount token.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import type { YamlDocument } from "../readers/yaml.js";
import type { RbacPod } from "../types.js";
import { RULE_FIELDS, isObject } from "./rbac-rules.js";

export const RBAC_KINDS = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount", "Pod"] as const;
export type RbacKind = (typeof RBAC_KINDS)[number];

const RBAC_GROUP = "rbac.authorization.k8s.io/";

/** One RBAC object as found in an input file. */
export interface RbacObject {
  kind: RbacKind;
  value: Record<string, unknown>;
  file: string;
}

/**
 * Whether two copies of an object (same key) say the same for every verdict: their labels (which
 * give provenance), rules, aggregationRule, roleRef, subjects and automountServiceAccountToken.
 * Two exports of one cluster taken at different times differ in resourceVersion, managedFields
 * and status, and agree on these.
 */
export function sameRbacObject(a: RbacObject, b: RbacObject): boolean {
  return equalJson(essence(a), essence(b));
}

function essence(object: RbacObject): unknown {
  const value = object.value;
  const meta = value["metadata"] as Record<string, unknown>;
  const fields = ["rules", "aggregationRule", "roleRef", "subjects", "automountServiceAccountToken"].map((field) => value[field] ?? null);
  return [meta["labels"] ?? null, ...fields];
}

/** Deep equality of JSON values, whatever the order of object keys. */
export function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => equalJson(item, b[i]));
  if (!isObject(a) || !isObject(b) || Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && equalJson(a[key], b[key]));
}

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
  if (object.kind === "ClusterRole") {
    const rule = object.value["aggregationRule"];
    if (rule !== undefined && rule !== null) {
      const problem = aggregationProblem(rule);
      if (problem) fail(`aggregationRule${problem.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")} ${problem.message}`, ["aggregationRule", ...problem.path]);
    }
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

/**
 * What the API server refuses in a ClusterRole's aggregationRule (ValidateClusterRole: at least
 * one selector; ValidateLabelSelector: In and NotIn need values, Exists and DoesNotExist take
 * none, no other operator), with the path of the offending field. A selector that matched
 * nothing here would replace the role's rules with none: never read it as granting less.
 */
function aggregationProblem(rule: unknown): { path: (string | number)[]; message: string } | undefined {
  if (!isObject(rule)) return { path: [], message: "must be a map" };
  const selectors = rule["clusterRoleSelectors"];
  if (!Array.isArray(selectors) || selectors.length === 0) return { path: ["clusterRoleSelectors"], message: "must be a list of at least one label selector" };
  for (const [i, selector] of selectors.entries()) {
    const at = ["clusterRoleSelectors", i];
    if (!isObject(selector)) return { path: at, message: "must be a map" };
    const labels = selector["matchLabels"];
    if (labels !== undefined && labels !== null && (!isObject(labels) || Object.values(labels).some((v) => typeof v !== "string"))) {
      return { path: [...at, "matchLabels"], message: "must map label keys to string values" };
    }
    const expressions = selector["matchExpressions"];
    if (expressions === undefined || expressions === null) continue;
    if (!Array.isArray(expressions)) return { path: [...at, "matchExpressions"], message: "must be a list" };
    for (const [j, e] of expressions.entries()) {
      const here = [...at, "matchExpressions", j];
      if (!isObject(e) || typeof e["key"] !== "string" || e["key"] === "") return { path: here, message: "must be a map with a key" };
      const values = e["values"] ?? [];
      if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) return { path: [...here, "values"], message: "must be a list of strings" };
      const operator = e["operator"];
      if (operator === "In" || operator === "NotIn") {
        if (values.length === 0) return { path: [...here, "values"], message: `must be non-empty when operator is ${operator}` };
      } else if (operator === "Exists" || operator === "DoesNotExist") {
        if (values.length > 0) return { path: [...here, "values"], message: `must be empty when operator is ${operator}` };
      } else {
        return { path: [...here, "operator"], message: "must be In, NotIn, Exists or DoesNotExist" };
      }
    }
  }
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
export function podOf(rawSpec: unknown): RbacPod {
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

