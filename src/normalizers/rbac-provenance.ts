// Provenance of RBAC objects: Kubernetes' default policy (bootstrap), a managed platform's
// objects (vendor), or the users'; and the ClusterRoles the API server creates itself. The
// markers and names are platform facts kept in the policy data
// (data.kubecis.rbac: bootstrap_label, vendor_labels, vendor_name_prefixes,
// bootstrap_cluster_roles; source policies/kubecis/rbac/data.yaml), read through host data.
import { PolicyError } from "../errors.js";
import { hostDataPath } from "../paths.js";
import type { Provenance } from "../types.js";
import { hostStrings, loadHostData } from "./host-data.js";

interface PlatformFacts {
  bootstrapLabel: string;
  bootstrapValue: string;
  vendorLabels: readonly string[];
  vendorNamePrefixes: readonly string[];
  bootstrapClusterRoles: ReadonlySet<string>;
}

let cached: PlatformFacts | undefined;

function platformFacts(): PlatformFacts {
  if (cached) return cached;
  const data = loadHostData();
  const label: unknown = data.rbac?.["bootstrap_label"];
  const { key, value } = (typeof label === "object" && label !== null ? label : {}) as Record<string, unknown>;
  if (typeof key !== "string" || typeof value !== "string") throw new PolicyError(`${hostDataPath}: rbac.bootstrap_label needs a key and a value`);
  cached = {
    bootstrapLabel: key,
    bootstrapValue: value,
    vendorLabels: hostStrings(data, "rbac", "vendor_labels"),
    vendorNamePrefixes: hostStrings(data, "rbac", "vendor_name_prefixes"),
    bootstrapClusterRoles: new Set(hostStrings(data, "rbac", "bootstrap_cluster_roles")),
  };
  return cached;
}

/** bootstrap: Kubernetes' default policy label; vendor: a managed platform's markers; else user. */
export function provenanceOf(name: string, labels: Record<string, unknown>): Provenance {
  const facts = platformFacts();
  if (labels[facts.bootstrapLabel] === facts.bootstrapValue) return "bootstrap";
  if (facts.vendorLabels.some((label) => label in labels)) return "vendor";
  if (facts.vendorNamePrefixes.some((prefix) => name.startsWith(prefix))) return "vendor";
  return "user";
}

/**
 * Whether the API server creates a ClusterRole of this name at start-up (its bootstrap
 * policy). Used only when the input holds no bootstrap roles at all (a directory of
 * application manifests): a binding to one of these names is then assumed to reference an
 * existing role, not a missing one.
 */
export function isBootstrapClusterRole(name: string): boolean {
  return platformFacts().bootstrapClusterRoles.has(name);
}
