// k3s and RKE2: config.yaml, its drop-ins and the server's command line, as settings layers
// merged the way k3s does, over the distribution's built-in kube-apiserver arguments.
import { basename, dirname } from "node:path";
import { redactValue } from "../redact.js";
import type { TextFile } from "../readers/files.js";
import type { YamlDocument } from "../readers/yaml.js";
import type { ApiServerConfig, Diagnostic, Origin, TargetSource } from "../types.js";
import { buildDocument, optional, type DistributionLayer, type NormalizeOptions } from "./apiserver-document.js";
import type { ArgvItem } from "./argv.js";
import {
  distributionBuiltinFlags,
  distributionPrependedArgs,
  mergeDistribution,
  releaseDependentFlags,
  withoutBuiltinsForUserConfig,
  type Distribution,
  type DistributionParams,
  type Setting,
} from "./distributions.js";
import { UNKNOWN_VERSION } from "./version.js";

/** Keys that only k3s/RKE2 server config files have. Generic keys (server, token, disable,
 * data-dir) are not enough on their own: a Helm values file has them too. */
const DISTRIBUTION_KEYS = new Set([
  "kube-apiserver-arg",
  "kube-apiserver-arg+",
  "kube-controller-manager-arg",
  "kube-scheduler-arg",
  "kubelet-arg",
  "write-kubeconfig-mode",
  "tls-san",
  "cluster-init",
  "secrets-encryption",
  "etcd-expose-metrics",
  "flannel-backend",
  "node-taint",
  "disable-cloud-controller",
  "cni",
]);

/** Is this YAML document a k3s/RKE2 config.yaml (or drop-in)? Which distribution? Rule: a
 * plain map (no apiVersion/kind) under a rancher/k3s or rancher/rke2 path, or with a key only
 * those configs have; RKE2 when the path names rke2 or it has RKE2-only keys (cni, profile),
 * otherwise k3s. */
export function distributionOfConfig(path: string, value: unknown): Distribution | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.includes("apiVersion") || keys.includes("kind")) return undefined;
  const byPath = /(?:^|\/)rancher\/(k3s|rke2)\//.exec(path)?.[1];
  if (!byPath && !keys.some((k) => DISTRIBUTION_KEYS.has(k))) return undefined;
  if (byPath === "rke2" || byPath === "k3s") return byPath;
  if (/rke2/.test(path)) return "rke2";
  return keys.includes("cni") || keys.includes("profile") ? "rke2" : "k3s";
}

/**
 * The config file a k3s/RKE2 server reads (k3s pkg/configfilearg: parser.go findConfigFileFlag,
 * defaultparser.go MustParse): the <PROGRAM>_CONFIG_FILE variable when its environment shows
 * it, else --config / -c on its command line, else /etc/rancher/<k3s|rke2>/config.yaml; and
 * readConfigFile reads the `<file>.d/*.yaml` drop-ins beside it. A variable kubecis cannot see
 * (a ps line shows no environment) may name another file.
 */
export function distributionConfigPath(cli: DistributionLayer): string {
  // k3s also reads an http(s) URL here (readConfigFileData): its credentials never leave.
  return redactValue(
    cli.configFromEnvironment ?? cli.settings.find((s) => s.key === "config")?.values.at(-1)?.value ?? `/etc/rancher/${cli.distribution}/config.yaml`,
  );
}

/** The config file a given config layer is: itself, or the base file of the `.d` directory it
 * is a drop-in of. */
export function configFileOf(layer: DistributionLayer): { path: string; dropIn: boolean } {
  const dir = dirname(layer.file);
  return basename(dir).endsWith(".d") ? { path: dir.slice(0, -2), dropIn: true } : { path: layer.file, dropIn: false };
}

/** The drop-ins k3s reads beside a config file (pkg/configfilearg/parser.go dotDFiles): the
 * `.d` directory's files named *.yaml or *.yml in any case (util.HasSuffixI), in os.ReadDir's
 * order, by name as bytes. The one rule for given files and for a node's. */
export function isConfigDropIn(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

export function byConfigName(a: string, b: string): number {
  return Buffer.compare(Buffer.from(basename(a)), Buffer.from(basename(b)));
}

/** Is this given config layer (a file or a drop-in) part of the config file at `path`? By full
 * path (also under a host root), else by name, as environment files are matched. */
export function readsConfig(path: string, layer: DistributionLayer): boolean {
  const given = configFileOf(layer).path;
  return given === path || given.endsWith(path.startsWith("/") ? path : `/${path}`) || basename(given) === basename(path);
}

/** A server command line judged without the config files its distribution always reads:
 * their kube-apiserver-arg entries may add to or override every flag seen. */
export function configNotGiven(cli: DistributionLayer, why: string): Diagnostic {
  const path = distributionConfigPath(cli);
  return {
    code: "incomplete-flags",
    message: `${cli.distribution === "k3s" ? "k3s" : "RKE2"} server also reads ${path} and ${path}.d/*.yaml, whose kube-apiserver-arg entries add to or override the flags seen; ${why}`,
    origin: { file: cli.file, ...(cli.source.line ? { line: cli.source.line } : {}) },
  };
}

/** The config keys whose values reach kube-apiserver's flags here (kube-apiserver-arg, and
 * the options distributionBuiltinFlags reads). */
const READ_KEYS = new Set([
  "kube-apiserver-arg",
  "kube-apiserver-arg+",
  "cluster-init",
  "secrets-encryption",
  "data-dir",
  "service-cidr",
  "cluster-domain",
  "datastore-endpoint",
  "advertise-address",
  "bind-address",
  "https-listen-port",
  "profile",
  "audit-policy-file",
  "pod-security-admission-config-file",
]);

/**
 * One config file as a settings layer, read as k3s reads it (pkg/configfilearg/parser.go
 * readConfigFile, also RKE2's): a list gives one `--key=<item>` per item, anything else one
 * `--key=` + convert.ToString(value). So a map reaches k3s as the text "map[…]" and a null as
 * an empty value (a plain key replaces what earlier files set; `key+:` null appends nothing,
 * toSlice(nil)); k3s's GetArgs (pkg/util/args.go) makes `--map[…]=true` or `--=true` of such a
 * kube-apiserver-arg, which kube-apiserver refuses. For a key that reaches the flags, that is
 * an incomplete-flags diagnostic (every control reading a flag is error), never a value left out.
 */
export function configLayer(file: TextFile, doc: YamlDocument, distribution: Distribution): DistributionLayer {
  const settings: DistributionLayer["settings"] = [];
  const diagnostics: Diagnostic[] = [];
  const origin = (path: (string | number)[]): Origin => {
    const line = doc.lineAt(path) ?? doc.lineAt(path.slice(0, 1));
    return { file: file.path, ...(line ? { line } : {}) };
  };
  const unusable = (key: string, path: (string | number)[], value: unknown): void => {
    const field = path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join("");
    const what = value === null ? "no value" : Array.isArray(value) ? "a list" : "a map";
    const name = distribution === "k3s" ? "k3s" : "RKE2";
    const passes = value === null ? "an empty value" : Array.isArray(value) ? `the text "[…]"` : `the text "map[…]"`;
    const effect = key.startsWith("kube-apiserver-arg")
      ? "kube-apiserver gets a malformed argument it refuses"
      : `${name} gets --${key.replace(/\+$/, "")} with a value that is not the setting meant`;
    diagnostics.push({
      code: "incomplete-flags",
      message: `${field}: ${what} where ${name} expects ${key.startsWith("kube-apiserver-arg") ? "a list of flag=value strings" : "a value"}: ${name} passes it on as ${passes}, so ${effect}; the flags this server runs with are unknown`,
      origin: origin(path),
    });
  };
  for (const [key, value] of Object.entries(doc.value as Record<string, unknown>)) {
    const values: Setting[] = [];
    const read = READ_KEYS.has(key);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (read && (item === null || typeof item === "object")) unusable(key, [key, i], item);
        else values.push({ value: String(item), origin: origin([key, i]) });
      });
    } else if (value !== null && typeof value !== "object") {
      values.push({ value: String(value), origin: origin([key]) });
    } else if (read && !(value === null && key.endsWith("+"))) {
      unusable(key, [key], value);
    }
    settings.push({ key, values });
  }
  const layer: DistributionLayer = { distribution, role: "config", file: file.path, settings, source: { path: file.path, format: `${distribution}-config`, document: doc.index } };
  if (diagnostics.length > 0) layer.diagnostics = diagnostics;
  return layer;
}

/** k3s/RKE2 server options that take no value. */
const DISTRIBUTION_BOOL_OPTIONS = new Set(["cluster-init", "secrets-encryption", "disable-apiserver", "disable-etcd", "disable-scheduler", "disable-controller-manager", "selinux", "debug"]);
const DISTRIBUTION_SHORTHANDS: Record<string, string> = { d: "data-dir", c: "config", t: "token" };

/** `k3s server --kube-apiserver-arg=X --data-dir /x …` → settings like a config file's. */
export function cliSettings(items: ArgvItem[]): DistributionLayer["settings"] {
  const settings: DistributionLayer["settings"] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const m = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/.exec(item.text);
    if (!m) continue;
    const key = DISTRIBUTION_SHORTHANDS[m[1]!] ?? m[1]!;
    let value = m[2];
    let origin = item.origin;
    if (value === undefined && DISTRIBUTION_BOOL_OPTIONS.has(key)) value = "true";
    else if (value === undefined) {
      const next = items[++i];
      value = next?.text ?? "";
      if (next) origin = next.origin;
    }
    const existing = settings.find((s) => s.key === key);
    const setting = { value, origin };
    if (existing) existing.values.push(setting);
    else settings.push({ key, values: [setting] });
  }
  return settings;
}

/** k3s/RKE2 options that take a list: on the command line they add to the config file's. */
const DISTRIBUTION_LIST_OPTIONS = new Set(["kube-apiserver-arg", "kubelet-arg", "kube-controller-manager-arg", "kube-scheduler-arg", "tls-san", "disable", "node-label", "node-taint"]);

/** Layers (config.yaml, drop-ins in order, then the server's argv) → one document. In files, a
 * key ending in "+" appends to the list so far and any other key replaces it; the command
 * line comes after the files (k3s's configfilearg), so its list options add to theirs and its
 * other options override them. */
export function fromDistributionLayers(layers: DistributionLayer[], options: NormalizeOptions): ApiServerConfig {
  const distribution = layers[0]!.distribution;
  const merged = new Map<string, Setting[]>();
  for (const layer of layers) {
    for (const { key, values } of layer.settings) {
      if (key.endsWith("+") || (layer.role === "cli" && DISTRIBUTION_LIST_OPTIONS.has(key))) {
        const name = key.replace(/\+$/, "");
        merged.set(name, [...(merged.get(name) ?? []), ...values]);
      } else merged.set(key, [...values]);
    }
  }
  const last = (key: string) => merged.get(key)?.at(-1)?.value;
  const truthy = (key: string) => ["true", "1"].includes(String(last(key)));
  const profile = last("profile");
  const diagnostics: Diagnostic[] = layers.flatMap((layer) => layer.diagnostics ?? []);
  if (profile !== undefined && distribution === "k3s") {
    diagnostics.push({
      code: "ignored-setting",
      message: "profile is an RKE2 option; k3s does not read it, so it changes nothing here",
      origin: merged.get("profile")!.at(-1)!.origin,
    });
  }
  const version = options.kubernetesVersion ?? layers.find((l) => l.version)?.version ?? UNKNOWN_VERSION;
  const params: DistributionParams = {
    version,
    embeddedEtcd: truthy("cluster-init"),
    secretsEncryption: truthy("secrets-encryption"),
    ...optional("dataDir", last("data-dir")),
    ...optional("serviceCidr", last("service-cidr")),
    ...optional("clusterDomain", last("cluster-domain")),
    ...optional("datastoreEndpoint", last("datastore-endpoint")),
    ...optional("advertiseAddress", last("advertise-address")),
    ...optional("bindAddress", last("bind-address")),
    ...optional("httpsListenPort", last("https-listen-port")),
    ...optional("profile", profile),
    ...optional("auditPolicyFile", last("audit-policy-file") || undefined),
    ...optional("psaConfigFile", last("pod-security-admission-config-file") || undefined),
  };
  const builtin = distributionBuiltinFlags(distribution, params);
  const name = distribution === "k3s" ? "k3s" : "RKE2";
  const origin: Origin = {
    file: layers[0]!.file,
    source: `${name} built-in default${profile && distribution === "rke2" ? ` (profile: ${profile})` : ""}`,
  };
  const prepended = distributionPrependedArgs(distribution, version).map((value) => ({ value, origin }));
  const extra = [...prepended, ...(merged.get("kube-apiserver-arg") ?? [])];
  const args = mergeDistribution({ text: "kube-apiserver", origin }, withoutBuiltinsForUserConfig(builtin, extra), origin, extra);
  const cli = layers.find((l) => l.role === "cli");
  const source: TargetSource = { ...(cli ?? layers[0]!).source };
  const document = buildDocument(source, args, version, diagnostics);
  // A built-in flag only some releases add, where the version leaves the release open: when
  // its value is the one that decides (no user argument overrode it), the controls reading it
  // depend on the release (lib.verdict: warn, with this said).
  for (const [flag, why] of releaseDependentFlags(distribution, params)) {
    if (document.flags[flag]?.origin.source !== origin.source) continue;
    document.diagnostics.push({ code: "release-dependent", message: why, flag, origin });
  }
  return document;
}

