// Configuration files that kube-apiserver flags point at: parsed structurally, key material
// replaced by "REDACTED" before the content enters any document, and attached to the
// ApiServerConfig under `files[flag]`.
//
// Matching rule for files given as inputs in the same run (`kubecis test kube-apiserver.yaml
// encryption.yaml`): a document's `kind` names the flag it serves (table below). If a run
// holds one file of that kind, every API server whose flag is set gets it; if it holds
// several, the one whose basename equals the basename of the flag's path is taken, and a
// flag whose basename matches none of them gets no entry (content checks then warn). A
// given file that no API server's flag references is reported as an input error.
import { basename } from "node:path";
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import { readHostFile } from "../readers/host-files.js";
import { readYamlDocuments } from "../readers/yaml.js";
import type { ApiServerConfig, ReferencedFile } from "../types.js";
import { redactKeyMaterial } from "../redact.js";

/** Flag → the kind (and API groups) of the file it references. */
export const REFERENCED_FILE_FLAGS: Readonly<Record<string, { kind: string; groups: readonly string[] }>> = {
  "encryption-provider-config": { kind: "EncryptionConfiguration", groups: ["apiserver.config.k8s.io"] },
  "admission-control-config-file": { kind: "AdmissionConfiguration", groups: ["apiserver.config.k8s.io", "apiserver.k8s.io"] },
  "audit-policy-file": { kind: "Policy", groups: ["audit.k8s.io"] },
  "authentication-config": { kind: "AuthenticationConfiguration", groups: ["apiserver.config.k8s.io"] },
  "authorization-config": { kind: "AuthorizationConfiguration", groups: ["apiserver.config.k8s.io"] },
};

/** The flag a parsed document serves, from its kind and apiVersion group. */
export function flagForDocument(value: unknown): string | undefined {
  const doc = value as { kind?: unknown; apiVersion?: unknown };
  if (typeof doc?.kind !== "string" || typeof doc.apiVersion !== "string") return undefined;
  const group = doc.apiVersion.split("/")[0]!;
  return Object.entries(REFERENCED_FILE_FLAGS).find(([, spec]) => spec.kind === doc.kind && spec.groups.includes(group))?.[0];
}

/** A referenced file's text → its entry: "read" with redacted content, or "invalid". */
export function parseReferencedFile(flag: string, path: string, file: TextFile, readFrom: string): ReferencedFile {
  const expected = REFERENCED_FILE_FLAGS[flag]!;
  let documents;
  try {
    documents = readYamlDocuments(file);
  } catch (error) {
    const where = error instanceof InputError && error.location.line ? ` (line ${error.location.line})` : "";
    return { path, status: "invalid", readFrom, error: `${(error as Error).message}${where}` };
  }
  const first = documents[0]?.value as { kind?: unknown } | undefined;
  if (!first) return { path, status: "invalid", readFrom, error: "the file holds no document" };
  if (first.kind !== expected.kind) {
    return { path, status: "invalid", readFrom, error: `expected kind ${expected.kind}, found ${typeof first.kind === "string" ? first.kind : "no kind"}` };
  }
  const problem = flag === "encryption-provider-config" ? encryptionProblem(first) : undefined;
  if (problem) return { path, status: "invalid", readFrom, error: problem };
  return { path, status: "read", readFrom, content: redactKeyMaterial(first) };
}

/** The key lengths (bytes, base64-decoded) each keyed provider accepts. */
const KEY_BYTES: Readonly<Record<string, readonly number[]>> = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] };
const PROVIDERS = ["aescbc", "aesgcm", "secretbox", "identity", "kms"];

/**
 * What kube-apiserver refuses in an EncryptionConfiguration (ValidateEncryptionConfiguration,
 * staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation): no resources; an entry without
 * resources or providers; a provider that is not exactly one of aescbc, aesgcm, secretbox,
 * identity, kms; a keyed provider without keys, a key without a name or secret, or whose secret
 * is not base64 of an accepted length; a kms provider without name or endpoint. Such a file
 * stops kube-apiserver, so it never judges as encrypting. Names paths, never values.
 */
function encryptionProblem(config: Record<string, unknown>): string | undefined {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const resources = config["resources"];
  if (!Array.isArray(resources) || resources.length === 0) return "resources: at least one entry is required";
  for (const [i, entry] of resources.entries()) {
    const at = `resources[${i}]`;
    if (!isMap(entry)) return `${at}: must be a map`;
    if (!Array.isArray(entry["resources"]) || entry["resources"].length === 0) return `${at}.resources: at least one resource is required`;
    const providers = entry["providers"];
    if (!Array.isArray(providers) || providers.length === 0) return `${at}.providers: at least one provider is required`;
    for (const [j, provider] of providers.entries()) {
      const here = `${at}.providers[${j}]`;
      const kinds = isMap(provider) ? Object.keys(provider).filter((k) => PROVIDERS.includes(k)) : [];
      if (kinds.length !== 1) return `${here}: exactly one of ${PROVIDERS.join(", ")} is required`;
      const kind = kinds[0]!;
      const settings = (provider as Record<string, unknown>)[kind];
      const accepted = KEY_BYTES[kind];
      if (accepted) {
        const keys = isMap(settings) ? settings["keys"] : undefined;
        if (!Array.isArray(keys) || keys.length === 0) return `${here}.${kind}.keys: at least one key is required`;
        for (const [k, key] of keys.entries()) {
          const field = `${here}.${kind}.keys[${k}]`;
          if (!isMap(key) || typeof key["name"] !== "string" || key["name"] === "") return `${field}.name: required`;
          const secret = key["secret"];
          if (typeof secret !== "string" || secret === "") return `${field}.secret: required`;
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secret) || secret.length % 4 !== 0) return `${field}.secret: not base64`;
          const bytes = Buffer.from(secret, "base64").length;
          if (!accepted.includes(bytes)) return `${field}.secret: must be ${accepted.join(", ").replace(/, (\d+)$/, " or $1")} bytes once base64-decoded for ${kind}`;
        }
      } else if (kind === "kms") {
        if (!isMap(settings) || typeof settings["name"] !== "string" || settings["name"] === "") return `${here}.kms.name: required`;
        if (typeof settings["endpoint"] !== "string" || settings["endpoint"] === "") return `${here}.kms.endpoint: required`;
      }
    }
  }
  return undefined;
}

/** A referenced-configuration document given as an input. */
export interface GivenConfig {
  flag: string;
  file: TextFile;
  /** Line of the document in the file. */
  line?: number;
  used: boolean;
}

/** Attaches the given config files to the documents whose flags reference them (rule above). */
export function attachGivenFiles(documents: ApiServerConfig[], given: GivenConfig[]): void {
  for (const document of documents) {
    for (const flag of Object.keys(REFERENCED_FILE_FLAGS)) {
      const path = flagPath(document, flag);
      if (path === undefined || document.files?.[flag]) continue;
      const candidates = given.filter((g) => g.flag === flag);
      const match =
        candidates.length === 1 ? candidates[0] : candidates.find((g) => basename(g.file.path) === basename(path));
      if (!match) continue;
      match.used = true;
      (document.files ??= {})[flag] = parseReferencedFile(flag, path, match.file, match.file.path);
    }
  }
}

/** Reads every referenced file from the node, under the host root (kubecis scan). */
export function attachHostFiles(document: ApiServerConfig, hostRoot: string): void {
  for (const flag of Object.keys(REFERENCED_FILE_FLAGS)) {
    const path = flagPath(document, flag);
    if (path === undefined) continue;
    const read = readHostFile(hostRoot, path);
    const files = (document.files ??= {});
    if (read.status === "read") files[flag] = parseReferencedFile(flag, path, read.file, read.resolved);
    else files[flag] = { path, status: read.status, error: read.error, ...(read.resolved ? { readFrom: read.resolved } : {}) };
  }
}

/** The path a flag gives, when the flag is set to a usable value. */
export function flagPath(document: ApiServerConfig, flag: string): string | undefined {
  const value = document.flags[flag]?.value;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** An admission plugin's own configuration file (EventRateLimit's `Configuration`,
 * PodSecurity's `PodSecurityConfiguration`, any plugin config whose API group is an
 * admission one), given as an input: it is matched through an AdmissionConfiguration's
 * `plugins[].path`. */
export interface GivenPluginConfig {
  file: TextFile;
  line?: number;
  kind: string;
  used: boolean;
}

/** Plugin name -> the kind of its configuration file, for matching a file without a path match. */
const PLUGIN_CONFIG_KINDS: Readonly<Record<string, string>> = {
  EventRateLimit: "Configuration",
  PodSecurity: "PodSecurityConfiguration",
};

/** The kind of an admission plugin configuration document, or undefined. */
export function pluginConfigKind(value: unknown): string | undefined {
  const doc = value as { kind?: unknown; apiVersion?: unknown };
  if (typeof doc?.kind !== "string" || typeof doc.apiVersion !== "string") return undefined;
  const group = doc.apiVersion.split("/")[0]!;
  return /\.admission(\.config)?\.k8s\.io$/.test(group) ? doc.kind : undefined;
}

/** Embeds the given plugin configuration files into the AdmissionConfigurations that name
 * them: each `plugins[]` entry with a `path` whose basename is a given file's (else, when
 * one given file has the kind that plugin reads, that one) gets `configuration` (parsed,
 * key material redacted) and `configurationFrom` {path, readFrom}, as an inline
 * `configuration:` would have it. */
export function attachPluginConfigs(documents: ApiServerConfig[], given: GivenPluginConfig[]): void {
  for (const document of documents) {
    const admission = document.files?.["admission-control-config-file"];
    const plugins = (admission?.content as { plugins?: unknown } | undefined)?.plugins;
    if (admission?.status !== "read" || !Array.isArray(plugins)) continue;
    for (const plugin of plugins as Record<string, unknown>[]) {
      const path = plugin?.["path"];
      if (typeof path !== "string" || plugin["configuration"] !== undefined) continue;
      const byName = given.filter((g) => basename(g.file.path) === basename(path));
      const byKind = given.filter((g) => g.kind === PLUGIN_CONFIG_KINDS[String(plugin["name"])]);
      const match = byName.length === 1 ? byName[0] : byName.length === 0 && byKind.length === 1 ? byKind[0] : undefined;
      if (!match) continue;
      match.used = true;
      const parsed = readYamlDocuments(match.file)[0]?.value;
      plugin["configuration"] = redactKeyMaterial(parsed);
      plugin["configurationFrom"] = { path, readFrom: match.file.path };
    }
  }
}
