// Normalizer for kube-apiserver configurations: turns what the readers found (a process's
// argv, a Pod's container, a kubeadm ClusterConfiguration, a k3s/RKE2 config, a systemd
// unit, a MicroK8s args file) into ApiServerConfig documents. Distribution defaults are
// merged under the user's settings here (data and merge rules: distributions.ts), and
// every flag keeps the origin that decided it.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import { readArgsFile } from "../readers/args-file.js";
import { readJournal, readPsText } from "../readers/ps.js";
import type { Assignment, SystemdUnit } from "../readers/systemd.js";
import { expandWord, type Lookup, type Word } from "../readers/shell-words.js";
import type { YamlDocument } from "../readers/yaml.js";
import {
  API_VERSION,
  type ApiServerConfig,
  type Diagnostic,
  type KubernetesVersion,
  type Origin,
  type TargetSource,
} from "../types.js";
import { parseArgv, type ArgvItem } from "./argv.js";
import { findApiServerCommand } from "../readers/command.js";
import {
  MICROK8S_VARIABLES,
  distributionBuiltinFlags,
  kubeadmGeneratedFlags,
  mergeDistribution,
  mergeKubeadm,
  type Distribution,
  type Setting,
} from "./distributions.js";
import { loadFlagTable } from "./flag-table.js";
import {
  UNKNOWN_VERSION,
  kubernetesVersionInText,
  versionEvidence,
  versionFromDistributionRelease,
  versionFromExecutablePath,
  versionFromImage,
  versionFromKubeadm,
} from "./version.js";

export interface NormalizeOptions {
  /** Overrides the version found in the input. */
  kubernetesVersion?: KubernetesVersion;
}

/** A k3s/RKE2 settings layer: a config file, a drop-in or a `k3s server` command line. */
export interface DistributionLayer {
  distribution: Distribution;
  /** config: config.yaml or a config.yaml.d drop-in; cli: the server's own argv. */
  role: "config" | "cli";
  file: string;
  settings: { key: string; values: Setting[] }[];
  source: TargetSource;
  version?: KubernetesVersion;
}

/** What one argv turned out to be. */
export type CommandFound =
  | { kind: "document"; document: ApiServerConfig }
  | { kind: "layer"; layer: DistributionLayer }
  | { kind: "kubelite"; argsFile: string; source: TargetSource };

/** An argv (with origins) → a document, a k3s/RKE2 command-line layer, or a kubelite pointer. */
export function fromCommand(
  source: TargetSource,
  items: ArgvItem[],
  version: KubernetesVersion | undefined,
  extraDiagnostics: Diagnostic[] = [],
  env?: Lookup,
): CommandFound | undefined {
  const command = findApiServerCommand(items, env);
  if (!command) return undefined;
  const exeVersion = versionFromExecutablePath(command.items[0]!.text);
  switch (command.kind) {
    case "kube-apiserver":
      return { kind: "document", document: buildDocument(source, command.items, version ?? exeVersion ?? UNKNOWN_VERSION, extraDiagnostics) };
    case "k3s-server":
    case "rke2-server": {
      const distribution = command.kind === "k3s-server" ? "k3s" : "rke2";
      const layer: DistributionLayer = { distribution, role: "cli", file: source.path, settings: cliSettings(command.items.slice(1)), source };
      const v = version ?? exeVersion;
      if (v) layer.version = v;
      return { kind: "layer", layer };
    }
    case "kubelite": {
      const flag = command.items.find((item) => /^--apiserver-args-file(=|$)/.test(item.text));
      const index = flag ? command.items.indexOf(flag) : -1;
      const value = flag?.text.includes("=") ? flag.text.slice(flag.text.indexOf("=") + 1) : command.items[index + 1]?.text;
      return { kind: "kubelite", argsFile: expandSnapVariables(value ?? "${SNAP_DATA}/args/kube-apiserver"), source };
    }
  }
}

/** `ps` text: every API-server process line. */
export function fromProcessList(file: TextFile, options: NormalizeOptions): CommandFound[] {
  return readPsText(file).flatMap(({ line, words, truncated }) => {
    const items = words.map((text, argIndex) => ({ text, origin: { file: file.path, line, argIndex }, blankSplit: true }));
    const diagnostics: Diagnostic[] = truncated
      ? [{ code: "truncated-input", message: `line ${line} looks truncated: ${truncated}; flags after the cut are missing`, origin: { file: file.path, line } }]
      : [];
    const found = fromCommand({ path: file.path, format: "ps", line }, items, options.kubernetesVersion, diagnostics);
    return found ? [found] : [];
  });
}

/** Old kernels cut /proc/<pid>/cmdline at one page. */
const CMDLINE_PAGE = 4096;

/** A /proc/<pid>/cmdline dump: argv separated (and ended) by NUL bytes. */
export function fromCmdline(file: TextFile, options: NormalizeOptions): CommandFound[] {
  const words = file.text.includes("\0") ? file.text.replace(/\0$/, "").split("\0") : file.text.trim().split(/\s+/);
  const items = words.map((text, argIndex) => ({ text, origin: { file: file.path, argIndex } }));
  const diagnostics: Diagnostic[] = [];
  if (Buffer.byteLength(file.text) === CMDLINE_PAGE) {
    diagnostics.push({
      code: "truncated-input",
      message: `the dump is exactly ${CMDLINE_PAGE} bytes, where kernels before 4.2 cut /proc/<pid>/cmdline; flags after the cut are missing`,
      origin: { file: file.path },
    });
  }
  const found = fromCommand({ path: file.path, format: "cmdline" }, items, options.kubernetesVersion, diagnostics);
  return found ? [found] : [];
}

/** k3s/RKE2 journal: the last "Running kube-apiserver …" line, with the release it logged. */
export function fromJournal(file: TextFile, options: NormalizeOptions): CommandFound[] {
  const { runs, version } = readJournal(file);
  const run = runs.at(-1);
  if (!run) return [];
  const items = run.words.map((text, argIndex) => ({ text, origin: { file: file.path, line: run.line, argIndex }, blankSplit: true }));
  // The Kubernetes version the journal prints wins over the release (k3s 0.x logs
  // "Starting k3s v0.3.0" and "Version: v1.13.5-k3s.1"); the release is mapped otherwise.
  const printed = kubernetesVersionInText(file.text);
  const v =
    options.kubernetesVersion ??
    (printed ? versionFromDistributionRelease(printed.text, `${file.path}:${printed.line}`) : undefined) ??
    (version ? versionFromDistributionRelease(version.text, `${file.path}:${version.line}`) : undefined) ??
    UNKNOWN_VERSION;
  return [{ kind: "document", document: buildDocument({ path: file.path, format: "journal", line: run.line }, items, v) }];
}

/** Every kube-apiserver container of the Pods in already-read YAML documents. A Pod whose
 * containers, command or args have a shape kubelet refuses (not a list, a null container, a
 * number where a string goes) is an input error for that Pod, added to `problems`, naming the
 * field and line; the other Pods are still read. */
export function fromManifests(file: TextFile, yamlDocuments: readonly YamlDocument[], options: NormalizeOptions, problems: InputError[] = []): CommandFound[] {
  const found: CommandFound[] = [];
  for (const doc of yamlDocuments) {
    for (const podPath of podsIn(doc)) {
      const pod = valueAt(doc.value, podPath) as Pod;
      const containersPath = [...podPath, "spec", "containers"];
      const problem = (path: (string | number)[], what: string) => {
        const line = doc.lineAt(path) ?? doc.lineAt(podPath);
        problems.push(new InputError(`${fieldName(path)}: ${what}; kubelet does not run this Pod, so it is not judged`, { file: file.path, ...(line ? { line } : {}) }));
      };
      if (!isMap(pod)) {
        problem(podPath, `expected a Pod (a mapping), got ${shapeOf(pod)}`);
        continue;
      }
      if (pod.spec !== undefined && !isMap(pod.spec)) {
        problem([...podPath, "spec"], `expected a Pod spec (a mapping), got ${shapeOf(pod.spec)}`);
        continue;
      }
      const containers = pod.spec?.containers;
      if (!Array.isArray(containers)) {
        if (containers !== undefined) problem(containersPath, `expected a list of containers, got ${shapeOf(containers)}`);
        continue;
      }
      // kubelet decodes the whole Pod or refuses it: any container of the wrong shape skips it.
      const shaped = (containers as unknown[]).map((raw, c) => {
        const base = [...containersPath, c];
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
          problem(base, `expected a container (a mapping), got ${shapeOf(raw)}`);
          return false;
        }
        return (["command", "args"] as const).every((field) => {
          const list = (raw as Container)[field];
          if (list === undefined || (Array.isArray(list) && list.every((item) => typeof item === "string"))) return true;
          const items: unknown[] = Array.isArray(list) ? list : [];
          const at = items.findIndex((item) => typeof item !== "string");
          if (at === -1) problem([...base, field], `expected a list of strings, got ${shapeOf(list)}`);
          else problem([...base, field, at], `expected a string, got ${shapeOf(items[at])}`);
          return false;
        });
      });
      if (!shaped.every(Boolean)) continue;
      (containers as Container[]).forEach((container, c) => {
        const base = [...containersPath, c];
        const argv: ArgvItem[] = [
          ...stringsAt(container.command).map((text, k) => ({ text, line: doc.lineAt([...base, "command", k]) })),
          ...stringsAt(container.args).map((text, k) => ({ text, line: doc.lineAt([...base, "args", k]) })),
        ].map(({ text, line }, argIndex) => ({
          text,
          origin: { file: file.path, ...(line ? { line } : {}), argIndex },
        }));
        const version =
          options.kubernetesVersion ?? (typeof container.image === "string" ? versionFromImage(container.image) : undefined);
        const source: TargetSource = {
          path: file.path,
          format: "pod-manifest",
          document: doc.index,
          ...(typeof container.name === "string" ? { container: container.name } : {}),
        };
        const line = doc.lineAt(base);
        if (line) source.line = line;
        const result = fromCommand(source, argv, version, [], containerEnv(container.env));
        if (result) found.push(result);
      });
    }
  }
  return found;
}

/** spec.containers[0].args, from a path of keys and indexes. */
function fieldName(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function shapeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

interface Container {
  name?: unknown;
  image?: unknown;
  command?: unknown;
  args?: unknown;
  env?: unknown;
}

/** A container's env as a `sh -c` script in it sees it, as far as the manifest says: entries
 * with a literal `value` (valueFrom and the image's own ENV are not known here). */
function containerEnv(env: unknown): Lookup {
  const known = new Map<string, string>();
  if (Array.isArray(env)) {
    for (const entry of env as { name?: unknown; value?: unknown; valueFrom?: unknown }[]) {
      if (typeof entry?.name !== "string") continue;
      if (typeof entry.value === "string" && entry.valueFrom === undefined) known.set(entry.name, entry.value);
      else known.delete(entry.name);
    }
  }
  return (name) => known.get(name);
}
interface Pod {
  spec?: { containers?: unknown };
}
const isMap = (v: unknown): v is object => typeof v === "object" && v !== null && !Array.isArray(v);

/** Paths of the Pods in a document: the document itself, or the items of a List/PodList. */
export function podsIn(doc: YamlDocument): (string | number)[][] {
  const value = doc.value as { kind?: unknown; items?: unknown };
  if (value?.kind === "Pod") return [[]];
  if ((value?.kind === "List" || value?.kind === "PodList") && Array.isArray(value.items)) {
    return value.items.flatMap((item: { kind?: unknown }, i: number) =>
      item?.kind === "Pod" || value.kind === "PodList" ? [["items", i]] : [],
    );
  }
  return [];
}

// ---- kubeadm ---------------------------------------------------------------------------

const KUBEADM_GROUP = "kubeadm.k8s.io/";

export function isKubeadmDocument(value: unknown): boolean {
  const doc = value as { apiVersion?: unknown; kind?: unknown };
  return typeof doc?.apiVersion === "string" && doc.apiVersion.startsWith(KUBEADM_GROUP);
}

/** kubeadm ClusterConfiguration (v1beta3: extraArgs map; v1beta4: list of {name, value}),
 * with InitConfiguration's endpoint from the same file, merged over kubeadm's generated flags. */
export function fromKubeadm(file: TextFile, yamlDocuments: readonly YamlDocument[], options: NormalizeOptions): CommandFound[] {
  const cluster = yamlDocuments.find((d) => isKubeadmDocument(d.value) && (d.value as { kind?: unknown }).kind === "ClusterConfiguration");
  if (!cluster) return [];
  const init = yamlDocuments.find((d) => isKubeadmDocument(d.value) && (d.value as { kind?: unknown }).kind === "InitConfiguration");
  const config = cluster.value as Record<string, unknown>;
  const apiVersion = String(config["apiVersion"]).slice(KUBEADM_GROUP.length);
  const label = `kubeadm ${apiVersion} generated flag`;
  const origin: Origin = { file: file.path, source: label };
  const setting = (doc: YamlDocument | undefined, path: (string | number)[]): Setting | undefined => {
    const value = doc ? valueAt(doc.value, path) : undefined;
    if (value === undefined || value === null || typeof value === "object") return undefined;
    const line = doc!.lineAt(path);
    return { value: String(value), origin: { file: file.path, ...(line ? { line } : {}), source: `${label}, from ${path.join(".")}` } };
  };
  const external = valueAt(config, ["etcd", "external"]) as Record<string, unknown> | undefined;
  const endpoints = external && Array.isArray(external["endpoints"]) ? (external["endpoints"] as unknown[]).map(String).join(",") : undefined;
  const version =
    options.kubernetesVersion ?? versionFromKubeadm(config["kubernetesVersion"], `${file.path}:${cluster.lineAt(["kubernetesVersion"]) ?? 1}`) ?? UNKNOWN_VERSION;
  const generated = kubeadmGeneratedFlags({
    origin,
    ...optional("minor", version.major === 1 ? version.minor : undefined),
    ...optional("advertiseAddress", setting(init, ["localAPIEndpoint", "advertiseAddress"])),
    ...optional("bindPort", setting(init, ["localAPIEndpoint", "bindPort"])),
    ...optional("serviceSubnet", setting(cluster, ["networking", "serviceSubnet"])),
    ...optional("dnsDomain", setting(cluster, ["networking", "dnsDomain"])),
    ...optional("certificatesDir", setting(cluster, ["certificatesDir"])),
    ...(external
      ? {
          etcdExternal: {
            ...optional("endpoints", endpoints ? { value: endpoints, origin: lineOrigin(file, cluster, ["etcd", "external", "endpoints"], label) } : undefined),
            ...optional("caFile", setting(cluster, ["etcd", "external", "caFile"])),
            ...optional("certFile", setting(cluster, ["etcd", "external", "certFile"])),
            ...optional("keyFile", setting(cluster, ["etcd", "external", "keyFile"])),
          },
        }
      : {}),
  });
  const extraArgs = valueAt(config, ["apiServer", "extraArgs"]);
  const extra: { name: string; setting: Setting }[] = [];
  if (Array.isArray(extraArgs)) {
    extraArgs.forEach((arg: { name?: unknown; value?: unknown }, i) => {
      if (typeof arg?.name !== "string") return;
      const line = cluster.lineAt(["apiServer", "extraArgs", i]);
      extra.push({ name: arg.name, setting: { value: arg.value === undefined || arg.value === null ? "" : String(arg.value), origin: { file: file.path, ...(line ? { line } : {}) } } });
    });
  } else if (extraArgs && typeof extraArgs === "object") {
    for (const [name, value] of Object.entries(extraArgs as Record<string, unknown>)) {
      const line = cluster.lineAt(["apiServer", "extraArgs", name]);
      extra.push({ name, setting: { value: value === null ? "" : String(value), origin: { file: file.path, ...(line ? { line } : {}) } } });
    }
  }
  const executable: ArgvItem = { text: "kube-apiserver", origin };
  const source: TargetSource = { path: file.path, format: "kubeadm", document: cluster.index };
  const line = cluster.lineAt([]);
  if (line) source.line = line;
  return [{ kind: "document", document: buildDocument(source, mergeKubeadm(executable, generated, extra), version) }];
}

function lineOrigin(file: TextFile, doc: YamlDocument, path: (string | number)[], source: string): Origin {
  const line = doc.lineAt(path);
  return { file: file.path, ...(line ? { line } : {}), source };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---- k3s / RKE2 --------------------------------------------------------------------------

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

export function configLayer(file: TextFile, doc: YamlDocument, distribution: Distribution): DistributionLayer {
  const settings: DistributionLayer["settings"] = [];
  for (const [key, value] of Object.entries(doc.value as Record<string, unknown>)) {
    const values: Setting[] = [];
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const line = doc.lineAt([key, i]);
        values.push({ value: String(item), origin: { file: file.path, ...(line ? { line } : {}) } });
      });
    } else if (value !== null && typeof value !== "object") {
      const line = doc.lineAt([key]);
      values.push({ value: String(value), origin: { file: file.path, ...(line ? { line } : {}) } });
    }
    settings.push({ key, values });
  }
  return { distribution, role: "config", file: file.path, settings, source: { path: file.path, format: `${distribution}-config`, document: doc.index } };
}

/** k3s/RKE2 server options that take no value. */
const DISTRIBUTION_BOOL_OPTIONS = new Set(["cluster-init", "secrets-encryption", "disable-apiserver", "disable-etcd", "disable-scheduler", "disable-controller-manager", "selinux", "debug"]);
const DISTRIBUTION_SHORTHANDS: Record<string, string> = { d: "data-dir", c: "config", t: "token" };

/** `k3s server --kube-apiserver-arg=X --data-dir /x …` → settings like a config file's. */
function cliSettings(items: ArgvItem[]): DistributionLayer["settings"] {
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
  const diagnostics: Diagnostic[] = [];
  if (profile !== undefined && distribution === "k3s") {
    diagnostics.push({
      code: "ignored-setting",
      message: "profile is an RKE2 option; k3s does not read it, so it changes nothing here",
      origin: merged.get("profile")!.at(-1)!.origin,
    });
  }
  const builtin = distributionBuiltinFlags(distribution, {
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
  });
  const name = distribution === "k3s" ? "k3s" : "RKE2";
  const origin: Origin = {
    file: layers[0]!.file,
    source: `${name} built-in default${profile && distribution === "rke2" ? ` (profile: ${profile})` : ""}`,
  };
  const args = mergeDistribution({ text: "kube-apiserver", origin }, builtin, origin, merged.get("kube-apiserver-arg") ?? []);
  const cli = layers.find((l) => l.role === "cli");
  const version = options.kubernetesVersion ?? layers.find((l) => l.version)?.version ?? UNKNOWN_VERSION;
  const source: TargetSource = { ...(cli ?? layers[0]!).source };
  return buildDocument(source, args, version, diagnostics);
}

// ---- systemd and MicroK8s -------------------------------------------------------------------

/** A systemd unit's ExecStart=, with $VAR and ${VAR} expanded from Environment= and the
 * environment files (each expanded word keeps the env file and line it came from). */
export function fromSystemdUnit(
  file: TextFile,
  unit: SystemdUnit,
  environment: Map<string, Assignment>,
  unresolved: Diagnostic[],
  options: NormalizeOptions,
): CommandFound | undefined {
  if (!unit.execStart) return undefined;
  const items: ArgvItem[] = [];
  const diagnostics: Diagnostic[] = [...unresolved];
  const missing = (name: string, word: Word) =>
    diagnostics.push({
      code: "unresolved-variable",
      message: `$${name} is not set by the unit or by any environment file given to kubecis; the flags it holds are not judged`,
      origin: { file: file.path, line: word.line },
    });
  for (const word of unit.execStart.words) {
    if (word.bareVariable) {
      // systemd: an unquoted $VAR becomes several words, split on whitespace.
      const assignment = environment.get(word.bareVariable);
      if (!assignment) {
        missing(word.bareVariable, word);
        continue;
      }
      for (const part of assignment.value.split(/\s+/).filter((p) => p !== "")) {
        items.push({ text: part, origin: { file: assignment.file, line: assignment.line } });
      }
      continue;
    }
    let fromEnv: Assignment | undefined;
    const expanded = expandWord(
      word,
      (name) => {
        fromEnv = environment.get(name) ?? fromEnv;
        return environment.get(name)?.value;
      },
      "systemd",
    );
    items.push({
      text: expanded.text,
      origin: fromEnv ? { file: fromEnv.file, line: fromEnv.line } : { file: file.path, line: word.line },
      ...(expanded.unresolved.length > 0 ? { unresolved: expanded.unresolved } : {}),
    });
  }
  items.forEach((item, argIndex) => (item.origin = { ...item.origin, argIndex }));
  const env: Lookup = (name) => environment.get(name)?.value;
  return fromCommand({ path: file.path, format: "systemd-unit", line: unit.execStart.line }, items, options.kubernetesVersion, diagnostics, env);
}

/** A MicroK8s args file: its lines are kube-apiserver's flags. */
export function fromArgsFile(file: TextFile, options: NormalizeOptions): ApiServerConfig {
  const items: ArgvItem[] = [
    { text: "kube-apiserver", origin: { file: file.path, source: "kubelite (MicroK8s) runs kube-apiserver with this args file" } },
    ...readArgsFile(file).map(({ text, line }) => ({ text: expandSnapVariables(text), origin: { file: file.path, line } })),
  ];
  return buildDocument({ path: file.path, format: "microk8s-args" }, items, options.kubernetesVersion ?? UNKNOWN_VERSION);
}

function expandSnapVariables(text: string): string {
  return text.replace(/\$\{?(SNAP_DATA|SNAP_COMMON|SNAP)\}?/g, (_, name: string) => MICROK8S_VARIABLES[name]!);
}

// ---- shared -------------------------------------------------------------------------------

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
}

function stringsAt(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => (typeof item === "string" ? item : String(item))) : [];
}

export function buildDocument(
  source: TargetSource,
  argv: ArgvItem[],
  version: KubernetesVersion,
  extraDiagnostics: Diagnostic[] = [],
): ApiServerConfig {
  const table = loadFlagTable();
  const { flags, diagnostics } = parseArgv(argv, table);
  // The flags are version evidence: a range for an unknown version, contradictions of a known one.
  const evidence = versionEvidence(version, flags, table);
  return {
    apiVersion: API_VERSION,
    kind: "ApiServerConfig",
    metadata: { source },
    kubernetesVersion: evidence.version,
    flags,
    diagnostics: [...extraDiagnostics, ...diagnostics, ...evidence.diagnostics],
  };
}
