// kube-apiserver Pods: every kube-apiserver container of the Pods in a manifest (a static Pod, a
// List or PodList) and of the Pods a workload's template creates (a hosted control plane's
// Deployment, StatefulSet, ...), refused with the field and line when kubelet would refuse it.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import { expandWord, type Lookup } from "../readers/shell-words.js";
import type { YamlDocument } from "../readers/yaml.js";
import type { TargetSource } from "../types.js";
import { fromCommand } from "./apiserver-command.js";
import { stringsAt, valueAt, type CommandFound, type NormalizeOptions } from "./apiserver-document.js";
import type { ArgvItem } from "./argv.js";
import { versionFromImage } from "./version.js";

/** Every kube-apiserver container of the Pods in already-read YAML documents. A Pod whose
 * containers, command or args have a shape kubelet refuses (not a list, a null container, a
 * number where a string goes) is an input error for that Pod, added to `problems`, naming the
 * field and line; the other Pods are still read. So is a container that is kube-apiserver by
 * its name or image but whose command kubecis cannot read as kube-apiserver (only `args`: the
 * image's entrypoint, which the manifest does not say, runs them). */
export function fromManifests(file: TextFile, yamlDocuments: readonly YamlDocument[], options: NormalizeOptions, problems: InputError[] = []): CommandFound[] {
  const found: CommandFound[] = [];
  for (const doc of yamlDocuments) {
    const pods = podsIn(doc);
    // A kube-apiserver container anywhere else (a custom resource's template, a values file) is
    // one kubecis does not read: never passed over in silence.
    if (file.text.includes("kube-apiserver")) {
      for (const path of strayApiServerContainers(doc.value)) {
        const line = doc.lineAt(path);
        const kind = (doc.value as { kind?: unknown } | null)?.kind;
        problems.push(
          new InputError(`${fieldName(path)}: a kube-apiserver container in ${typeof kind === "string" ? `a ${kind}` : "a document"} that kubecis does not read as a Pod, so it is not judged; give kubecis the Pod it runs (kubectl get pod -o yaml) or its command line`, {
            file: file.path,
            ...(line ? { line } : {}),
          }),
        );
      }
    }
    for (const { path: podPath, workload } of pods) {
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
        const env = containerEnvironment(container);
        // kubelet expands $(NAME) in each word before the process (or its shell) gets it.
        const argv: ArgvItem[] = [
          ...stringsAt(container.command).map((text, k) => ({ text, line: doc.lineAt([...base, "command", k]) })),
          ...stringsAt(container.args).map((text, k) => ({ text, line: doc.lineAt([...base, "args", k]) })),
        ].map(({ text, line }, argIndex) => {
          const expanded = expandWord({ parts: [{ text, live: true }] }, env, "kubelet");
          return {
            text: expanded.text,
            origin: { file: file.path, ...(line ? { line } : {}), argIndex },
            ...(expanded.unresolved.length > 0 ? { unresolved: expanded.unresolved } : {}),
          };
        });
        const version =
          options.kubernetesVersion ?? (typeof container.image === "string" ? versionFromImage(container.image) : undefined);
        const source: TargetSource = {
          path: file.path,
          format: "pod-manifest",
          document: doc.index,
          ...(workload ? { workload } : {}),
          ...(typeof container.name === "string" ? { container: container.name } : {}),
        };
        const line = doc.lineAt(base);
        if (line) source.line = line;
        try {
          const result = fromCommand(source, argv, version, [], env);
          if (result) found.push(result);
          else if (isApiServerContainer(container)) problems.push(unreadableApiServer(file, container, workload, line ?? doc.lineAt(podPath)));
        } catch (error) {
          // sh refuses the container's script: that container is not judged, the others are.
          if (!(error instanceof InputError)) throw error;
          problems.push(error);
        }
      });
    }
  }
  return found;
}

/** A container that runs kube-apiserver by its name or image (registry.k8s.io/kube-apiserver,
 * kube-apiserver-amd64): one whose command kubecis does not read as kube-apiserver is never
 * passed over in silence. Sidecars (kube-apiserver-healthcheck) are neither. */
function isApiServerContainer(container: Container): boolean {
  if (container.name === "kube-apiserver") return true;
  if (typeof container.image !== "string") return false;
  const repository = container.image.split("@")[0]!.replace(/:[^/:]*$/, "");
  return /^kube-apiserver(-(amd64|arm64|arm|ppc64le|s390x))?$/.test(repository.slice(repository.lastIndexOf("/") + 1));
}

/** Paths of the kube-apiserver containers (by name or image: each item of a `containers` list
 * that isApiServerContainer) in a document, or in the items of a List, of a kind not read. */
function strayApiServerContainers(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const kindOf = (v: unknown) => (v as { kind?: unknown } | null)?.kind;
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (node === null || typeof node !== "object") return;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, child] of entries) {
      if (key === "containers" && Array.isArray(child)) {
        child.forEach((c, i) => isMap(c) && isApiServerContainer(c as Container) && found.push([...path, key, i]));
      } else {
        path.push(key);
        walk(child, path);
        path.pop();
      }
    }
  };
  const items = (value as { items?: unknown } | null)?.items;
  if (kindOf(value) === "PodList") return found;
  if (kindOf(value) === "List" && Array.isArray(items)) items.forEach((item, i) => !KINDS_READ.has(kindOf(item) as string) && walk(item, ["items", i]));
  else if (!KINDS_READ.has(kindOf(value) as string)) walk(value, []);
  return found;
}

/** Why a kube-apiserver container is not judged. Without `command`, kubelet runs the image's
 * ENTRYPOINT with the args (the upstream image sets none: build/server-image/kube-apiserver/
 * Dockerfile; its base's is /go-runner), which the manifest does not say. */
function unreadableApiServer(file: TextFile, container: Container, workload: string | undefined, line: number | undefined): InputError {
  const name = typeof container.name === "string" ? JSON.stringify(container.name) : "without a name";
  const where = `${workload ? `${workload}: ` : ""}container ${name}`;
  const why =
    container.command === undefined || (Array.isArray(container.command) && container.command.length === 0)
      ? "has no command: its image's entrypoint runs the args, and the manifest does not say what that is"
      : "runs a command kubecis does not read as kube-apiserver (a wrapper script or an unknown launcher)";
  return new InputError(`${where} ${why}, so it is not judged; give kubecis the kube-apiserver command line (command: [kube-apiserver, …], or \`ps\` output from the node)`, { file: file.path, ...(line ? { line } : {}) });
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
  envFrom?: unknown;
}

/** A container's environment as kubelet builds it (pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables), as far as the manifest says: envFrom first, then each env entry in
 * order, a later one replacing an earlier one of the same name; a non-empty `value` has its
 * $(NAME) references expanded from the entries before it; an empty one without `valueFrom` is
 * "". A valueFrom entry (Secret, ConfigMap, field), a value whose references are unknown, and
 * with envFrom any name env does not set, are set to a value kubecis cannot know (null). The
 * image's own ENV is not known (undefined). */
function containerEnvironment(container: Container): Lookup {
  const values = new Map<string, string | null>();
  const fromEnvFrom = Array.isArray(container.envFrom) && container.envFrom.length > 0;
  const lookup: Lookup = (name) => (values.has(name) ? values.get(name) : fromEnvFrom ? null : undefined);
  if (Array.isArray(container.env)) {
    for (const entry of container.env as { name?: unknown; value?: unknown; valueFrom?: unknown }[]) {
      if (typeof entry?.name !== "string") continue;
      if (typeof entry.value === "string" && entry.value !== "") {
        const expanded = expandWord({ parts: [{ text: entry.value, live: true }] }, lookup, "kubelet");
        values.set(entry.name, expanded.unresolved.length > 0 ? null : expanded.text);
      } else {
        values.set(entry.name, entry.valueFrom !== undefined && entry.valueFrom !== null ? null : "");
      }
    }
  }
  return lookup;
}
interface Pod {
  spec?: { containers?: unknown };
}
const isMap = (v: unknown): v is object => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where each workload kind keeps the template of the Pods it creates (k8s.io/api: apps/v1
 * DeploymentSpec, StatefulSetSpec, DaemonSetSpec, ReplicaSetSpec; core/v1
 * ReplicationControllerSpec, PodTemplate; batch/v1 JobSpec, CronJobSpec.jobTemplate). */
const POD_TEMPLATES: Record<string, string[]> = {
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
  PodTemplate: ["template"],
};

/** Kinds whose kube-apiserver containers podsIn finds, or that have none (RBAC objects). */
const KINDS_READ = new Set(["Pod", ...Object.keys(POD_TEMPLATES), "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"]);

interface PodAt {
  /** Keys and indexes to the Pod, or to the Pod template (metadata and spec, as a Pod). */
  path: (string | number)[];
  /** The workload whose template it is: "Deployment tenant-a/kube-apiserver". */
  workload?: string;
}

/** The Pods of a document: the document itself, a workload's Pod template, or those of the
 * items of a List/PodList. */
export function podsIn(doc: YamlDocument): PodAt[] {
  const value = doc.value as { kind?: unknown; items?: unknown };
  if ((value?.kind === "List" || value?.kind === "PodList") && Array.isArray(value.items)) {
    return value.items.flatMap((item: unknown, i: number) =>
      value.kind === "PodList" ? [{ path: ["items", i] }] : podsOf(item).map((pod) => ({ ...pod, path: ["items", i, ...pod.path] })),
    );
  }
  return podsOf(value);
}

function podsOf(object: unknown): PodAt[] {
  const kind = (object as { kind?: unknown } | null)?.kind;
  if (kind === "Pod") return [{ path: [] }];
  const template = typeof kind === "string" && Object.hasOwn(POD_TEMPLATES, kind) ? POD_TEMPLATES[kind]! : undefined;
  if (!template || valueAt(object, template) === undefined) return [];
  const metadata = (object as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  const name = typeof metadata?.name === "string" ? metadata.name : "(no name)";
  const namespace = typeof metadata?.namespace === "string" ? `${metadata.namespace}/` : "";
  return [{ path: template, workload: `${kind as string} ${namespace}${name}` }];
}

