// Kubernetes' Covers as the host computes it for the duplicate-permission control (KRB-0003),
// and the grant pairs it lists for the policy to judge.
import { describe, expect, it } from "vitest";
import type { RbacBinding, RbacRole, RbacRule } from "../types.js";
import { covers, redundancyIndex } from "./rbac-redundancy.js";

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
});

describe("redundancyIndex", () => {
  const roles: Record<string, RbacRole> = {
    "ClusterRole:view": { kind: "ClusterRole", name: "view", provenance: "bootstrap", rules: [rule(["get", "list"], [""], ["pods", "services"])] },
    "ClusterRole:pods": { kind: "ClusterRole", name: "pods", provenance: "user", rules: [rule(["get"], [""], ["pods"])] },
    "ClusterRole:secrets": { kind: "ClusterRole", name: "secrets", provenance: "user", rules: [rule(["get"], [""], ["secrets"])] },
  };
  const binding = (name: string, role: string, scope: string, provenance: RbacBinding["provenance"] = "user"): RbacBinding => ({
    kind: scope === "cluster" ? "ClusterRoleBinding" : "RoleBinding",
    name,
    ...(scope === "cluster" ? {} : { namespace: scope }),
    provenance,
    role,
    roleExists: role in roles,
    scope,
    subjects: ["User:u"],
  });
  const bindings: Record<string, RbacBinding> = {
    "RoleBinding:a/pods": binding("pods", "ClusterRole:pods", "a"),
    "RoleBinding:a/secrets": binding("secrets", "ClusterRole:secrets", "a"),
    "RoleBinding:a/pods-again": binding("pods-again", "ClusterRole:pods", "a"),
    "ClusterRoleBinding:view": binding("view", "ClusterRole:view", "cluster", "bootstrap"),
  };
  const grant = (key: string) => ({ binding: key, role: bindings[key]!.role, scope: bindings[key]!.scope });
  const index = redundancyIndex(
    {
      "User:u": {
        a: [grant("RoleBinding:a/pods"), grant("RoleBinding:a/secrets"), grant("RoleBinding:a/pods-again")],
        cluster: [grant("ClusterRoleBinding:view")],
      },
    },
    roles,
    bindings,
  );

  const pair = (index: number, key: string, otherScope: string, otherIndex: number, otherKey: string) => ({
    subject: "User:u", scope: "a", index, binding: key, role: bindings[key]!.role,
    otherScope, otherIndex, otherBinding: otherKey, otherRole: bindings[otherKey]!.role,
  });

  it("lists same-role twins and covered grants, not unrelated ones or platform grants as the reported side", () => {
    expect(index.grantPairs).toEqual([
      pair(0, "RoleBinding:a/pods", "a", 2, "RoleBinding:a/pods-again"),
      pair(0, "RoleBinding:a/pods", "cluster", 0, "ClusterRoleBinding:view"),
      pair(2, "RoleBinding:a/pods-again", "a", 0, "RoleBinding:a/pods"),
      pair(2, "RoleBinding:a/pods-again", "cluster", 0, "ClusterRoleBinding:view"),
    ]);
  });

  it("records only true Covers facts, where they were asked", () => {
    expect(index.roleCovers).toEqual({ "ClusterRole:pods": { "ClusterRole:view": { namespace: true } } });
  });
});
