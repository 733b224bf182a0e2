// kubeadm: a ClusterConfiguration (with the InitConfiguration of the same file) merged over
// the flags kubeadm generates for kube-apiserver.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import type { YamlDocument } from "../readers/yaml.js";
import type { Origin, TargetSource } from "../types.js";
import { buildDocument, optional, valueAt, type CommandFound, type NormalizeOptions } from "./apiserver-document.js";
import type { ArgvItem } from "./argv.js";
import { kubeadmGeneratedFlags, mergeKubeadm, type Setting } from "./distributions.js";
import { UNKNOWN_VERSION, versionFromKubeadm } from "./version.js";

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
  // kubeadm decodes strictly (v1beta4 Arg{Name, Value}): an item that is not such a map is a
  // configuration it refuses, never one with that flag left out.
  const refuse = (path: (string | number)[], message: string): never => {
    const line = cluster.lineAt(path);
    const field = path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i > 0 ? "." : ""}${p}`)).join("");
    throw new InputError(`${field}: ${message}; kubeadm refuses this configuration`, { file: file.path, ...(line ? { line } : {}) });
  };
  if (Array.isArray(extraArgs)) {
    extraArgs.forEach((arg: { name?: unknown; value?: unknown }, i) => {
      if (arg === null || typeof arg !== "object" || Array.isArray(arg) || typeof arg.name !== "string" || arg.name === "") {
        refuse(["apiServer", "extraArgs", i], "expected a map {name: <flag>, value: <value>}");
      }
      const line = cluster.lineAt(["apiServer", "extraArgs", i]);
      extra.push({ name: arg.name as string, setting: { value: arg.value === undefined || arg.value === null ? "" : String(arg.value), origin: { file: file.path, ...(line ? { line } : {}) } } });
    });
  } else if (extraArgs !== undefined && extraArgs !== null && typeof extraArgs !== "object") {
    refuse(["apiServer", "extraArgs"], "expected a map of flag to value (v1beta3) or a list of {name, value} (v1beta4)");
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
