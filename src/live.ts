// `kubecis scan`: the API server of the node kubecis runs on (or of the host mounted at
// --host-root). Processes are found in <root>/proc by their executable (kube-apiserver,
// hyperkube, k3s, rke2, kubelite), never by grep; each one's argv is read from
// /proc/<pid>/cmdline, the files its flags reference are read through the guarded reader
// under the host root, and the static pod manifest's mode and owner are recorded.
import { basename, join } from "node:path";
import { InputError } from "./errors.js";
import {
  byConfigName,
  configLayer,
  configNotGiven,
  distributionConfigPath,
  fromArgsFile,
  fromCommand,
  fromDistributionLayers,
  fromManifests,
  isConfigDropIn,
  type DistributionLayer,
  type NormalizeOptions,
} from "./normalizers/apiserver.js";
import { API_SERVER_EXECUTABLES } from "./readers/command.js";
import { attachHostFiles } from "./normalizers/referenced-files.js";
import { listHostDirectory, readHostFile, statHostFile } from "./readers/host-files.js";
import { listProcesses, readBinaryVersion, readProcessVariable, type ProcessEntry } from "./readers/proc.js";
import { parseVersion, versionFromDistributionRelease } from "./normalizers/version.js";
import { readYamlDocuments } from "./readers/yaml.js";
import type { ApiServerConfig, ManifestMetadata } from "./types.js";

/** Where distributions keep the API server's static pod manifest. */
export const MANIFEST_PATHS = [
  "/etc/kubernetes/manifests/kube-apiserver.yaml",
  "/etc/kubernetes/manifests/kube-apiserver.manifest",
  "/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml",
];

/** Processes under <root>/proc whose executable (or argv[0]) is an API-server binary. */
export function findApiServerProcesses(hostRoot: string): ProcessEntry[] {
  return listProcesses(hostRoot).filter(
    (p) => p.pid !== process.pid && (API_SERVER_EXECUTABLES.has(basename(p.executable)) || API_SERVER_EXECUTABLES.has(basename(p.argv[0] ?? ""))),
  );
}

export interface LiveResult {
  documents: ApiServerConfig[];
  errors: InputError[];
}

/** Every API server running on the node, with referenced files and manifest metadata. */
export function collectLiveNode(hostRoot: string, options: NormalizeOptions): LiveResult {
  const documents: ApiServerConfig[] = [];
  const errors: InputError[] = [];
  const processes = findApiServerProcesses(hostRoot);
  const manifest = findManifest(hostRoot);
  const hasKubeApiserver = processes.some((p) => basename(p.executable) === "kube-apiserver" || basename(p.argv[0] ?? "") === "kube-apiserver");
  for (const process of processes) {
    const file = `/proc/${process.pid}/cmdline`;
    if (process.error !== undefined) {
      errors.push(new InputError(`the command line of process ${process.pid} (${basename(process.executable)}): ${process.error}`, { file }));
      continue;
    }
    const items = process.argv.map((text, argIndex) => ({ text, origin: { file, argIndex } }));
    const version = options.kubernetesVersion ?? binaryVersion(process) ?? manifest?.version;
    const found = fromCommand({ path: file, format: "live-process" }, items, version);
    if (!found) continue;
    let document: ApiServerConfig | undefined;
    if (found.kind === "document") {
      document = found.document;
    } else if (found.kind === "layer") {
      // RKE2 runs kube-apiserver as its own process (a static pod): judge that one.
      if (found.layer.distribution === "rke2" && hasKubeApiserver) continue;
      readConfigVariable(hostRoot, process.pid, found.layer);
      document = fromDistributionLayers([...distributionConfigLayers(hostRoot, found.layer), found.layer], options);
    } else {
      const read = readHostFile(hostRoot, found.argsFile);
      if (read.status !== "read") {
        errors.push(new InputError(`kubelite's args file ${found.argsFile}: ${read.error}`, { file }));
        continue;
      }
      document = fromArgsFile(read.file, options);
    }
    if (manifest && found.kind === "document") document.manifest = manifest.metadata;
    attachHostFiles(document, hostRoot);
    documents.push(document);
  }
  if (documents.length === 0 && errors.length === 0) {
    errors.push(
      new InputError(
        `no API server process found (looked for the executables ${[...API_SERVER_EXECUTABLES].join(", ")}); on a node, run as root; in a container, mount the host and pass --host-root with the host's /proc visible (hostPID)`,
        { file: join(hostRoot, "proc") },
      ),
    );
  }
  return { documents, errors };
}

/** The release the running binary was built as, read from /proc/<pid>/exe (see listProcesses). */
function binaryVersion({ pid, binary }: ProcessEntry): ApiServerConfig["kubernetesVersion"] | undefined {
  const release = binary === undefined ? undefined : readBinaryVersion(binary);
  if (!release) return undefined;
  const where = `the executable of process ${pid}`;
  return /\+(k3s|rke2)/.test(release) ? versionFromDistributionRelease(release, where) : parseVersion(release, `binary version ${release} (${where})`);
}

/** The <PROGRAM>_CONFIG_FILE variable of a k3s/RKE2 server process, which names its config
 * file before --config and the default (k3s pkg/configfilearg/parser.go findConfigFileFlag;
 * an empty value is no value). Only that variable is read (readProcessVariable). An
 * environment kubecis cannot read may name any file: said, as incomplete-flags. */
function readConfigVariable(hostRoot: string, pid: number, cli: DistributionLayer): void {
  const name = cli.distribution.toUpperCase() + "_CONFIG_FILE";
  const variable = readProcessVariable(hostRoot, pid, name);
  if (variable.status === "set" && variable.value !== "") cli.configFromEnvironment = variable.value;
  if (variable.status !== "unreadable") return;
  const program = cli.distribution === "k3s" ? "k3s" : "RKE2";
  cli.diagnostics = [
    ...(cli.diagnostics ?? []),
    {
      code: "incomplete-flags",
      message: `/proc/${pid}/environ could not be read (${variable.error}): ${name}, which ${program} reads before --config, may name another config file than ${distributionConfigPath(cli)}, whose kube-apiserver-arg entries add to or override the flags seen; run kubecis scan as root`,
      origin: { file: `/proc/${pid}/environ` },
    },
  ];
}

/** The config file of a k3s/RKE2 server and its drop-ins (isConfigDropIn, byConfigName), as
 * the node has them. */
function distributionConfigLayers(hostRoot: string, cli: DistributionLayer): DistributionLayer[] {
  const base = distributionConfigPath(cli);
  const paths = [base];
  const dropIns = listHostDirectory(hostRoot, `${base}.d`, true).filter(isConfigDropIn).sort(byConfigName);
  paths.push(...dropIns.map((n) => `${base}.d/${n}`));
  const layers: DistributionLayer[] = [];
  for (const path of paths) {
    const read = readHostFile(hostRoot, path);
    // A config file the node does not have is fine (k3s runs without one); one kubecis cannot
    // read may hold any kube-apiserver-arg.
    if (read.status === "unreadable") cli.diagnostics = [...(cli.diagnostics ?? []), configNotGiven(cli, `${path} could not be read (${read.error})`)];
    if (read.status !== "read") continue;
    for (const doc of readYamlDocuments(read.file)) layers.push(configLayer(read.file, doc, cli.distribution));
  }
  return layers;
}

/** The first static pod manifest found, its metadata and the version its image tag gives. */
function findManifest(hostRoot: string): { metadata: ManifestMetadata; version?: ApiServerConfig["kubernetesVersion"] } | undefined {
  for (const path of MANIFEST_PATHS) {
    const stat = statHostFile(hostRoot, path);
    if (!stat) continue;
    const metadata: ManifestMetadata = { path, mode: `0${(stat.mode & 0o7777).toString(8).padStart(3, "0")}`, uid: stat.uid, gid: stat.gid };
    const owner = nameOf(hostRoot, "/etc/passwd", stat.uid);
    const group = nameOf(hostRoot, "/etc/group", stat.gid);
    if (owner) metadata.owner = owner;
    if (group) metadata.group = group;
    const read = readHostFile(hostRoot, path);
    let version;
    if (read.status === "read") {
      try {
        const found = fromManifests(read.file, readYamlDocuments(read.file), {});
        const first = found.find((f) => f.kind === "document");
        if (first?.kind === "document" && first.document.kubernetesVersion.version) version = first.document.kubernetesVersion;
      } catch {
        // A manifest that does not parse still has a mode and owner.
      }
    }
    return version ? { metadata, version } : { metadata };
  }
  return undefined;
}

function nameOf(hostRoot: string, database: string, id: number): string | undefined {
  const read = readHostFile(hostRoot, database);
  if (read.status !== "read") return undefined;
  for (const line of read.file.text.split("\n")) {
    const fields = line.split(":");
    if (fields[2] === String(id)) return fields[0];
  }
  return undefined;
}

