import { describe, expect, it } from "vitest";
import type { RbacBinding } from "../types.js";
import { codePointLess, countGrants } from "./rbac-grants.js";

const binding = (name: string, subjects: string[], provenance: RbacBinding["provenance"] = "user"): RbacBinding => ({ name, provenance, subjects });

describe("countGrants (grantsByRole)", () => {
  it("counts each binding's distinct subjects, by provenance, scope and group-like subject", () => {
    const bindings = [
      binding("RoleBinding:a/x", ["User:u", "Group:g", "User:u"]),
      binding("ClusterRoleBinding:c", ["Group:g", "Group:g", "User:system:anonymous", "ServiceAccount:a/s"]),
      binding("ClusterRoleBinding:p", ["Group:system:authenticated", "User:p"], "bootstrap"),
      binding("RoleBinding:a/empty", []),
      binding("RoleBinding:a/two", ["User:v", "User:v"]),
    ];
    expect(countGrants(bindings)).toEqual([
      2 + 3 + 2 + 0 + 1, // all
      2 + 3 + 1, // user bindings
      3 + 2, // ClusterRoleBindings
      3, // user ClusterRoleBindings
      1 + 2, // user grants to Group:* or User:system:anonymous
      2, // of them cluster-wide
      1, // first user binding naming a subject: "ClusterRoleBinding:c" < "RoleBinding:a/two" < "RoleBinding:a/x"
      1, // first user ClusterRoleBinding
    ]);
  });

  it("says -1 when no user binding names a subject", () => {
    expect(countGrants([binding("RoleBinding:a/empty", []), binding("RoleBinding:a/p", ["User:p"], "vendor")])).toEqual([1, 0, 0, 0, 0, 0, -1, -1]);
    expect(countGrants([])).toEqual([0, 0, 0, 0, 0, 0, -1, -1]);
  });

  it("finds the first binding by code point order, as OPA compares strings", () => {
    // U+FF01 is below U+1F600 in code points, above its UTF-16 surrogates.
    const [astral, bmp] = ["RoleBinding:a/\u{1F600}", "RoleBinding:a/\uFF01"];
    expect(astral < bmp).toBe(true); // UTF-16 order: the other way round
    expect(codePointLess(bmp, astral)).toBe(true);
    expect(codePointLess(astral, bmp)).toBe(false);
    expect(countGrants([binding(astral, ["User:u"]), binding(bmp, ["User:v"])])[6]).toBe(1);
    expect(codePointLess("RoleBinding:a/b", "RoleBinding:a/bc")).toBe(true);
    expect(codePointLess("RoleBinding:a/b", "RoleBinding:a/b")).toBe(false);
  });
});
