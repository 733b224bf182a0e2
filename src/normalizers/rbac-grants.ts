// The RbacSnapshot's grantsByRole index: per role, how many grants its bindings make, so that
// an access control (policies/kubecis/lib/rbac/holding.rego) sums these over the roles holding
// a permission instead of building one object per (binding, subject).
import { isClusterWideBinding, type RbacBinding } from "../types.js";

/**
 * A role's grants, each binding's distinct subjects counted once: [0] all, [1] through bindings
 * with provenance "user", [2] [3] the same through ClusterRoleBindings only, [4] [5] of [1] [3]
 * those to group-like subjects (a Group, or User system:anonymous); [6] [7] the index in the
 * role's bindings of the first user binding by name (code point order, as OPA compares strings)
 * that names a subject, any or a ClusterRoleBinding, -1 for none.
 */
export type RoleGrants = [number, number, number, number, number, number, number, number];

/** Subjects the access controls list first (lib.rbac `_group_like`). */
export function isGroupLike(subject: string): boolean {
  return subject.startsWith("Group:") || subject === "User:system:anonymous";
}

/** The grants of one role's bindings (bindingsByRole[key]). */
export function countGrants(bindings: readonly RbacBinding[]): RoleGrants {
  const counts: RoleGrants = [0, 0, 0, 0, 0, 0, -1, -1];
  for (let i = 0; i < bindings.length; i++) {
    const binding = bindings[i] as RbacBinding;
    const distinct = distinctSubjects(binding.subjects);
    const n = distinct.length;
    const cluster = isClusterWideBinding(binding.name);
    counts[0] += n;
    if (cluster) counts[2] += n;
    if (binding.provenance !== "user" || n === 0) continue;
    let groups = 0;
    for (const subject of distinct) if (isGroupLike(subject)) groups++;
    counts[1] += n;
    counts[4] += groups;
    if (counts[6] < 0 || codePointLess(binding.name, (bindings[counts[6]] as RbacBinding).name)) counts[6] = i;
    if (!cluster) continue;
    counts[3] += n;
    counts[5] += groups;
    if (counts[7] < 0 || codePointLess(binding.name, (bindings[counts[7]] as RbacBinding).name)) counts[7] = i;
  }
  return counts;
}

/** The subjects, each once (most bindings name one or two: no Set for those). */
function distinctSubjects(subjects: readonly string[]): readonly string[] {
  if (subjects.length < 2 || (subjects.length === 2 && subjects[0] !== subjects[1])) return subjects;
  return subjects.length === 2 ? [subjects[0] as string] : [...new Set(subjects)];
}

/** a < b in code point order (UTF-8 byte order), which UTF-16 `<` is not for astral characters. */
export function codePointLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return orderOfUnit(x) < orderOfUnit(y);
  }
  return a.length < b.length;
}

/** Surrogates (astral code points) sort after U+E000–U+FFFF in code point order. */
function orderOfUnit(unit: number): number {
  return unit >= 0xd800 && unit < 0xe000 ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}
