// Bindings' references while a snapshot is built: the roles their roleRefs name and the
// subjects they name, each keyed once (later references find theirs by the names as
// written), with Kubernetes' defaulting of a RoleBinding's ServiceAccount subject.
import type { RbacBinding, RbacBindingRef } from "../types.js";
import type { RoleEntry } from "./rbac-aggregation.js";
import type { GrantSource } from "./rbac-redundancy.js";
import { isObject, joinKey } from "./rbac-rules.js";

/** A binding while the snapshot is built; it is also one grant of each subject it names. */
export interface BindingEntry extends GrantSource {
  /** The output binding (its subjects are filled in the pass over the bindings). */
  out: RbacBinding;
  refKind: string;
  refName: string;
  rawSubjects: unknown[];
  namespace: string | undefined;
}

/** A role key that bindings reference, numbered in order of first reference (GrantSource.roleId). */
export interface ReferencedRole {
  id: number;
  key: string;
  /** The role, undefined when the input lacks it. */
  role: RoleEntry | undefined;
  bindings: RbacBinding[];
  /** Missing, but a bootstrap ClusterRole the API server creates, while the input holds none (assumedRoles). */
  assumed: boolean;
}

/** A subject while the snapshot is built: its key, its grants in binding order, and whether it is a ServiceAccount the collected ones lack. */
export interface SubjectEntry {
  key: string;
  grants: BindingEntry[];
  missing: boolean;
}

/** The roles that bindings reference, in order of first reference. */
export class RoleReferences {
  readonly list: ReferencedRole[] = [];
  readonly byKey = new Map<string, ReferencedRole>();
  /** Keys of the missing ClusterRoles assumed to exist (assumedRoles), in order of first reference. */
  readonly assumed: string[] = [];
  private readonly clusterRoleRefs = new Map<string, ReferencedRole>(); // name → role
  private readonly roleRefs = new Map<string, Map<string, ReferencedRole>>(); // namespace → name → role

  /**
   * @param roles the input's roles by key
   * @param assumable whether a missing ClusterRole of this name is assumed to exist
   */
  constructor(
    private readonly roles: ReadonlyMap<string, RoleEntry>,
    private readonly assumable: (name: string) => boolean,
  ) {}

  /** The role a binding's roleRef names. */
  of(binding: BindingEntry): ReferencedRole {
    const isRole = binding.refKind === "Role";
    let names = this.clusterRoleRefs;
    if (isRole) {
      const namespace = binding.namespace as string;
      names = this.roleRefs.get(namespace) as Map<string, ReferencedRole>;
      if (!names) this.roleRefs.set(namespace, (names = new Map()));
    }
    const name = binding.refName;
    let role = names.get(name);
    if (!role) {
      const key = isRole ? joinKey("Role:", binding.namespace as string, "/", name) : joinKey("ClusterRole:", name);
      role = this.byKey.get(key);
      if (!role) {
        const entry = this.roles.get(key);
        const isAssumed = !isRole && entry === undefined && this.assumable(name);
        role = { id: this.list.length, key, role: entry, bindings: [], assumed: isAssumed };
        this.byKey.set(key, role);
        this.list.push(role);
        if (isAssumed) this.assumed.push(key);
      }
      names.set(name, role);
    }
    return role;
  }
}

/** The subjects that bindings name, in order of first mention. */
export class Subjects {
  readonly list: SubjectEntry[] = [];
  private readonly byKey = new Map<string, SubjectEntry>();
  private readonly users = new Map<string, SubjectEntry>(); // name → subject
  private readonly groups = new Map<string, SubjectEntry>();
  private readonly serviceAccounts = new Map<string, Map<string, SubjectEntry>>(); // namespace → name → subject

  /** @param isMissingServiceAccount whether "<namespace>/<name>" is a ServiceAccount the input lacks */
  constructor(private readonly isMissingServiceAccount: (namespacedName: string) => boolean) {}

  /**
   * A subject with Kubernetes' defaulting: a RoleBinding's ServiceAccount without namespace is in
   * the binding's. A User named as a ServiceAccount authenticates (system:serviceaccount:<ns>:<name>)
   * is that ServiceAccount: the authorizer matches a User subject by user name (appliesToUser,
   * plugin/pkg/auth/authorizer/rbac/subject_locator.go and rbac.go).
   */
  of(raw: unknown, bindingNamespace: string | undefined): SubjectEntry | undefined {
    if (!isObject(raw)) return undefined;
    const kind = raw["kind"];
    const written = raw["name"];
    if (typeof written !== "string" || written === "") return undefined;
    let name: string = written;
    const serviceAccountUser = kind === "User" ? SERVICE_ACCOUNT_USER.exec(name) : null;
    let names: Map<string, SubjectEntry>;
    let namespace: string | undefined;
    if (kind === "ServiceAccount" || serviceAccountUser) {
      if (serviceAccountUser) [, namespace, name] = serviceAccountUser as unknown as [string, string, string];
      else namespace = typeof raw["namespace"] === "string" && raw["namespace"] !== "" ? raw["namespace"] : bindingNamespace;
      if (!namespace) return undefined;
      names = this.serviceAccounts.get(namespace) as Map<string, SubjectEntry>;
      if (!names) this.serviceAccounts.set(namespace, (names = new Map()));
    } else if (kind === "User") {
      names = this.users;
    } else if (kind === "Group") {
      names = this.groups;
    } else {
      return undefined;
    }
    let subject = names.get(name);
    if (!subject) {
      const key = namespace === undefined ? joinKey(kind as string, ":", name) : joinKey("ServiceAccount:", namespace, "/", name);
      subject = this.byKey.get(key);
      if (!subject) {
        const missing = namespace !== undefined && this.isMissingServiceAccount(key.slice(15));
        subject = { key, grants: [], missing };
        this.byKey.set(key, subject);
        this.list.push(subject);
      }
      names.set(name, subject);
    }
    return subject;
  }
}

/**
 * `list` with `item` added: a list's first item makes a list of one (a first push() would
 * reserve room for 17), as most subjects have one grant and most roles few bindings.
 */
export function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}

/** The user name a ServiceAccount authenticates as: system:serviceaccount:<namespace>:<name>. */
const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The bindings a subject's grants (in binding order) come through, each once, as an index of subjects names them. */
export function bindingsNaming(grants: readonly GrantSource[]): RbacBindingRef[] {
  const naming: RbacBindingRef[] = [];
  for (const { key, role, provenance } of grants) {
    if (naming[naming.length - 1]?.name !== key) naming.push({ name: key, role, provenance });
  }
  return naming;
}

/**
 * The subjects that checks look up by name (bindingsBySpecialSubject), so that they need not
 * scan every binding: the system: groups (system:masters for KRB-0010; the broad groups of
 * data.kubecis.rbac, for the access controls), User system:anonymous, and every namespace's
 * default ServiceAccount (KRB-0009).
 */
export function isSpecialSubject(key: string): boolean {
  return key.startsWith("Group:system:") || key === "User:system:anonymous" || (key.startsWith("ServiceAccount:") && key.endsWith("/default"));
}

