// Kubernetes version of a target: from an explicit option, or from what the input itself
// says (image tag, kubeadm kubernetesVersion, k3s/RKE2 version in a journal or a data-dir
// path). Anything else is "unknown", said out loud, never guessed.
import { UsageError } from "../errors.js";
import type { Diagnostic, EffectiveFlag, KubernetesVersion, VersionRange } from "../types.js";
import type { FlagTable } from "./flag-table.js";
import { loadHostData } from "./host-data.js";

/** MAJOR.MINOR[.PATCH], then a pre-release (Kubernetes -alpha.N/-beta.N/-rc.N, k3s and RKE2
 * -rcN), then any build suffix (+k3s1, +rke2r1, old k3s's -k3s.1, -eks-…, -gke.…,
 * RKE2 images' -rke2r1-build…, CoreOS's _coreos.0), which names the release itself. */
const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-((?:alpha|beta|rc)\.?\d*))?(?:[-+_].*)?$/;

/** Parses "v1.33.2", "1.33", "v1.33.1+k3s1", "v1.34.0-rc.1" for a source; undefined if it is not
 * a version. A pre-release of 1.Y.Z runs 1.Y's flags but comes before 1.Y.Z, so its patch is
 * not kept: a default that depends on the patch is then release-dependent, never 1.Y.Z's. */
export function parseVersion(text: string, source: string): KubernetesVersion | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  // Only Kubernetes 1.x is a Kubernetes version: "v0.3.0" is a k3s release, never 1.3.
  if (major !== 1) return undefined;
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? undefined : Number(m[3]);
  if (m[4] !== undefined) {
    const release = `${major}.${minor}${patch === undefined ? "" : `.${patch}`}`;
    return { version: `${major}.${minor}`, major, minor, source: `${source}, a pre-release (${m[4]}) of ${release}: before that release, so its patch is not known` };
  }
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

/** kubeadm ClusterConfiguration.kubernetesVersion: a version ("v1.33.0"), or a release label
 * that kubeadm resolves to the newest release it names (cmd/kubeadm/app/util/version.go
 * KubernetesReleaseVersion, kubeReleaseLabelRegex, with a release/ or ci/ bucket prefix):
 * "stable-1.31" is some 1.31 patch; "stable", "latest" and "stable-1" name no minor. */
export function versionFromKubeadm(text: unknown, where: string): KubernetesVersion | undefined {
  if (typeof text !== "string") return undefined;
  const label = /^(?:(?:release|ci)\/)?(?:latest|stable)-1\.([1-9]\d?)$/.exec(text.trim());
  if (label) {
    const minor = Number(label[1]);
    return { version: `1.${minor}`, major: 1, minor, source: `kubeadm kubernetesVersion ${text} (${where}), a label kubeadm resolves to the newest 1.${minor} release` };
  }
  return parseVersion(text, `kubeadm kubernetesVersion ${text} (${where})`);
}

/** k3s numbered its releases on their own until v1.17.0+k3s.1 (January 2020): each such
 * release -> the Kubernetes minor it shipped, by k3s "MAJOR.MINOR". Source: the k3s
 * release notes (github.com/k3s-io/k3s/releases, the "Kubernetes v1.x" each one names);
 * v0.3.0 -> v1.13.5-k3s.1 is also what that release logs. RKE2 releases have always carried
 * the Kubernetes version (v1.18.4+rke2r1 onwards), so they need no table. */
const K3S_RELEASE_KUBERNETES: Readonly<Record<string, number>> = {
  "0.1": 13, "0.2": 13, "0.3": 13,
  "0.4": 14, "0.5": 14, "0.6": 14, "0.7": 14, "0.8": 14,
  "0.9": 15,
  "0.10": 16, "0.11": 16, "1.0": 16,
};

/** A k3s/RKE2 release ("v1.33.1+k3s1", "v1.33.1+rke2r1", k3s "v0.3.0") from its journal or
 * binary: the Kubernetes version it ships. A release with a +k3s/+rke2 (or -k3s) build
 * suffix is numbered after Kubernetes; an older k3s release goes through the table. */
export function versionFromDistributionRelease(release: string, where: string): KubernetesVersion | undefined {
  const name = /rke2/.test(release) ? "RKE2" : "k3s";
  const own = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(release.trim());
  if (name === "k3s" && own) {
    const minor = K3S_RELEASE_KUBERNETES[`${own[1]}.${own[2]}`];
    if (minor === undefined) return undefined;
    return { version: `1.${minor}`, major: 1, minor, source: `k3s version ${release} ships Kubernetes 1.${minor} (${where}; k3s release table)` };
  }
  return parseVersion(release, `${name} version ${release} (${where})`);
}

/** The Kubernetes version a k3s/RKE2 journal prints itself ("Version: v1.13.5-k3s.1" from the
 * embedded components, a node's "v1.13.5-k3s.1"): the last one, with its line. */
export function kubernetesVersionInText(text: string): { text: string; line: number } | undefined {
  let found: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /\b(v1\.\d+\.\d+(?:-(?:alpha|beta|rc)\.?\d*)?[-+](?:k3s|rke2)[.\w]*)/.exec(line) ?? /\bVersion: (v1\.\d+\.\d+)\b/.exec(line);
    if (m) found = { text: m[1]!, line: i + 1 };
  });
  return found;
}

/** RKE2 unpacks its binaries under /var/lib/rancher/rke2/data/v1.33.1-rke2r1-<hash>/bin (a
 * release candidate: v1.33.6-rc1-rke2r1-<hash>). */
export function versionFromExecutablePath(path: string): KubernetesVersion | undefined {
  const m = /\/data\/(v\d+\.\d+\.\d+(?:-(?:alpha|beta|rc)\.?\d*)?-(?:rke2r\d+|k3s\d+))[-/]/.exec(path);
  if (!m) return undefined;
  return parseVersion(m[1]!, `release in the executable's path ${path}`);
}

export const UNKNOWN_VERSION: KubernetesVersion = {
  version: null,
  source: "unknown: no image tag, kubeadm kubernetesVersion, distribution release or --kubernetes-version; judged over every version it may run",
};

/** A flag written in the input (not one kubecis supplied as a distribution's default) that
 * bounds the version: removed in 1.<removed> or added in 1.<added>. */
interface FlagBound {
  flag: string;
  added?: number;
  removed?: number;
  /** what was written, when it is a plugin or gate named in the flag: "PodSecurityPolicy named by --enable-admission-plugins" */
  named?: string;
}

const minorOf = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text.split(".")[1]));

/** The flags as version evidence (DESIGN decision 1). An unknown version gets the range the
 * set flags allow, with every reason, said in `source` too; a known version that a set flag
 * contradicts stays what its source says, and each contradiction is a diagnostic (the
 * checks of that flag fail: that kube-apiserver does not start with it). */
export function versionEvidence(
  version: KubernetesVersion,
  flags: Record<string, EffectiveFlag>,
  table: FlagTable,
): { version: KubernetesVersion; diagnostics: Diagnostic[] } {
  const bounds: (FlagBound & { origin: EffectiveFlag["origin"] })[] = [];
  // Each name a flag was written under bounds the version by its own added/removed: an alias
  // (flag table `alias`) is not its canonical flag's age.
  const written = Object.entries(flags)
    .flatMap(([name, flag]) => Object.entries(flag.spellings ?? { [name]: flag.origin }))
    .filter(([, origin]) => origin.source === undefined);
  for (const [name, origin] of written.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const spec = table.get(name);
    if (!spec) continue;
    const added = minorOf(spec.added);
    const removed = minorOf(spec.removed);
    if (added !== undefined || removed !== undefined) bounds.push({ flag: name, ...(added !== undefined ? { added } : {}), ...(removed !== undefined ? { removed } : {}), origin });
  }
  bounds.push(...namedBounds(flags));
  if (version.minor !== undefined) {
    const diagnostics: Diagnostic[] = [];
    for (const b of bounds) {
      const why =
        b.removed !== undefined && version.minor >= b.removed
          ? `removed in 1.${b.removed}`
          : b.added !== undefined && version.minor < b.added
            ? `added in 1.${b.added}`
            : undefined;
      if (!why) continue;
      diagnostics.push({
        code: "version-contradiction",
        message: `kube-apiserver 1.${version.minor} does not start with ${b.named ?? `--${b.flag}`} (${why}); the version (${version.source}) or the flags are wrong`,
        flag: b.flag,
        origin: b.origin,
      });
    }
    return { version, diagnostics };
  }
  const below = Math.min(...bounds.map((b) => b.removed ?? Infinity));
  const from = Math.max(...bounds.map((b) => b.added ?? -Infinity));
  if (!Number.isFinite(below) && !Number.isFinite(from)) return { version, diagnostics: [] };
  // Every flag that bounds the version is a reason, tightest first.
  const reasons = [
    ...bounds.filter((b) => b.removed !== undefined).sort((a, b) => a.removed! - b.removed! || byKey(a, b)).map((b) => `below 1.${b.removed} (${setText(b)}; removed in 1.${b.removed})`),
    ...bounds.filter((b) => b.added !== undefined).sort((a, b) => b.added! - a.added! || byKey(a, b)).map((b) => `1.${b.added} or later (${setText(b)}; added in 1.${b.added})`),
  ];
  const range: VersionRange = { ...(Number.isFinite(from) ? { from } : {}), ...(Number.isFinite(below) ? { below } : {}), reasons };
  const diagnostics: Diagnostic[] = [];
  if (range.from !== undefined && range.below !== undefined && range.from >= range.below) {
    diagnostics.push({
      code: "version-contradiction",
      message: `no Kubernetes version accepts these flags together: ${reasons.join("; ")}`,
      origin: bounds[0]!.origin,
    });
  }
  return {
    version: { version: null, source: `unknown; ${describeRange(range)}, from the flags: ${reasons.join("; ")}`, range },
    diagnostics,
  };
}

const setText = (b: FlagBound): string => b.named ?? `--${b.flag} is set`;
/** Ties by the flag's name or the named plugin/gate's text, in code-unit order (as lib.pod sorts). */
const byKey = (a: FlagBound, b: FlagBound): number => { const x = a.named ?? a.flag; const y = b.named ?? b.flag; return x < y ? -1 : x > y ? 1 : 0; };

/** Admission plugins named by the plugin flags and gates named by --feature-gates bound the
 * version as flags do: kube-apiserver refuses a plugin name it does not register
 * (k8s.io/apiserver pkg/server/options/admission.go AdmissionOptions.Validate: "plugin %q is
 * unknown", enable and disable lists alike) and a gate it does not know (component-base
 * featuregate/feature_gate.go Set: "unrecognized feature gate"). Facts: data.kubecis.admission
 * `added`/`removed`, data.kubecis.features `removed` and each gate's first `defaults` entry. */
function namedBounds(flags: Record<string, EffectiveFlag>): (FlagBound & { origin: EffectiveFlag["origin"] })[] {
  const { admission, features } = loadHostData();
  const out: (FlagBound & { origin: EffectiveFlag["origin"] })[] = [];
  const add = (flag: string, named: string, addedText: string | undefined, removedText: string | undefined) => {
    const origin = flags[flag]!.origin;
    if (origin.source !== undefined) return; // a distribution's own default, not written by the user
    const added = minorOf(addedText);
    const removed = minorOf(removedText);
    if (added === undefined && removed === undefined) return;
    out.push({ flag, named, ...(added !== undefined ? { added } : {}), ...(removed !== undefined ? { removed } : {}), origin });
  };
  for (const flag of ["enable-admission-plugins", "disable-admission-plugins", "admission-control"]) {
    const value = flags[flag]?.value;
    if (!Array.isArray(value)) continue;
    for (const p of new Set(value.filter((v): v is string => typeof v === "string"))) {
      add(flag, `${p} named by --${flag}`, admission?.added?.[p], admission?.removed?.[p]);
    }
  }
  const gates = flags["feature-gates"]?.value;
  if (typeof gates === "object" && gates !== null && !Array.isArray(gates)) {
    for (const g of new Set(Object.keys(gates).map((key) => (key.startsWith("kube:") ? key.slice(5) : key)))) {
      add("feature-gates", `${g} named by --feature-gates`, features?.gates?.[g]?.defaults?.[0]?.from, features?.removed?.[g]);
    }
  }
  return out;
}

/** "below 1.24", "1.29 or later", "1.10 to 1.23". */
export function describeRange(range: VersionRange): string {
  if (range.from !== undefined && range.below !== undefined) return `1.${range.from} to 1.${range.below - 1}`;
  if (range.below !== undefined) return `below 1.${range.below}`;
  return `1.${range.from} or later`;
}
