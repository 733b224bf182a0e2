// The join behind the duplicate-permission control (KRB-0003), done in the host: which pairs
// of a subject's grants can be redundant, and which roles Cover which (Kubernetes' Covers,
// component-helpers/auth/rbac/validation/policy_comparator.go). The WASM target has no rule
// or comprehension indexing, and pairing every subject's grants there cost 12 s at 100k
// bindings; here it is a few Map lookups per pair. The policy still judges every pair
// (removable binding, which of two twins to report, the Covers fact) and builds the findings.
import { PolicyError } from "../errors.js";
import { hostDataPath } from "../paths.js";
import { loadHostData } from "./host-data.js";
import { isClusterWideBinding, type Provenance, type RbacGrant, type RbacRule, type RbacSnapshot } from "../types.js";

/** Per API group, per built-in cluster-scoped resource: the verbs Kubernetes checks in a namespace on it. */
let clusterScoped: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>> | undefined;

/**
 * data.kubecis.rbac.cluster_scoped (source, with its upstream references:
 * policies/kubecis/rbac/data.yaml), through loadHostData: the very table the policies judge
 * with (lib/rbac/scope.rego). A PolicyError when it is misshapen, so that a damaged install
 * never judges with a shorter table.
 */
export function clusterScopedResources(): ReadonlyMap<string, ReadonlyMap<string, readonly string[]>> {
  if (clusterScoped) return clusterScoped;
  const table: unknown = loadHostData().rbac?.cluster_scoped;
  const bad = (): never => {
    throw new PolicyError(`${hostDataPath}: rbac.cluster_scoped is not a map of API groups to resources`);
  };
  if (typeof table !== "object" || table === null || Array.isArray(table)) bad();
  const groups = new Map<string, ReadonlyMap<string, readonly string[]>>();
  for (const [group, entries] of Object.entries(table as Record<string, unknown>)) {
    if (typeof entries !== "object" || entries === null || Array.isArray(entries)) bad();
    const resources = new Map<string, readonly string[]>();
    for (const [resource, entry] of Object.entries(entries as Record<string, unknown>)) {
      const checked: unknown = (entry as { namespace_checked?: unknown } | null)?.namespace_checked ?? [];
      if (!Array.isArray(checked) || checked.some((verb) => typeof verb !== "string")) bad();
      resources.set(resource, checked as string[]);
    }
    groups.set(group, resources);
  }
  clusterScoped = groups;
  return clusterScoped;
}

/**
 * Whether a RoleBinding grants `verb` on `resource` of API group `group`: the resource is not
 * a built-in cluster-scoped one of that group (a namespaced one, or a CustomResource of unknown
 * scope, which counts as granted so that no risk is hidden), or it is one Kubernetes checks that
 * verb on in a namespace (namespace_checked: bind on clusterroles, BindingAuthorized); "*"
 * includes those verbs. Group "*" also matches any CustomResource of that name, so it counts as
 * granted. lib.rbac's granted_nowhere_in_namespace states the same rule for the policies.
 */
export function grantedInNamespace(group: string, resource: string, verb: string): boolean {
  const checked = namespaceChecked(group, resource);
  if (checked === undefined) return true;
  return verb === "*" ? checked.length > 0 : checked.includes(verb);
}

/** The verbs checked in a namespace on a built-in cluster-scoped resource of group (not "*"); undefined for any other. */
function namespaceChecked(group: string, resource: string): readonly string[] | undefined {
  return group === "*" ? undefined : clusterScopedResources().get(group)?.get(resource.split("/")[0] as string);
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
 * binding order, and each pair is [grant, other] as positions in that list. `rules` are the
 * distinct rules; `ruleIdsOf(roleId)` gives the rules of the role numbered roleId (its index
 * in `roleKeys`) as indexes into them, undefined for a role the input lacks. `assumed(roleId)`
 * tells a bootstrap role the input lacks but the API server creates (assumedRoles): it exists,
 * so two grants of it are a duplicate, but its rules are unknown, so it covers nothing and
 * nothing is judged to cover it.
 */
export function redundancyIndex(
  grantsBySubject: Iterable<readonly [string, readonly GrantSource[]]>,
  roleKeys: readonly string[],
  rules: readonly RbacRule[],
  ruleIdsOf: (roleId: number) => readonly number[] | undefined,
  assumed: (roleId: number) => boolean = () => false,
): Pick<RbacSnapshot, "grantPairs" | "roleCovers"> {
  const grantPairs: RbacSnapshot["grantPairs"] = {};
  const roleCovers: RbacSnapshot["roleCovers"] = {};
  const resources = new ResourceBits(rules);
  // Per role number, each computed when first asked: whether the input has the role, its
  // resource bits (see ResourceBits) and its rules.
  const state = new Uint8Array(roleKeys.length); // 0 not asked yet, 1 missing, 2 present
  const bits = new Uint32Array(roleKeys.length * resources.stride);
  const exists = (id: number): boolean => {
    if (state[id] === 0) {
      const ids = ruleIdsOf(id);
      state[id] = ids === undefined ? 1 : 2;
      if (ids !== undefined) resources.ofRole(ids, bits, id * resources.stride);
    }
    return state[id] === 2;
  };
  // Covers on bit sets over the distinct rules (RuleCovers), with each owner's rules as a set.
  const ruleCovers = new RuleCovers(rules);
  const owners: (Uint32Array | undefined)[] = [];
  const ownerOf = (id: number): Uint32Array => (owners[id] ??= ruleCovers.setOf(ruleIdsOf(id) as readonly number[]));
  // Covers is computed once per (servant, owner, where granted), and only when every resource
  // the servant needs there is written by the owner (most pairs fail that bit test).
  const memo = new Map<number, Map<number, boolean>>(); // servant and where → owner → covered
  const covering = (s: number, o: number, namespaced: boolean): boolean => {
    if (resources.gap(bits, o * resources.stride, s * resources.stride, namespaced)) return false;
    const at = s * 2 + (namespaced ? 1 : 0);
    let owners = memo.get(at);
    if (!owners) memo.set(at, (owners = new Map()));
    let covered = owners.get(o);
    if (covered === undefined) {
      covered = ruleCovers.covers(ownerOf(o), ruleIdsOf(s) as readonly number[], namespaced);
      owners.set(o, covered);
      if (covered) ((roleCovers[roleKeys[s] as string] ??= {})[roleKeys[o] as string] ??= {})[namespaced ? "namespace" : "cluster"] = true;
    }
    return covered;
  };
  const gives = new Map<number, boolean>(); // role and where (id * 2 + namespaced) → grants something there
  const grantsAny = (id: number, namespaced: boolean): boolean => {
    const at = id * 2 + (namespaced ? 1 : 0);
    let any = gives.get(at);
    if (any === undefined) gives.set(at, (any = ruleCovers.grantsAny(ruleIdsOf(id) as readonly number[], namespaced)));
    return any;
  };
  const pairs: number[] = []; // flat: grant, other, grant, other, … (positions among the subject's grants)
  for (const [subject, all] of grantsBySubject) {
    pairs.length = 0;
    for (let at = 0; at < all.length; at++) {
      const grant = all[at] as GrantSource;
      const role = grant.roleId;
      if (grant.provenance !== "user" || !(exists(role) || assumed(role))) continue;
      const { scope, key } = grant;
      const namespaced = !isClusterWideBinding(key);
      // A grant that gives nothing where it is granted (a RoleBinding to a nodes-only
      // ClusterRole, an empty role) is reported once, as ineffective (KRB-0017), not as
      // redundant: Covers would hold for it vacuously.
      if (exists(role) && !grantsAny(role, namespaced)) continue;
      for (let otherAt = 0; otherAt < all.length; otherAt++) {
        if (otherAt === at) continue;
        const other = all[otherAt] as GrantSource;
        // The other grant is in the same scope, or cluster-wide for a grant in a namespace.
        const otherNamespaced = !isClusterWideBinding(other.key);
        const same = otherNamespaced === namespaced && other.scope === scope;
        if (!same && !(namespaced && !otherNamespaced)) continue;
        const otherRole = other.roleId;
        const sameRole = otherRole === role;
        const listed =
          (sameRole && same) ||
          (other.key !== key && (sameRole ? !same : exists(role) && exists(otherRole) && covering(role, otherRole, namespaced)));
        if (listed) pairs.push(at, otherAt);
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
 * The cheap test before Covers, on bit sets over every resource the rules name: a role needs
 * (where it is granted) the resources its rules name, less built-in cluster-scoped ones of all
 * its groups through a RoleBinding (unless a verb of the rule is grantedInNamespace), in any rule, even one without verbs; an owner writes a resource when one of its
 * rules names it, "*" or "*\/<subresource>". A needed resource that the owner does not write
 * is a gap: no Cover. The policy checked this before Covers and reported no cover when it
 * held; kept so that verdicts stay the same. Per role, `stride` words of each of three sets:
 * written, needed cluster-wide, needed in a namespace.
 */
class ResourceBits {
  readonly stride: number;
  private readonly words: number;
  /** Per rule, the three sets (written, needed cluster-wide, needed in a namespace). */
  private readonly ofRule: Uint32Array;

  constructor(rules: readonly RbacRule[]) {
    const index = new Map<string, number>();
    for (const rule of rules) for (const resource of rule.resources) if (!index.has(resource)) index.set(resource, index.size);
    this.words = Math.max(1, Math.ceil(index.size / 32));
    this.stride = this.words * 3;
    this.ofRule = new Uint32Array(rules.length * this.stride);
    const all = [...index.keys()];
    rules.forEach((rule, id) => {
      const base = id * this.stride;
      const set = (part: number, bit: number): void => {
        (this.ofRule[base + part * this.words + (bit >>> 5)] as number) |= 1 << (bit & 31);
      };
      const named = new Set(rule.resources);
      all.forEach((resource, bit) => {
        const parts = resource.split("/");
        if (named.has("*") || named.has(resource) || (parts.length === 2 && named.has(`*/${parts[1]}`))) set(0, bit);
      });
      for (const resource of named) {
        const bit = index.get(resource) as number;
        set(1, bit);
        // A rule without groups is read as the core group's, as before groups were told apart.
        const groups = rule.apiGroups.length > 0 ? rule.apiGroups : [""];
        if (groups.some((group) => namespaceChecked(group, resource) === undefined || rule.verbs.some((verb) => grantedInNamespace(group, resource, verb)))) set(2, bit);
      }
    });
  }

  /** Writes the union of the rules' sets at out[at…]. */
  ofRole(ruleIds: readonly number[], out: Uint32Array, at: number): void {
    for (const id of ruleIds) {
      const base = id * this.stride;
      for (let w = 0; w < this.stride; w++) (out[at + w] as number) |= this.ofRule[base + w] as number;
    }
  }

  /** Whether the servant (its sets at bits[servant…]) needs a resource the owner does not write. */
  gap(bits: Uint32Array, owner: number, servant: number, namespaced: boolean): boolean {
    const needed = servant + (namespaced ? 2 : 1) * this.words;
    for (let w = 0; w < this.words; w++) {
      if (((bits[needed + w] as number) & ~(bits[owner + w] as number)) !== 0) return true;
    }
    return false;
  }
}

/**
 * covers() for many pairs of roles over one table of distinct rules, on bit sets over those
 * rules: an atom of a servant rule (verb, apiGroup, resource, resourceName; or verb,
 * nonResourceURL) is allowed by the rules that allow each of its parts, and an owner covers
 * it when one of its rules is among them. Each part's rules are found once, by the very tests
 * covers() makes (has, resourceCovers, nameCovers, urlMatches); each servant rule's atoms once
 * per place of grant.
 */
export class RuleCovers {
  private readonly words: number;
  /** Per part ("v" verb, "g" apiGroup, "r" resource, "n" resourceName, "u" nonResourceURL): the rules that allow it. */
  private readonly parts = new Map<string, Uint32Array>();
  /** Per servant rule and place (id * 2 + namespaced): per atom, the rules that allow it. */
  private readonly atoms: (Uint32Array[] | undefined)[] = [];

  constructor(private readonly rules: readonly RbacRule[]) {
    this.words = Math.max(1, Math.ceil(rules.length / 32));
  }

  /** The rules `ids` (indexes into the table) as a bit set. */
  setOf(ids: readonly number[]): Uint32Array {
    const set = new Uint32Array(this.words);
    for (const id of ids) (set[id >>> 5] as number) |= 1 << (id & 31);
    return set;
  }

  /** covers(the owner's rules, the servant's rules, namespaced), the owner given as setOf its rules and the servant as its rules' indexes. */
  covers(owner: Uint32Array, servant: readonly number[], namespaced: boolean): boolean {
    for (const id of servant) {
      for (const allowing of this.atomsOf(id, namespaced)) {
        let allowed = false;
        for (let w = 0; w < this.words && !allowed; w++) allowed = ((allowing[w] as number) & (owner[w] as number)) !== 0;
        if (!allowed) return false;
      }
    }
    return true;
  }

  /** Whether the rules `ids` give anything (one atom) through a grant in that place. */
  grantsAny(ids: readonly number[], namespaced: boolean): boolean {
    return ids.some((id) => this.atomsOf(id, namespaced).length > 0);
  }

  /** The atoms of rule `id` that a grant in that place gives (as covers() enumerates them), each as the rules that allow it. */
  private atomsOf(id: number, namespaced: boolean): Uint32Array[] {
    const at = id * 2 + (namespaced ? 1 : 0);
    const known = this.atoms[at];
    if (known) return known;
    const rule = this.rules[id] as RbacRule;
    const atoms: Uint32Array[] = [];
    const names = rule.resourceNames.length > 0 ? rule.resourceNames : [""];
    for (const resource of rule.resources) {
      const r = this.part("r", resource, (o) => resourceCovers(o.resources, resource));
      for (const verb of rule.verbs) {
        const v = this.part("v", verb, (o) => has(o.verbs, verb));
        for (const group of rule.apiGroups) {
          if (namespaced && !grantedInNamespace(group, resource, verb)) continue;
          const g = this.part("g", group, (o) => has(o.apiGroups, group));
          for (const name of names) atoms.push(this.both(this.both(r, v), this.both(g, this.part("n", name, (o) => nameCovers(o.resourceNames, name)))));
        }
      }
    }
    if (!namespaced) {
      for (const url of rule.nonResourceURLs) {
        const u = this.part("u", url, (o) => o.nonResourceURLs.some((pattern) => urlMatches(pattern, url)));
        for (const verb of rule.verbs) atoms.push(this.both(u, this.part("v", verb, (o) => has(o.verbs, verb))));
      }
    }
    this.atoms[at] = atoms;
    return atoms;
  }

  /** The rules that allow a part (kind and value), found once by testing every rule. */
  private part(kind: string, value: string, allows: (rule: RbacRule) => boolean): Uint32Array {
    const key = kind + value;
    let set = this.parts.get(key);
    if (!set) {
      set = new Uint32Array(this.words);
      this.rules.forEach((rule, id) => {
        if (allows(rule)) (set as Uint32Array)[id >>> 5] = ((set as Uint32Array)[id >>> 5] as number) | (1 << (id & 31));
      });
      this.parts.set(key, set);
    }
    return set;
  }

  private both(a: Uint32Array, b: Uint32Array): Uint32Array {
    const set = new Uint32Array(this.words);
    for (let w = 0; w < this.words; w++) set[w] = (a[w] as number) & (b[w] as number);
    return set;
  }
}

/**
 * Kubernetes' Covers: every atom (verb, apiGroup, resource, resourceName; or verb,
 * nonResourceURL) of the servant rules is allowed by one owner rule. namespaced: the servant
 * is granted by a RoleBinding, so its atoms on built-in cluster-scoped resources of their group
 * (but those grantedInNamespace) and its nonResourceURLs grant nothing and are skipped. The statement of the semantics, kept as the
 * reference that RuleCovers (what redundancyIndex runs) is tested against.
 */
export function covers(owner: readonly RbacRule[], servant: readonly RbacRule[], namespaced: boolean): boolean {
  for (const rule of servant) {
    const names = rule.resourceNames.length > 0 ? rule.resourceNames : [""];
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        for (const group of rule.apiGroups) {
          if (namespaced && !grantedInNamespace(group, resource, verb)) continue;
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
