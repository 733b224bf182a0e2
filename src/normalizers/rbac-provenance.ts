// Provenance of RBAC objects: Kubernetes' default policy (bootstrap), a managed platform's
// objects (vendor), or the users'; and the ClusterRoles the API server creates itself.
import type { Provenance } from "../types.js";

/** The label Kubernetes puts on every object of its default RBAC policy. */
const BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
const BOOTSTRAP_VALUE = "rbac-defaults";

/**
 * Markers of RBAC objects that a managed platform installs and owns (krane's list, PR #528):
 * labels whose presence marks the object, and name prefixes that are vendor namespaces.
 * Deliberately not "system:": that prefix is open to anyone and hides real grants.
 */
export const VENDOR_LABELS = ["eks.amazonaws.com/component", "addonmanager.kubernetes.io/mode", "kubernetes.azure.com/managedby"];
export const VENDOR_NAME_PREFIXES = [
  "eks:",
  "aws-node",
  "gce:",
  "system:gcp-",
  "system:gke-",
  "aks-",
  "system:azure-",
  "openshift-",
  "system:openshift:",
];

/**
 * ClusterRoles the API server creates at start-up (bootstrap policy). Used only when the
 * input holds no bootstrap roles at all (a directory of application manifests): a binding
 * to one of these names is then assumed to reference an existing role, not a missing one.
 */
export const BOOTSTRAP_CLUSTER_ROLES = new Set([
  "admin", "cluster-admin", "edit", "view",
  "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view",
  "system:auth-delegator", "system:basic-user", "system:discovery", "system:public-info-viewer",
  "system:heapster", "system:kube-aggregator", "system:kube-controller-manager", "system:kube-dns",
  "system:kube-scheduler", "system:kubelet-api-admin", "system:monitoring", "system:node",
  "system:node-bootstrapper", "system:node-problem-detector", "system:node-proxier",
  "system:persistent-volume-provisioner", "system:service-account-issuer-discovery",
  "system:volume-scheduler",
  "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
  "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
  "system:certificates.k8s.io:kube-apiserver-client-approver",
  "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
  "system:certificates.k8s.io:kubelet-serving-approver",
  "system:certificates.k8s.io:legacy-unknown-approver",
]);

/** bootstrap: Kubernetes' default policy label; vendor: a managed platform's markers; else user. */
export function provenanceOf(name: string, labels: Record<string, unknown>): Provenance {
  if (labels[BOOTSTRAP_LABEL] === BOOTSTRAP_VALUE) return "bootstrap";
  if (VENDOR_LABELS.some((label) => label in labels)) return "vendor";
  if (VENDOR_NAME_PREFIXES.some((prefix) => name.startsWith(prefix))) return "vendor";
  return "user";
}

