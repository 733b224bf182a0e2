// Kubernetes version of a target: from an explicit option, or from the API server's own
// image tag. Anything else is "unknown", said out loud, never guessed.
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

/** registry.k8s.io/kube-apiserver:v1.33.0, k8s.gcr.io/kube-apiserver-amd64:v1.19.16@sha256:… */
export function versionFromImage(image: string): KubernetesVersion | undefined {
  const m = /(?:^|\/)(?:kube-apiserver|hyperkube)(?:-[a-z0-9]+)?:(v?\d+\.\d+(?:\.\d+)?[^@\s]*)/.exec(image);
  if (!m) return undefined;
  return parseVersion(m[1]!, `image tag ${image.replace(/@sha256:[0-9a-f]+$/, "")}`);
}

export const UNKNOWN_VERSION: KubernetesVersion = {
  version: null,
  source: "unknown: no image tag or --kubernetes-version; judged with current Kubernetes defaults",
};
