// The join behind the duplicate-permission control (KRB-0003), done in the host: which pairs
// of a subject's grants can be redundant, and which roles Cover which (Kubernetes' Covers,
// component-helpers/auth/rbac/validation/policy_comparator.go). The WASM target has no rule
// or comprehension indexing, and pairing every subject's grants there cost 12 s at 100k
// bindings; here it is a few Map lookups per pair. The policy still judges every pair
// (removable binding, which of two twins to report, the Covers fact) and builds the findings.
import { PolicyError } from "../errors.js";
import { hostDataPath } from "../paths.js";
import { loadHostData } from "./host-data.js";
import type { RbacBinding, RbacGrant, RbacGrantPair, RbacRole, RbacRule, RbacSnapshot } from "../types.js";

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

type Scopes = Record<string, RbacGrant[]>;

/**
 * grantPairs and roleCovers for grantsBySubject (subject → scope → grants, subjects with
 * two or more grants). A pair (grant, other) is listed when the
 * grant is through a user binding to an existing role and either both are the same role in
 * the same scope, or the other is in the same scope or cluster-wide, through another
 * binding, and is the same role (in another scope) or a role that Covers the grant's.
 */
export function redundancyIndex(
  grantsBySubject: Record<string, Scopes>,
  roles: Record<string, RbacRole>,
  bindings: Record<string, RbacBinding>,
): Pick<RbacSnapshot, "grantPairs" | "roleCovers"> {
  const grantPairs: RbacGrantPair[] = [];
  const roleCovers: RbacSnapshot["roleCovers"] = {};
  // Covers is computed once per (servant, owner, where granted); most pairs fail the cheap
  // resource test, which looks the servant's resources up in the owner's written set.
  const memo = new Map<string, Map<string, boolean>>(); // "n"/"c" + servant → owner → covered
  const written = new Map<string, ReadonlySet<string>>();
  const writtenBy = (role: string): ReadonlySet<string> => {
    let set = written.get(role);
    if (!set) written.set(role, (set = new Set((roles[role] as RbacRole).rules.flatMap((rule) => rule.resources))));
    return set;
  };
  const covering = (servant: string, owner: string, namespaced: boolean): boolean => {
    const id = namespaced ? `n${servant}` : `c${servant}`;
    let owners = memo.get(id);
    if (!owners) memo.set(id, (owners = new Map()));
    let covered = owners.get(owner);
    if (covered === undefined) {
      covered =
        !resourceGap(writtenBy(owner), writtenBy(servant), namespaced) &&
        covers((roles[owner] as RbacRole).rules, (roles[servant] as RbacRole).rules, namespaced);
      owners.set(owner, covered);
      if (covered) ((roleCovers[servant] ??= {})[owner] ??= {})[namespaced ? "namespace" : "cluster"] = true;
    }
    return covered;
  };
  for (const [subject, scopes] of Object.entries(grantsBySubject)) {
    for (const [scope, grants] of Object.entries(scopes)) {
      const cluster = scope === "cluster" ? undefined : scopes["cluster"];
      grants.forEach((grant, index) => {
        if (bindings[grant.binding]?.provenance !== "user" || !(grant.role in roles)) return;
        const consider = (other: RbacGrant, otherScope: string, otherIndex: number): void => {
          if (otherScope === scope && otherIndex === index) return;
          const sameRole = other.role === grant.role;
          const listed =
            (sameRole && otherScope === scope) ||
            (other.binding !== grant.binding &&
              (sameRole ? otherScope !== scope : other.role in roles && covering(grant.role, other.role, scope !== "cluster")));
          if (listed) {
            grantPairs.push({
              subject, scope, index, binding: grant.binding, role: grant.role,
              otherScope, otherIndex, otherBinding: other.binding, otherRole: other.role,
            });
          }
        };
        grants.forEach((other, otherIndex) => consider(other, scope, otherIndex));
        cluster?.forEach((other, otherIndex) => consider(other, "cluster", otherIndex));
      });
    }
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

/**
 * A resource the servant writes (in any rule, even one without verbs; `servant` and `owner`
 * are the resources each role's rules write) that no owner rule writes as itself, "*" or "*\/<subresource>". The policy checked this before Covers and
 * reported no cover when it held; kept so that verdicts stay the same.
 */
function resourceGap(owner: ReadonlySet<string>, servant: ReadonlySet<string>, namespaced: boolean): boolean {
  const scoped = clusterScopedResources();
  for (const resource of servant) {
    if (namespaced && scoped.has(resource.split("/")[0] as string)) continue;
    if (!writtenCovers(owner, resource)) return true;
  }
  return false;
}

function writtenCovers(written: ReadonlySet<string>, resource: string): boolean {
  if (written.has("*") || written.has(resource)) return true;
  const parts = resource.split("/");
  return parts.length === 2 && written.has(`*/${parts[1]}`);
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
