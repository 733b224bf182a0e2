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
import { readHostFile, type TextFile } from "../readers/files.js";
import { readYamlDocuments } from "../readers/yaml.js";
import type { ApiServerConfig, ReferencedFile } from "../types.js";
import { redactKeyMaterial } from "./redact.js";

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
  return { path, status: "read", readFrom, content: redactKeyMaterial(first) };
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
