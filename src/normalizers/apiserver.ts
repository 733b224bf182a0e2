// Normalizer for kube-apiserver configurations: turns what the readers found (a static pod
// manifest's container, a ps line) into ApiServerConfig documents.
import type { TextFile } from "../readers/files.js";
import { isApiServer, readPsText } from "../readers/ps.js";
import type { YamlDocument } from "../readers/yaml.js";
import { API_VERSION, type ApiServerConfig, type KubernetesVersion, type TargetSource } from "../types.js";
import { parseArgv, type ArgvItem } from "./argv.js";
import { loadFlagTable } from "./flag-table.js";
import { UNKNOWN_VERSION, versionFromImage } from "./version.js";

export interface NormalizeOptions {
  /** Overrides the version found in the input. */
  kubernetesVersion?: KubernetesVersion;
}

/** `ps -ef` text or a bare command line: each kube-apiserver process is a target. */
export function looksLikeProcessList(file: TextFile): boolean {
  if (/\.(ya?ml|json)$/i.test(file.path)) return false;
  if (/\.(ps|txt)$/i.test(file.path)) return true;
  return readPsText(file).length > 0 && !/^\s*(apiVersion|kind)\s*:/m.test(file.text);
}

export function fromProcessList(file: TextFile, options: NormalizeOptions): ApiServerConfig[] {
  return readPsText(file).map(({ line, argv }) =>
    buildDocument(
      { path: file.path, format: "ps", line },
      argv.map((text, argIndex) => ({ text, origin: { file: file.path, line, argIndex } })),
      options.kubernetesVersion ?? UNKNOWN_VERSION,
    ),
  );
}

/** Every kube-apiserver container of the Pods in already-read YAML documents. */
export function fromManifests(file: TextFile, yamlDocuments: readonly YamlDocument[], options: NormalizeOptions): ApiServerConfig[] {
  const documents: ApiServerConfig[] = [];
  for (const doc of yamlDocuments) {
    for (const podPath of podsIn(doc)) {
      const pod = valueAt(doc.value, podPath) as Pod;
      const containers = pod.spec?.containers;
      if (!Array.isArray(containers)) continue;
      containers.forEach((container, c) => {
        const base = [...podPath, "spec", "containers", c];
        const argv: ArgvItem[] = [
          ...stringsAt(container.command).map((text, k) => ({ text, line: doc.lineAt([...base, "command", k]) })),
          ...stringsAt(container.args).map((text, k) => ({ text, line: doc.lineAt([...base, "args", k]) })),
        ].map(({ text, line }, argIndex) => ({
          text,
          origin: { file: file.path, ...(line ? { line } : {}), argIndex },
        }));
        if (!argv[0] || !isApiServer(argv[0].text)) return;
        const version =
          options.kubernetesVersion ??
          (typeof container.image === "string" ? versionFromImage(container.image) : undefined) ??
          UNKNOWN_VERSION;
        const source: TargetSource = {
          path: file.path,
          format: "pod-manifest",
          document: doc.index,
          ...(typeof container.name === "string" ? { container: container.name } : {}),
        };
        const line = doc.lineAt(base);
        if (line) source.line = line;
        documents.push(buildDocument(source, argv, version));
      });
    }
  }
  return documents;
}

interface Container {
  name?: unknown;
  image?: unknown;
  command?: unknown;
  args?: unknown;
}
interface Pod {
  spec?: { containers?: Container[] };
}

/** Paths of the Pods in a document: the document itself, or the items of a List/PodList. */
function podsIn(doc: YamlDocument): (string | number)[][] {
  const value = doc.value as { kind?: unknown; items?: unknown };
  if (value?.kind === "Pod") return [[]];
  if ((value?.kind === "List" || value?.kind === "PodList") && Array.isArray(value.items)) {
    return value.items.flatMap((item: { kind?: unknown }, i: number) =>
      item?.kind === "Pod" || value.kind === "PodList" ? [["items", i]] : [],
    );
  }
  return [];
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
}

function stringsAt(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => (typeof item === "string" ? item : String(item))) : [];
}

function buildDocument(source: TargetSource, argv: ArgvItem[], version: KubernetesVersion): ApiServerConfig {
  const { flags, diagnostics } = parseArgv(argv, loadFlagTable());
  return {
    apiVersion: API_VERSION,
    kind: "ApiServerConfig",
    metadata: { source },
    kubernetesVersion: version,
    flags,
    diagnostics,
  };
}
