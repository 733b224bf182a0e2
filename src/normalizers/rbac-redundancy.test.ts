// Kubernetes' Covers as the host computes it for the duplicate-permission control (KRB-0003),
// and the grant pairs it lists for the policy to judge.
import { describe, expect, it } from "vitest";
import type { RbacRule } from "../types.js";
import { covers, redundancyIndex, RuleCovers, type GrantSource } from "./rbac-redundancy.js";

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[] = []): RbacRule => ({
  verbs,
  apiGroups,
  resources,
  resourceNames,
  nonResourceURLs: [],
});
const urls = (verbs: string[], nonResourceURLs: string[]): RbacRule => ({ verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs });

describe("covers (component-helpers policy_comparator.go)", () => {
  it("needs every verb, group, resource and name of the servant in one owner rule", () => {
    expect(covers([rule(["get", "list"], [""], ["pods", "services"])], [rule(["get"], [""], ["pods"])], false)).toBe(true);
    expect(covers([rule(["get"], [""], ["pods"]), rule(["list"], [""], ["services"])], [rule(["get"], [""], ["pods", "services"])], false)).toBe(false);
    expect(covers([rule(["*"], ["*"], ["*"])], [rule(["delete"], ["apps"], ["deployments/scale"])], false)).toBe(true);
    expect(covers([rule(["get"], ["apps"], ["pods"])], [rule(["get"], [""], ["pods"])], false)).toBe(false);
  });

  it("matches */subresource but not resource/*", () => {
    expect(covers([rule(["get"], [""], ["*/log"])], [rule(["get"], [""], ["pods/log"])], false)).toBe(true);
    expect(covers([rule(["get"], [""], ["pods/*"])], [rule(["get"], [""], ["pods/log"])], false)).toBe(false);
  });

  it("lets an unrestricted rule cover named resources, never the other way round", () => {
    const named = rule(["get"], [""], ["secrets"], ["a", "b"]);
    expect(covers([named], [rule(["get"], [""], ["secrets"], ["a"])], false)).toBe(true);
    expect(covers([rule(["get"], [""], ["secrets"], ["a"])], [named], false)).toBe(false);
    expect(covers([named], [rule(["get"], [""], ["secrets"])], false)).toBe(false);
    expect(covers([rule(["get"], [""], ["secrets"])], [named], false)).toBe(true);
  });

  it("matches nonResourceURLs exactly or by a trailing *", () => {
    expect(covers([urls(["get"], ["/healthz"])], [urls(["get"], ["/healthz"])], false)).toBe(true);
    expect(covers([urls(["get"], ["/healthz"])], [urls(["get"], ["/version"])], false)).toBe(false);
    expect(covers([urls(["get"], ["/*"])], [urls(["get"], ["/version", "/healthz"])], false)).toBe(true);
    expect(covers([urls(["post"], ["/*"])], [urls(["get"], ["/version"])], false)).toBe(false);
  });

  it("skips what a RoleBinding cannot grant: cluster-scoped resources and nonResourceURLs", () => {
    const servant = [rule(["get"], [""], ["nodes", "pods"]), urls(["get"], ["/metrics"])];
    expect(covers([rule(["get"], [""], ["pods"])], servant, true)).toBe(true);
    expect(covers([rule(["get"], [""], ["pods"])], servant, false)).toBe(false);
  });

  it("keeps what a RoleBinding does grant on a cluster-scoped resource: bind on clusterroles, the Namespace object", () => {
    const binder = [rule(["bind"], ["rbac.authorization.k8s.io"], ["clusterroles"], ["edit"])];
    expect(covers([rule(["get"], [""], ["pods"])], binder, true)).toBe(false);
    expect(covers([rule(["get"], [""], ["pods"])], [rule(["escalate"], ["rbac.authorization.k8s.io"], ["clusterroles"])], true)).toBe(true);
    expect(covers([rule(["get"], [""], ["pods"])], [rule(["*"], ["rbac.authorization.k8s.io"], ["clusterroles"])], true)).toBe(false);
    expect(covers([rule(["get"], [""], ["pods"])], [rule(["get"], [""], ["namespaces"])], true)).toBe(false);
  });

  // Scope belongs to a group and a resource together (data.kubecis.rbac.cluster_scoped): what a
  // RoleBinding cannot grant is the built-in cluster-scoped resource of the rule's group, never a
  // CustomResource that happens to share its name, and never what apiGroups "*" may reach.
  it("skips a cluster-scoped resource only in its own API group", () => {
    const owner = [rule(["get"], [""], ["pods"])];
    // A namespaced CustomResource named nodes: a RoleBinding grants it, so the pods owner does not cover it.
    expect(covers(owner, [rule(["get"], ["example.com"], ["nodes", "nodes/status"]), rule(["get"], [""], ["pods"])], true)).toBe(false);
    expect(covers(owner, [rule(["get"], ["*"], ["nodes"])], true)).toBe(false);
    // Built-in cluster-scoped resources of other groups, and the impersonation targets: nothing through a RoleBinding.
    for (const [group, resource] of [
      ["networking.k8s.io", "ipaddresses"],
      ["networking.k8s.io", "servicecidrs"],
      ["resource.k8s.io", "resourceslices"],
      ["resource.k8s.io", "deviceclasses"],
      ["storage.k8s.io", "volumeattributesclasses"],
      ["storagemigration.k8s.io", "storageversionmigrations"],
      ["", "users"],
      ["authentication.k8s.io", "userextras"],
      ["certificates.k8s.io", "signers"],
    ] as const) {
      expect(covers(owner, [rule(["get", "impersonate", "approve"], [group], [resource])], true), `${group}/${resource}`).toBe(true);
      expect(covers(owner, [rule(["get"], [group], [resource])], false), `${group}/${resource} cluster-wide`).toBe(false);
    }
    // The same names in a group where they are not built-in keep counting.
    expect(covers(owner, [rule(["get"], ["example.com"], ["ipaddresses"])], true)).toBe(false);
    expect(covers(owner, [rule(["get"], [""], ["ipaddresses"])], true)).toBe(false);
  });
});

describe("RuleCovers (covers on bit sets over a rule table)", () => {
  it("agrees with covers on seeded random roles, both where a grant can be", () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const some = (values: string[], most: number): string[] => [...new Set(Array.from({ length: Math.floor(random() * (most + 1)) }, () => values[Math.floor(random() * values.length)]!))];
    const resources = ["pods", "secrets", "*", "pods/exec", "*/exec", "*/scale", "deployments/scale", "nodes", "namespaces", "pods/*", "clusterroles"];
    let covered = 0;
    let checked = 0;
    for (let table = 0; table < 40; table++) {
      const rules = Array.from({ length: 5 + Math.floor(random() * 60) }, () => ({
        verbs: some(["get", "list", "*", "create", "delete", "bind"], 3),
        apiGroups: some(["", "apps", "*"], 2),
        resources: some(resources, 3),
        resourceNames: random() < 0.3 ? some(["a", "b"], 2) : [],
        nonResourceURLs: random() < 0.3 ? some(["/healthz", "/api/*", "*", "/api/v1"], 2) : [],
      }));
      const ids = rules.map((_, id) => String(id));
      const ruleCovers = new RuleCovers(rules);
      for (let pair = 0; pair < 100; pair++) {
        const owner = some(ids, 8).map(Number);
        const servant = some(ids, 3).map(Number);
        const namespaced = random() < 0.5;
        const expected = covers(owner.map((id) => rules[id]!), servant.map((id) => rules[id]!), namespaced);
        expect(ruleCovers.covers(ruleCovers.setOf(owner), servant, namespaced)).toBe(expected);
        checked++;
        if (expected) covered++;
      }
    }
    // Both answers are exercised.
    expect(covered).toBeGreaterThan(checked / 10);
    expect(covered).toBeLessThan(checked - checked / 10);
  });
});

/** redundancyIndex over roles given with their rules (stored once, named by index, as the normalizer does). */
function indexOf(roles: Record<string, RbacRule[]>, roleKeys: string[], grants: Map<string, GrantSource[]>) {
  const rules = [...new Set(Object.values(roles).flat())];
  return redundancyIndex(grants, roleKeys, rules, (id) => roles[roleKeys[id]!]?.map((r) => rules.indexOf(r)));
}

describe("redundancyIndex", () => {
  const roles: Record<string, RbacRule[]> = {
    "ClusterRole:view": [rule(["get", "list"], [""], ["pods", "services"])],
    "ClusterRole:pods": [rule(["get"], [""], ["pods"])],
    "ClusterRole:secrets": [rule(["get"], [""], ["secrets"])],
  };
  const roleKeys = ["ClusterRole:view", "ClusterRole:pods", "ClusterRole:secrets", "ClusterRole:gone"];
  const binding = (key: string, role: string, scope: string, provenance: GrantSource["provenance"] = "user"): GrantSource => ({
    key, role, roleId: roleKeys.indexOf(role), scope, provenance,
  });
  const bindings: Record<string, GrantSource> = {
    "RoleBinding:a/pods": binding("RoleBinding:a/pods", "ClusterRole:pods", "a"),
    "RoleBinding:a/secrets": binding("RoleBinding:a/secrets", "ClusterRole:secrets", "a"),
    "RoleBinding:a/pods-again": binding("RoleBinding:a/pods-again", "ClusterRole:pods", "a"),
    "ClusterRoleBinding:view": binding("ClusterRoleBinding:view", "ClusterRole:view", "cluster", "bootstrap"),
    "RoleBinding:a/gone": binding("RoleBinding:a/gone", "ClusterRole:gone", "a"),
  };
  const index = indexOf(roles, roleKeys, new Map([["User:u", Object.values(bindings)]]));

  const grant = (key: string) => ({ binding: key, role: bindings[key]!.role, scope: bindings[key]!.scope, provenance: bindings[key]!.provenance });

  it("lists same-role twins and covered grants, not unrelated ones, missing roles or platform grants as the reported side", () => {
    // Only the grants in some pair, in binding order; pairs are [grant, other] positions among them.
    expect(index.grantPairs).toEqual({
      "User:u": {
        grants: [grant("RoleBinding:a/pods"), grant("RoleBinding:a/pods-again"), grant("ClusterRoleBinding:view")],
        pairs: [
          [0, 1],
          [0, 2],
          [1, 0],
          [1, 2],
        ],
      },
    });
  });

  it("records only true Covers facts, where they were asked", () => {
    expect(index.roleCovers).toEqual({ "ClusterRole:pods": { "ClusterRole:view": { namespace: true } } });
  });
  it("never pairs a grant that gives nothing where it is granted (reported as ineffective instead)", () => {
    const more = { ...roles, "ClusterRole:nodes": [rule(["get"], [""], ["nodes"])] };
    const keys = [...roleKeys, "ClusterRole:nodes"];
    const nodes = { key: "RoleBinding:a/nodes", role: "ClusterRole:nodes", roleId: keys.indexOf("ClusterRole:nodes"), scope: "a", provenance: "user" as const };
    const twice = { ...nodes, key: "RoleBinding:a/nodes-again" };
    const pods = { ...bindings["RoleBinding:a/secrets"]!, roleId: keys.indexOf("ClusterRole:secrets") };
    const found = indexOf(more, keys, new Map([["User:u", [nodes, twice, pods]]]));
    expect(found.grantPairs).toEqual({});
    // Cluster-wide it gives get nodes: two such grants are twins.
    const wide = indexOf(more, keys, new Map([["User:u", [{ ...nodes, scope: "cluster", key: "ClusterRoleBinding:n" }, { ...twice, scope: "cluster", key: "ClusterRoleBinding:n2" }]]]));
    expect(Object.keys(wide.grantPairs)).toEqual(["User:u"]);
  });
});

describe("redundancyIndex resource test before Covers", () => {
  const roles: Record<string, RbacRule[]> = {
    "ClusterRole:logs": [rule(["get"], [""], ["pods/log"])],
    "ClusterRole:any-log": [rule(["get", "list"], [""], ["*/log"])],
    "ClusterRole:all": [rule(["*"], ["*"], ["*"])],
    "ClusterRole:nodes-pods": [rule(["get"], [""], ["nodes", "pods"])],
    "ClusterRole:pods": [rule(["get"], [""], ["pods"])],
    "ClusterRole:no-verbs-nodes": [rule([], [""], ["nodes"]), rule(["get"], [""], ["pods"])],
  };
  const roleKeys = Object.keys(roles);
  const grant = (key: string, role: string, scope: string): GrantSource => ({ key, role, roleId: roleKeys.indexOf(role), scope, provenance: "user" });
  // The servant's Covers facts (the other direction is asked too: both grants are user grants).
  const coversOf = (servant: string, owner: string, scope: string) =>
    indexOf(roles, roleKeys, new Map([["User:u", [grant(scope === "cluster" ? "ClusterRoleBinding:s" : `RoleBinding:${scope}/s`, servant, scope), grant("ClusterRoleBinding:o", owner, "cluster")]]])).roleCovers[
      servant
    ] ?? {};

  it("lets */subresource and * write a resource", () => {
    expect(coversOf("ClusterRole:logs", "ClusterRole:any-log", "a")).toEqual({ "ClusterRole:any-log": { namespace: true } });
    expect(coversOf("ClusterRole:logs", "ClusterRole:all", "a")).toEqual({ "ClusterRole:all": { namespace: true } });
    expect(coversOf("ClusterRole:any-log", "ClusterRole:logs", "a")).toEqual({});
  });

  it("needs cluster-scoped resources only where the grant is cluster-wide, even in a rule without verbs", () => {
    expect(coversOf("ClusterRole:nodes-pods", "ClusterRole:pods", "a")).toEqual({ "ClusterRole:pods": { namespace: true } });
    expect(coversOf("ClusterRole:nodes-pods", "ClusterRole:pods", "cluster")).toEqual({});
    expect(coversOf("ClusterRole:no-verbs-nodes", "ClusterRole:pods", "cluster")).toEqual({});
    expect(coversOf("ClusterRole:no-verbs-nodes", "ClusterRole:pods", "a")).toEqual({ "ClusterRole:pods": { namespace: true } });
  });
});
