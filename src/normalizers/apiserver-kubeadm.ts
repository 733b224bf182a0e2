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

/** kubeadm ClusterConfiguration (v1beta1 to v1beta3: extraArgs map; v1beta4: list of {name,
 * value}), with InitConfiguration's endpoint from the same file, merged over kubeadm's
 * generated flags. A field whose type kubeadm's decoder refuses, or an API version not read
 * (refuseUnreadApiVersion), is an input error. */
export function fromKubeadm(file: TextFile, yamlDocuments: readonly YamlDocument[], options: NormalizeOptions): CommandFound[] {
  for (const doc of yamlDocuments) if (isKubeadmDocument(doc.value)) refuseUnreadApiVersion(file, doc);
  const cluster = yamlDocuments.find((d) => isKubeadmDocument(d.value) && (d.value as { kind?: unknown }).kind === "ClusterConfiguration");
  if (!cluster) return [];
  const init = yamlDocuments.find((d) => isKubeadmDocument(d.value) && (d.value as { kind?: unknown }).kind === "InitConfiguration");
  const config = cluster.value as Record<string, unknown>;
  const apiVersion = String(config["apiVersion"]).slice(KUBEADM_GROUP.length);
  const label = `kubeadm ${apiVersion} generated flag`;
  const origin: Origin = { file: file.path, source: label };
  const fields = decoder(file, cluster);
  const initFields = init ? decoder(file, init) : undefined;
  const setting = (doc: YamlDocument | undefined, path: (string | number)[], type: "string" | "integer" = "string"): Setting | undefined => {
    const value = doc ? (doc === cluster ? fields : initFields!)[type](path) : undefined;
    if (value === undefined) return undefined;
    const line = doc!.lineAt(path);
    return { value: String(value), origin: { file: file.path, ...(line ? { line } : {}), source: `${label}, from ${path.join(".")}` } };
  };
  const external = valueAt(config, ["etcd", "external"]) as Record<string, unknown> | undefined;
  const endpoints = external ? fields.strings(["etcd", "external", "endpoints"])?.join(",") : undefined;
  const written = fields.string(["kubernetesVersion"]);
  const version =
    options.kubernetesVersion ?? versionFromKubeadm(written, `${file.path}:${cluster.lineAt(["kubernetesVersion"]) ?? 1}`) ?? UNKNOWN_VERSION;
  const generated = kubeadmGeneratedFlags({
    origin,
    ...optional("minor", version.major === 1 ? version.minor : undefined),
    ...optional("advertiseAddress", setting(init, ["localAPIEndpoint", "advertiseAddress"])),
    ...optional("bindPort", setting(init, ["localAPIEndpoint", "bindPort"], "integer")),
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
  const extra: { name: string; setting: Setting }[] = [];
  const at = (path: (string | number)[]): Origin => {
    const line = cluster.lineAt(path);
    return { file: file.path, ...(line ? { line } : {}) };
  };
  if (apiVersion === "v1beta4") {
    // v1beta4: ExtraArgs []Arg, Arg{Name string; Value string}.
    fields.list(["apiServer", "extraArgs"])?.forEach((_, i) => {
      const path = ["apiServer", "extraArgs", i];
      fields.map(path);
      const name = fields.string([...path, "name"]);
      if (!name) fields.refuse(path, "an item without a name: kubeadm expects {name: <flag>, value: <value>}");
      extra.push({ name: name!, setting: { value: fields.string([...path, "value"]) ?? "", origin: at(path) } });
    });
  } else {
    // v1beta1 to v1beta3: ExtraArgs map[string]string.
    for (const name of Object.keys(fields.map(["apiServer", "extraArgs"]) ?? {})) {
      const path = ["apiServer", "extraArgs", name];
      extra.push({ name, setting: { value: fields.string(path) ?? "", origin: at(path) } });
    }
  }
  const executable: ArgvItem = { text: "kube-apiserver", origin };
  const source: TargetSource = { path: file.path, format: "kubeadm", document: cluster.index };
  const line = cluster.lineAt([]);
  if (line) source.line = line;
  return [{ kind: "document", document: buildDocument(source, mergeKubeadm(executable, generated, extra), version) }];
}

/** The kubeadm config API versions read here: v1beta1 (kubeadm 1.13) to v1beta4 (1.31), whose
 * ClusterConfiguration holds apiServer.extraArgs. */
const READ_API_VERSIONS = new Set(["v1beta1", "v1beta2", "v1beta3", "v1beta4"]);

/** The older ones kubeadm had, and why kubecis refuses each rather than read it. v1alpha1 and
 * v1alpha2 (kind MasterConfiguration, kubeadm 1.10 and 1.11; v1alpha2 removed in 1.13,
 * kubernetes#69055) and v1alpha3 (ClusterConfiguration with a top-level apiServerExtraArgs,
 * kubeadm 1.12; init and join refuse it from 1.14, and 1.15 removed it, kubernetes#75179) were
 * turned into flags by kubeadm 1.10-1.13's getAPIServerCommand
 * (cmd/kubeadm/app/phases/controlplane/manifests.go), which differs from the table here: it
 * forced Node,RBAC into --authorization-mode (getAuthzModes) and added audit flags under the
 * Auditing feature gate. Judging their extra args over today's table would be guessing. */
const REFUSED_API_VERSIONS: Record<string, string> = {
  v1alpha1: "kubeadm 1.10's configuration, removed in kubeadm 1.12",
  v1alpha2: "kubeadm 1.11's configuration, removed in kubeadm 1.13",
  v1alpha3: "kubeadm 1.12's configuration, refused by kubeadm init and join from 1.14 and removed in 1.15",
};

/** A kubeadm document of an API version kubecis does not read is an input error naming it:
 * its settings are never silently left out. */
function refuseUnreadApiVersion(file: TextFile, doc: YamlDocument): void {
  const apiVersion = String((doc.value as Record<string, unknown>)["apiVersion"]);
  const version = apiVersion.slice(KUBEADM_GROUP.length);
  if (READ_API_VERSIONS.has(version)) return;
  const why = REFUSED_API_VERSIONS[version];
  const message = why
    ? `${apiVersion} is ${why}; kubecis does not judge it, since kubeadm of that age generated other flags than the ones kubecis models: give the kube-apiserver manifest kubeadm wrote (/etc/kubernetes/manifests/kube-apiserver.yaml), or migrate the file (kubeadm config migrate) to v1beta1 or later`
    : `${apiVersion} is no kubeadm configuration API version (kubeadm has v1beta1 to v1beta4; v1alpha1 to v1alpha3 before them)`;
  const line = doc.lineAt(["apiVersion"]) ?? doc.lineAt([]);
  throw new InputError(message, { file: file.path, ...(line ? { line } : {}) });
}

/**
 * The fields of one kubeadm document as kubeadm decodes them: apimachinery's serializer turns
 * the YAML into JSON without a target type (sigs.k8s.io/yaml YAMLToJSON, YAML 1.1: unquoted
 * false, no, 30 are a boolean and a number), then encoding/json fills the typed struct, where a
 * value of another JSON type is "json: cannot unmarshal <type> into Go struct field ... of type
 * <type>" and kubeadm stops. A null is the field's zero value (undefined here). Each getter
 * returns the value or throws an InputError naming file, line and field (never the value).
 */
function decoder(file: TextFile, doc: YamlDocument) {
  const apiVersion = String((doc.value as Record<string, unknown>)["apiVersion"]).slice(KUBEADM_GROUP.length);
  const refuse = (path: (string | number)[], message: string): never => {
    const line = doc.lineAt(path);
    const field = path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i > 0 ? "." : ""}${p}`)).join("");
    throw new InputError(`${field}: ${message}; kubeadm refuses this configuration`, { file: file.path, ...(line ? { line } : {}) });
  };
  const expect = (path: (string | number)[], wanted: string, ok: (value: unknown) => boolean): unknown => {
    const value = valueAt(doc.value, path);
    if (value === undefined || value === null || ok(value)) return value ?? undefined;
    const scalar = typeof value === "boolean" || typeof value === "number";
    return refuse(path, `${jsonKind(value)} where kubeadm ${apiVersion} expects ${wanted}${scalar && wanted === "a string" ? " (write it quoted)" : ""}`);
  };
  const isMap = (v: unknown) => typeof v === "object" && !Array.isArray(v);
  return {
    refuse,
    string: (path: (string | number)[]) => expect(path, "a string", (v) => typeof v === "string") as string | undefined,
    integer: (path: (string | number)[]) =>
      expect(path, "an integer", (v) => typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31) as number | undefined,
    map: (path: (string | number)[]) => expect(path, "a map", isMap) as Record<string, unknown> | undefined,
    list: (path: (string | number)[]) => expect(path, "a list", Array.isArray) as unknown[] | undefined,
    /** A []string: a list whose items are strings. */
    strings(path: (string | number)[]): string[] | undefined {
      const list = this.list(path);
      return list?.map((_, i) => this.string([...path, i]) ?? "");
    },
  };
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return typeof value === "boolean" ? "a boolean" : typeof value === "number" ? "a number" : "a string";
}

function lineOrigin(file: TextFile, doc: YamlDocument, path: (string | number)[], source: string): Origin {
  const line = doc.lineAt(path);
  return { file: file.path, ...(line ? { line } : {}), source };
}
