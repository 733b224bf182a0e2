// The join behind the duplicate-permission control (KRB-0003), done in the host: which pairs
// of a subject's grants can be redundant, and which roles Cover which (Kubernetes' Covers,
// component-helpers/auth/rbac/validation/policy_comparator.go). The WASM target has no rule
// or comprehension indexing, and pairing every subject's grants there cost 12 s at 100k
// bindings; here it is a few Map lookups per pair. The policy still judges every pair
// (removable binding, which of two twins to report, the Covers fact) and builds the findings.
import { PolicyError } from "../errors.js";
import { hostDataPath } from "../paths.js";
import { loadHostData } from "./host-data.js";
import type { Provenance, RbacGrant, RbacRule, RbacSnapshot } from "../types.js";

let clusterScoped: ReadonlySet<string> | undefined;

/**
 * data.kubecis.rbac.cluster_scoped_resources (source: policies/kubecis/rbac/data.yaml), through
 * loadHostData: the very list the policies judge with.
 */
export function clusterScopedResources(): ReadonlySet<string> {
  if (clusterScoped) return clusterScoped;
  const list: unknown = loadHostData().rbac?.cluster_scoped_resources;
  if (!Array.isArray(list)) throw new PolicyError(`${hostDataPath}: rbac.cluster_scoped_resources is not a list`);
  clusterScoped = new Set(list.map(String));
  return clusterScoped;
}

/**
 * A binding as one of a subject's grants: its key, role key and the role's number (its index
 * in redundancyIndex's `roleKeys`), scope ("cluster" or the namespace) and provenance.
 */
export interface GrantSource {
  key: string;
  role: string;
  roleId: number;
  scope: string;
  provenance: Provenance;
}

/**
 * grantPairs and roleCovers for the subjects with two or more grants (each subject's grants
 * in binding order; a binding naming the subject twice is two grants). A pair (grant,
 * other) is listed when the grant is through a user binding to an existing role and either
 * both are the same role in the same scope, or the other is in the same scope or
 * cluster-wide, through another binding, and is the same role (in another scope) or a role
 * that Covers the grant's. Per subject, the grants that are in some pair are listed once, in
 * binding order, and each pair is [grant, other] as positions in that list. `rulesOf(role)`
 * is undefined for a role the input lacks.
 */
export function redundancyIndex(
  grantsBySubject: ReadonlyMap<string, readonly GrantSource[]>,
  roleKeys: readonly string[],
  rulesOf: (role: string) => RbacRule[] | undefined,
): Pick<RbacSnapshot, "grantPairs" | "roleCovers"> {
  const grantPairs: RbacSnapshot["grantPairs"] = {};
  const roleCovers: RbacSnapshot["roleCovers"] = {};
  // Per role number: its rules (null: missing from the input), the resources they write and
  // what it needs written where it is granted; each computed when first asked.
  const known: (RbacRule[] | null | undefined)[] = [];
  const rulesById = (id: number): RbacRule[] | null => {
    let rules = known[id];
    if (rules === undefined) known[id] = rules = rulesOf(roleKeys[id] as string) ?? null;
    return rules;
  };
  const written: (ReadonlySet<string> | undefined)[] = [];
  const needed: (readonly Need[] | undefined)[] = [];
  const writtenBy = (id: number): ReadonlySet<string> =>
    (written[id] ??= new Set((rulesById(id) as RbacRule[]).flatMap((rule) => rule.resources)));
  const neededBy = (id: number, namespaced: boolean): readonly Need[] =>
    (needed[id * 2 + (namespaced ? 1 : 0)] ??= needs(writtenBy(id), namespaced));
  // Covers is computed once per (servant, owner, where granted); most pairs fail the cheap
  // resource test, which looks the servant's resources up in the owner's written set.
  const memo = new Map<number, Map<number, boolean>>(); // servant and where → owner → covered
  const covering = (s: number, o: number, namespaced: boolean): boolean => {
    const at = s * 2 + (namespaced ? 1 : 0);
    let owners = memo.get(at);
    if (!owners) memo.set(at, (owners = new Map()));
    let covered = owners.get(o);
    if (covered === undefined) {
      covered =
        !resourceGap(writtenBy(o), neededBy(s, namespaced)) && covers(rulesById(o) as RbacRule[], rulesById(s) as RbacRule[], namespaced);
      owners.set(o, covered);
      if (covered) ((roleCovers[roleKeys[s] as string] ??= {})[roleKeys[o] as string] ??= {})[namespaced ? "namespace" : "cluster"] = true;
    }
    return covered;
  };
  for (const [subject, all] of grantsBySubject) {
    // The subject's grants by scope, as positions in `all` (binding order).
    const scopes = new Map<string, number[]>();
    for (let at = 0; at < all.length; at++) {
      const scope = (all[at] as GrantSource).scope;
      let group = scopes.get(scope);
      if (!group) scopes.set(scope, (group = []));
      group.push(at);
    }
    const cluster = scopes.get("cluster");
    const pairs: number[] = []; // flat: grant, other, grant, other, … (positions in `all`)
    for (const [scope, group] of scopes) {
      const namespaced = scope !== "cluster";
      for (const at of group) {
        const grant = all[at] as GrantSource;
        const role = grant.roleId;
        if (grant.provenance !== "user" || rulesById(role) === null) continue;
        const consider = (others: readonly number[], same: boolean): void => {
          for (const otherAt of others) {
            if (otherAt === at) continue;
            const other = all[otherAt] as GrantSource;
            const otherRole = other.roleId;
            const sameRole = otherRole === role;
            const listed =
              (sameRole && same) ||
              (other.key !== grant.key &&
                (sameRole ? !same : rulesById(otherRole) !== null && covering(role, otherRole, namespaced)));
            if (listed) pairs.push(at, otherAt);
          }
        };
        consider(group, true);
        if (namespaced && cluster) consider(cluster, false);
      }
    }
    if (pairs.length === 0) continue;
    // The grants in some pair, once each in binding order, and the pairs as positions among them.
    const position = new Int32Array(all.length).fill(-1);
    for (const at of pairs) position[at] = 0;
    const grants: RbacGrant[] = [];
    for (let at = 0; at < all.length; at++) {
      if (position[at] === -1) continue;
      position[at] = grants.length;
      const { key, role, scope, provenance } = all[at] as GrantSource;
      grants.push({ binding: key, role, scope, provenance });
    }
    const indexPairs: [number, number][] = [];
    for (let k = 0; k < pairs.length; k += 2) indexPairs.push([position[pairs[k] as number] as number, position[pairs[k + 1] as number] as number]);
    grantPairs[subject] = { grants, pairs: indexPairs };
  }
  return { grantPairs, roleCovers };
}

/**
 * Kubernetes' Covers: every atom (verb, apiGroup, resource, resourceName; or verb,
 * nonResourceURL) of the servant rules is allowed by one owner rule. namespaced: the servant
 * is granted by a RoleBinding, so its atoms on cluster-scoped resources and its
 * nonResourceURLs grant nothing and are skipped.
 */
export function covers(owner: readonly RbacRule[], servant: readonly RbacRule[], namespaced: boolean): boolean {
  const scoped = clusterScopedResources();
  for (const rule of servant) {
    const names = rule.resourceNames.length > 0 ? rule.resourceNames : [""];
    for (const resource of rule.resources) {
      if (namespaced && scoped.has(resource.split("/")[0] as string)) continue;
      for (const verb of rule.verbs) {
        for (const group of rule.apiGroups) {
          for (const name of names) {
            if (!owner.some((o) => has(o.verbs, verb) && has(o.apiGroups, group) && resourceCovers(o.resources, resource) && nameCovers(o.resourceNames, name))) {
              return false;
            }
          }
        }
      }
    }
    if (namespaced) continue;
    for (const url of rule.nonResourceURLs) {
      for (const verb of rule.verbs) {
        if (!owner.some((o) => has(o.verbs, verb) && o.nonResourceURLs.some((pattern) => urlMatches(pattern, url)))) return false;
      }
    }
  }
  return true;
}

/** A resource the servant writes, and the "*\/<subresource>" form that also writes it. */
interface Need {
  resource: string;
  anyParent: string | undefined;
}

/** What a servant role needs written where it is granted: its resources, less cluster-scoped ones for a RoleBinding. */
function needs(servant: ReadonlySet<string>, namespaced: boolean): Need[] {
  const scoped = clusterScopedResources();
  const out: Need[] = [];
  for (const resource of servant) {
    const parts = resource.split("/");
    if (namespaced && scoped.has(parts[0] as string)) continue;
    out.push({ resource, anyParent: parts.length === 2 ? `*/${parts[1]}` : undefined });
  }
  return out;
}

/**
 * A resource the servant writes (in any rule, even one without verbs; see needs()) that no
 * owner rule writes (`owner`: the resources the owner's rules write) as itself, "*" or
 * "*\/<subresource>". The policy checked this before Covers and reported no cover when it
 * held; kept so that verdicts stay the same.
 */
function resourceGap(owner: ReadonlySet<string>, servant: readonly Need[]): boolean {
  if (owner.has("*")) return false;
  for (const { resource, anyParent } of servant) {
    if (!owner.has(resource) && (anyParent === undefined || !owner.has(anyParent))) return true;
  }
  return false;
}

function has(list: readonly string[], value: string): boolean {
  return list.includes("*") || list.includes(value);
}

function resourceCovers(resources: readonly string[], resource: string): boolean {
  if (resources.includes("*") || resources.includes(resource)) return true;
  const parts = resource.split("/");
  return parts.length === 2 && resources.includes(`*/${parts[1]}`);
}

function nameCovers(names: readonly string[], name: string): boolean {
  return names.length === 0 || (name !== "" && names.includes(name));
}

function urlMatches(pattern: string, url: string): boolean {
  return pattern === url || (pattern.endsWith("*") && url.startsWith(pattern.slice(0, -1)));
}
