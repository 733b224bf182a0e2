// Kubernetes version of a target: from an explicit option, or from what the input itself
// says (image tag, kubeadm kubernetesVersion, k3s/RKE2 version in a journal or a data-dir
// path). Anything else is "unknown", said out loud, never guessed.
import { UsageError } from "../errors.js";
import type { KubernetesVersion } from "../types.js";

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/;

/** Parses "v1.33.2", "1.33", "1.33.0-rc.1+k3s1" for a source; undefined if it is not a version. */
export function parseVersion(text: string, source: string): KubernetesVersion | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? undefined : Number(m[3]);
  return { version: patch === undefined ? `${major}.${minor}` : `${major}.${minor}.${patch}`, major, minor, source };
}

/** The --kubernetes-version option. */
export function parseVersionOption(text: string): KubernetesVersion {
  const v = parseVersion(text, "--kubernetes-version");
  if (!v || v.major !== 1) throw new UsageError(`--kubernetes-version: "${text}" is not a Kubernetes version such as 1.33 or v1.33.2`);
  return v;
}

/** registry.k8s.io/kube-apiserver:v1.33.0, k8s.gcr.io/kube-apiserver-amd64:v1.19.16@sha256:…,
 * rancher/hardened-kubernetes:v1.33.1-rke2r1-build20250515 */
export function versionFromImage(image: string): KubernetesVersion | undefined {
  const m = /(?:^|\/)(?:kube-apiserver|hyperkube|hardened-kubernetes)(?:-[a-z0-9]+)?:(v?\d+\.\d+(?:\.\d+)?[^@\s]*)/.exec(image);
  if (!m) return undefined;
  return parseVersion(m[1]!, `image tag ${image.replace(/@sha256:[0-9a-f]+$/, "")}`);
}

/** kubeadm ClusterConfiguration.kubernetesVersion ("v1.33.0"; "stable" and labels are not versions). */
export function versionFromKubeadm(text: unknown, where: string): KubernetesVersion | undefined {
  if (typeof text !== "string") return undefined;
  return parseVersion(text, `kubeadm kubernetesVersion ${text} (${where})`);
}

/** A k3s/RKE2 release ("v1.33.1+k3s1", "v1.33.1+rke2r1") from its journal or binary. */
export function versionFromDistributionRelease(release: string, where: string): KubernetesVersion | undefined {
  return parseVersion(release, `${/rke2/.test(release) ? "RKE2" : "k3s"} version ${release} (${where})`);
}

/** RKE2 unpacks its binaries under /var/lib/rancher/rke2/data/v1.33.1-rke2r1-<hash>/bin. */
export function versionFromExecutablePath(path: string): KubernetesVersion | undefined {
  const m = /\/data\/(v\d+\.\d+\.\d+-(?:rke2r\d+|k3s\d+))[-/]/.exec(path);
  if (!m) return undefined;
  return parseVersion(m[1]!, `release in the executable's path ${path}`);
}

export const UNKNOWN_VERSION: KubernetesVersion = {
  version: null,
  source: "unknown: no image tag, kubeadm kubernetesVersion, distribution release or --kubernetes-version; judged with current Kubernetes defaults",
};
