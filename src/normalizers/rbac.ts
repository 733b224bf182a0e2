// Normalizer for RBAC objects: every Role, ClusterRole, RoleBinding, ClusterRoleBinding and
// ServiceAccount of one run becomes ONE RbacSnapshot document. The host does the joins the
// WASM target cannot do fast (it has no rule or comprehension indexing): aggregation is
// resolved as the clusterrole-aggregation controller does (rbac-aggregation.ts), subjects are
// defaulted and expanded (rbac-subjects.ts), provenance is recognised (rbac-provenance.ts),
// rules are stored once (rbac-rules.ts) and keyed indexes are built, so the policies only do
// keyed lookups and single passes. Judging stays in Rego. The objects come from
// rbacObjectsIn (rbac-objects.ts), which refuses what the API server would refuse.
import { InputError } from "../errors.js";
import {
  API_VERSION,
  RBAC_DEFERRED_FIELDS,
  type KubernetesVersion,
  type RbacBinding,
  type RbacBindingRef,
  type RbacPod,
  type RbacRole,
  type RbacRule,
  type RbacSnapshot,
} from "../types.js";
import { normalizeSelectors, resolveAggregation, type RoleEntry } from "./rbac-aggregation.js";
import { equalJson, podOf, sameRbacObject, type RbacObject } from "./rbac-objects.js";
import { isBootstrapClusterRole, provenanceOf } from "./rbac-provenance.js";
import { redundancyIndex } from "./rbac-redundancy.js";
import { RuleTable, isObject, joinKey } from "./rbac-rules.js";
import { RoleReferences, Subjects, appended, bindingsNaming, isSpecialSubject, type BindingEntry } from "./rbac-subjects.js";
import { countGrants, type RoleGrants } from "./rbac-grants.js";
import { UNKNOWN_VERSION } from "./version.js";

export { RBAC_KINDS, rbacObjectsIn, type RbacKind, type RbacObject } from "./rbac-objects.js";

/**
 * Two copies of one object (kind, namespace and name) that differ in what the checks read: the
 * later file is refused (an input error naming both files), and the snapshot built without it.
 */
export class ConflictingCopies extends InputError {
  constructor(key: string, earlier: string, later: string) {
    const where = earlier === later ? "twice in this file" : `also in ${earlier}`;
    super(`${key} is defined ${where}, differently: a cluster holds one object per name; give one export of the cluster, or remove the stale copy`, { file: later });
  }
}

export interface SnapshotOptions {
  kubernetesVersion?: KubernetesVersion;
  /** The run's input files that were rejected (the inventory is then incomplete). */
  rejected?: readonly string[];
}

/** Builds the one RbacSnapshot of a run from every RBAC object found in its inputs. */
export function buildRbacSnapshot(objects: readonly RbacObject[], files: readonly string[], options: SnapshotOptions = {}): RbacSnapshot {
  const collected = { ClusterRole: 0, ClusterRoleBinding: 0, Role: 0, RoleBinding: 0, ServiceAccount: 0, Pod: 0 };
  const table = new RuleTable();
  // A cluster holds one object per kind, namespace and name. Copies that agree on everything
  // the checks read (exports taken at different times) are one object: the later is kept.
  // Copies that differ are refused (ConflictingCopies), so no verdict depends on file order.
  const roles = new Map<string, RoleEntry>();
  // Bindings in the order read, and each one's object; a replaced one stays in the list,
  // marked in `replaced`. `latest`: the index in the list of each key's latest copy.
  const latest = new Map<string, number>();
  const bindingList: BindingEntry[] = [];
  const bindingSources: RbacObject[] = [];
  const replaced = new Set<RbacBinding>();
  const serviceAccounts: Record<string, { automountServiceAccountToken?: boolean }> = {};
  const pods = new Map<string, RbacPod>();
  const accountSources = new Map<string, RbacObject>();
  const podSources = new Map<string, RbacObject>();
  const refuse = (key: string, earlier: RbacObject, later: RbacObject): never => {
    throw new ConflictingCopies(key, earlier.file, later.file);
  };
  const agree = (key: string, earlier: RbacObject, later: RbacObject): void => {
    if (!sameRbacObject(earlier, later)) refuse(key, earlier, later);
  };

  for (const object of objects) {
    collected[object.kind]++;
    const meta = object.value["metadata"] as Record<string, unknown>;
    const name = meta["name"] as string;
    const namespace = typeof meta["namespace"] === "string" ? meta["namespace"] : undefined;
    const labels = isObject(meta["labels"]) ? (meta["labels"] as Record<string, unknown>) : EMPTY;
    switch (object.kind) {
      case "Role": {
        const key = joinKey("Role:", namespace as string, "/", name);
        const previous = roles.get(key);
        if (previous) agree(key, previous.source as RbacObject, object);
        roles.set(key, { provenance: provenanceOf(name, labels), rules: table.internAll((object.value["rules"] as unknown[] | null) ?? []), source: object });
        break;
      }
      case "ClusterRole": {
        const role: RoleEntry = {
          provenance: provenanceOf(name, labels),
          rules: table.internAll((object.value["rules"] as unknown[] | null) ?? []),
          labels: {},
          source: object,
        };
        for (const label in labels) {
          const value = String(labels[label]);
          (role.labels as Record<string, string>)[label] = value;
          if (label.startsWith("rbac.authorization.k8s.io/aggregate-to-")) (role.aggregationLabels ??= {})[label] = value;
        }
        const rule = object.value["aggregationRule"];
        if (isObject(rule)) role.selectors = normalizeSelectors(rule["clusterRoleSelectors"]);
        const key = joinKey("ClusterRole:", name);
        const previous = roles.get(key);
        if (previous) agree(key, previous.source as RbacObject, object);
        roles.set(key, role);
        break;
      }
      case "RoleBinding":
      case "ClusterRoleBinding": {
        const ref = object.value["roleRef"] as Record<string, string>;
        const namespaced = object.kind === "RoleBinding";
        const key = namespaced ? joinKey("RoleBinding:", namespace as string, "/", name) : joinKey("ClusterRoleBinding:", name);
        const provenance = provenanceOf(name, labels);
        const out: RbacBinding = { name: key, provenance, subjects: [] };
        const previous = latest.get(key);
        // The earlier copy is dropped; the later one keeps its own, later place in binding order.
        if (previous !== undefined) {
          agree(key, bindingSources[previous] as RbacObject, object);
          replaced.add((bindingList[previous] as BindingEntry).out);
        }
        const entry: BindingEntry = {
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
        };
        latest.set(key, bindingList.length);
        bindingList.push(entry);
        bindingSources.push(object);
        break;
      }
      case "ServiceAccount": {
        const automount = object.value["automountServiceAccountToken"];
        const key = `${namespace}/${name}`;
        const previous = serviceAccounts[key];
        const account = typeof automount === "boolean" ? { automountServiceAccountToken: automount } : {};
        if (previous && previous.automountServiceAccountToken !== account.automountServiceAccountToken) refuse(`ServiceAccount:${key}`, accountSources.get(key) as RbacObject, object);
        serviceAccounts[key] = account;
        accountSources.set(key, object);
        break;
      }
      case "Pod": {
        const key = `${namespace}/${name}`;
        const pod = podOf(object.value["spec"]);
        const previous = pods.get(key);
        if (previous && !equalJson(previous, pod)) refuse(`Pod:${key}`, podSources.get(key) as RbacObject, object);
        pods.set(key, pod);
        podSources.set(key, object);
        break;
      }
    }
  }

  // The raw objects are let go with the caller's list: nothing built here keeps one.
  for (const role of roles.values()) role.source = undefined;
  latest.clear();
  bindingSources.length = 0;
  accountSources.clear();
  podSources.clear();

  const aggregatedRoles = resolveAggregation(roles);

  // Bindings, subjects and the indexes, in one pass over the bindings. Role and subject keys
  // are built once each: later references find theirs by the names as written.
  const haveServiceAccounts = collected.ServiceAccount > 0;
  let haveBootstrapRoles = false;
  for (const role of roles.values()) if (role.provenance === "bootstrap") haveBootstrapRoles = true;
  const references = new RoleReferences(roles, (name) => !haveBootstrapRoles && isBootstrapClusterRole(name));
  const referencedRoles = references.list;
  const subjects = new Subjects((namespacedName) => haveServiceAccounts && serviceAccounts[namespacedName] === undefined);

  // Lists grow with appended(): most hold one item, and a first push() reserves room for 17.
  for (const binding of bindingList) {
    if (replaced.size > 0 && replaced.has(binding.out)) continue;
    const { out } = binding;
    const role = references.of(binding);
    binding.role = role.key;
    binding.roleId = role.id;
    role.bindings = appended(role.bindings, out);
    for (const raw of binding.rawSubjects) {
      const subject = subjects.of(raw, binding.namespace);
      if (subject === undefined) continue;
      out.subjects = appended(out.subjects, subject.key);
      subject.grants = appended(subject.grants, binding);
    }
  }
  bindingList.length = 0;
  const bindingsByRole: Record<string, RbacBinding[]> = {};
  const grantsByRole: Record<string, RoleGrants> = {};
  for (const { key, bindings: list, role } of referencedRoles) {
    bindingsByRole[key] = list;
    if (role) grantsByRole[key] = countGrants(list);
  }
  const missingServiceAccounts: Record<string, RbacBindingRef[]> = {};
  const bindingsBySpecialSubject: Record<string, RbacBindingRef[]> = {};
  const several: [string, BindingEntry[]][] = [];
  for (const { key, grants, missing } of subjects.list) {
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
    grantsByRole,
    rulesByResource,
    rolesByRule,
    aggregatedRoles,
    assumedRoles: references.assumed.sort(),
    missingRoles: referencedRoles
      .filter(({ role }) => role === undefined)
      .map(({ key }) => key)
      .sort(),
    unboundRoles: roleKeys.filter((key) => !references.byKey.has(key)),
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

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

