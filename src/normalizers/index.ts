// Dispatch from input files to the normalizers: the one place that decides what form a file
// is. Each file is read once by the reader for its format; each normalizer takes the objects
// of its kind. Self-contained targets (manifests, process lines, cmdline dumps, journals,
// kubeadm configs, MicroK8s args files) are built per file; inputs that only make sense
// together (k3s/RKE2 config.yaml and its config.yaml.d drop-ins, systemd units and their
// environment files, referenced configuration files) are collected over the whole run and
// built once at the end.
//
// Form detection, in order: a node report (a kubecis Report as JSON), when the run reads them;
// a NUL-separated (or cmdline-named) dump; .yaml/.yml/.json →
// YAML; a journal with "Running kube-apiserver --"; a systemd unit ([Service] + ExecStart=);
// a MicroK8s args file (only --flag lines); an environment file (only KEY=value lines);
// otherwise process-list text (.ps, .txt, .log or any text with an API-server command line);
// otherwise YAML.
import { basename } from "node:path";
import { InputError, NoTargetError } from "../errors.js";
import { YAML_OR_JSON_NAME, type TextFile } from "../readers/files.js";
import { looksLikeArgsFile } from "../readers/args-file.js";
import { looksLikeJournal, looksLikeProcessList, readPsText } from "../readers/ps.js";
import {
  looksLikeEnvironmentFile,
  looksLikeSystemdDropIn,
  looksLikeSystemdUnit,
  readEnvironmentFile,
  readSystemdUnit,
  unitOfDropIn,
  type Assignment,
  type SystemdUnit,
  type UnitEnvironment,
} from "../readers/systemd.js";
import { readYamlDocuments } from "../readers/yaml.js";
import type { ApiServerConfig, Diagnostic, InputDocument, RbacSnapshot, TargetSource } from "../types.js";
import {
  byConfigName,
  configFileOf,
  configLayer,
  configNotGiven,
  distributionConfigPath,
  distributionOfConfig,
  fromArgsFile,
  fromCmdline,
  fromDistributionLayers,
  fromJournal,
  fromKubeadm,
  fromManifests,
  fromProcessList,
  fromSystemdUnit,
  isKubeadmDocument,
  readsConfig,
  type CommandFound,
  type DistributionLayer,
  type NormalizeOptions,
} from "./apiserver.js";
import { isInputDocument, looksLikeInputDocuments, readInputDocuments } from "./documents.js";
import { readNodeReport, type NodeReport } from "./node-report.js";
import { ConflictingCopies, buildRbacSnapshot, rbacObjectsIn, type RbacObject } from "./rbac.js";
import {
  attachGivenFiles,
  attachPluginConfigs,
  flagForDocument,
  flagPath,
  pluginConfigKind,
  REFERENCED_FILE_FLAGS,
  type GivenConfig,
  type GivenPluginConfig,
} from "./referenced-files.js";

export type { NodeReport, NormalizeOptions };

/** Collects what one run's inputs contain and turns it into input documents. */
export class InputCollector {
  readonly documents: InputDocument[] = [];
  /** Node reports among the inputs, when the run reads them (`kubecis test`), in input order. */
  readonly nodeReports: NodeReport[] = [];
  /** Problems found when the run's inputs are put together (finish()). */
  readonly errors: InputError[] = [];
  private readonly layers: DistributionLayer[] = [];
  private readonly units: { file: TextFile; unit: SystemdUnit }[] = [];
  private readonly dropIns: { file: TextFile; used: boolean }[] = [];
  private readonly environmentFiles: { file: TextFile; values: Map<string, Assignment>; used: boolean }[] = [];
  private readonly kubelites: { argsFile: string; source: TargetSource }[] = [];
  private readonly argsFiles: TextFile[] = [];
  private readonly configs: GivenConfig[] = [];
  private readonly pluginConfigs: GivenPluginConfig[] = [];
  private readonly unparsed: { file: TextFile; error: InputError }[] = [];
  private readonly rbacObjects: RbacObject[] = [];
  private readonly rbacFiles: string[] = [];
  /** Files that held Pods and nothing else kubecis reads. */
  private readonly podFiles: string[] = [];
  private rbacSnapshot: RbacSnapshot | undefined;
  /** Input files that were rejected: while any is, the RBAC inventory is incomplete. */
  private readonly rejected: string[] = [];

  /** readsNodeReports: take kubecis Reports as inputs (`kubecis test`); `normalize` does not. */
  constructor(
    private readonly options: NormalizeOptions = {},
    private readonly readsNodeReports = false,
  ) {}

  /** How many files were taken as targets or as inputs that targets use. */
  accepted = 0;

  /** Records an input file (or path) that was rejected: it could not be read or parsed, or held
   * an invalid object. Whatever it held is missing from the run's RBAC inventory. */
  reject(path: string): void {
    this.rejected.push(path);
  }

  /** Normalizes one file; throws InputError when it holds nothing kubecis can use
   * (NoTargetError when it is readable but holds nothing kubecis reads). */
  add(file: TextFile): void {
    this.classify(file);
    this.accepted++;
  }

  private classify(file: TextFile): void {
    const nodeReport = this.readsNodeReports ? readNodeReport(file) : undefined;
    if (nodeReport) return void this.nodeReports.push(nodeReport);
    if (file.form === "cmdline") return this.push(file, fromCmdline(file, this.options));
    if (YAML_OR_JSON_NAME.test(file.path) || looksLikeInputDocuments(file)) return this.addYaml(file);
    if (looksLikeJournal(file)) return this.push(file, fromJournal(file, this.options));
    if (looksLikeSystemdDropIn(file)) return void this.dropIns.push({ file, used: false });
    if (looksLikeSystemdUnit(file)) {
      this.units.push({ file, unit: readSystemdUnit(file) });
      return;
    }
    if (looksLikeArgsFile(file)) {
      this.argsFiles.push(file);
      this.documents.push(fromArgsFile(file, this.options));
      return;
    }
    if (looksLikeEnvironmentFile(file)) {
      this.environmentFiles.push({ file, values: readEnvironmentFile(file), used: false });
      return;
    }
    if (/\.(ps|txt|log)$/i.test(file.path) || looksLikeProcessList(file) || readPsText(file).length > 0) {
      const found = fromProcessList(file, this.options);
      // `ps -ef | kubecis test -` where no API server runs: say so, not "invalid YAML".
      if (found.length === 0 && looksLikeProcessList(file)) {
        const lines = file.text.split("\n").filter((l) => l.trim() !== "").length - 1;
        throw new NoTargetError(`a process list of ${lines} processes, none of them a kube-apiserver (or hyperkube, k3s, RKE2, kubelite) process: run this on a control-plane node, or \`kubecis scan\` there`, { file: file.path });
      }
      return this.push(file, found);
    }
    this.addYaml(file);
  }

  private addYaml(file: TextFile): void {
    let yaml;
    try {
      yaml = readYamlDocuments(file);
    } catch (error) {
      // It may be a referenced configuration file: finish() decides (by basename).
      if (!(error instanceof InputError)) throw error;
      this.unparsed.push({ file, error });
      return;
    }
    // Documents `kubecis normalize` printed are taken as they are, once checked.
    if (yaml.some((doc) => isInputDocument(doc.value))) {
      for (const doc of yaml) {
        if (!isInputDocument(doc.value)) {
          throw new InputError(`document ${doc.index + 1} is not a kubecis input document, in a file of kubecis input documents`, { file: file.path, ...(doc.lineAt([]) ? { line: doc.lineAt([])! } : {}) });
        }
        this.documents.push(...readInputDocuments(file, doc, this.options.kubernetesVersion));
      }
      return;
    }
    const errorsBefore = this.errors.length;
    const found: CommandFound[] = [...fromManifests(file, yaml, this.options, this.errors), ...fromKubeadm(file, yaml, this.options)];
    // RBAC objects of every input form one snapshot, built in finish().
    const rbac = rbacObjectsIn(file, yaml);
    for (const object of rbac) this.rbacObjects.push(object);
    if (rbac.length > 0) this.rbacFiles.push(file.path);
    // Pods support nothing on their own (finish() decides whether they are judged).
    const podsOnly = rbac.length > 0 && rbac.every((object) => object.kind === "Pod");
    let supporting = rbac.length > 0 && !podsOnly;
    for (const doc of yaml) {
      const flag = flagForDocument(doc.value);
      if (flag) {
        const line = doc.lineAt([]);
        this.configs.push({ flag, file: { path: file.path, text: file.text }, ...(line ? { line } : {}), used: false });
        supporting = true;
        continue;
      }
      const pluginKind = pluginConfigKind(doc.value);
      if (pluginKind) {
        const line = doc.lineAt([]);
        this.pluginConfigs.push({ file, kind: pluginKind, ...(line ? { line } : {}), used: false });
        supporting = true;
        continue;
      }
      const distribution = isKubeadmDocument(doc.value) ? undefined : distributionOfConfig(file.path, doc.value);
      if (distribution && doc.index > 0) {
        // k3s pkg/configfilearg/parser.go readConfigFile: yaml.v2 Unmarshal decodes only the
        // first document of a config file; the others change nothing.
        const line = doc.lineAt([]);
        const message = `document ${doc.index + 1} of this file: ${distribution === "k3s" ? "k3s" : "RKE2"} reads only the first YAML document of a config file, so these settings change nothing`;
        const first = this.layers.find((l) => l.file === file.path && l.source.document === 0);
        if (first) (first.diagnostics ??= []).push({ code: "ignored-setting", message, origin: { file: file.path, ...(line ? { line } : {}) } });
        else this.errors.push(new InputError(message, { file: file.path, ...(line ? { line } : {}) }));
        supporting = true;
      } else if (distribution) {
        this.layers.push(configLayer(file, doc, distribution));
        supporting = true;
      }
    }
    if (podsOnly && !supporting && found.length === 0) {
      this.podFiles.push(file.path);
      return;
    }
    if (supporting && found.length === 0) return;
    // A Pod of the wrong shape was already reported, naming its field and line.
    if (found.length === 0 && this.errors.length > errorsBefore) return;
    this.push(file, found);
  }

  /** The documents of the whole run, in input order, with run-wide inputs put together; the
   * one RBAC snapshot of the run comes last. */
  finish(): InputDocument[] {
    // systemd first: a unit that runs `k3s server` is a distribution layer.
    this.finishSystemd();
    this.finishDropIns();
    this.finishDistributions();
    for (const { argsFile, source } of this.kubelites) {
      if (this.argsFiles.some((f) => f.path === argsFile || basename(f.path) === basename(argsFile))) continue;
      this.errors.push(
        new InputError(
          `kubelite (MicroK8s) reads kube-apiserver's flags from ${argsFile}; give that file as an input too (or run \`kubecis scan\` on the node)`,
          { file: source.path, ...(source.line ? { line: source.line } : {}) },
        ),
      );
    }
    const apiServers = this.documents.filter((d): d is ApiServerConfig => d.kind === "ApiServerConfig");
    attachGivenFiles(apiServers, this.configs);
    attachPluginConfigs(apiServers, this.pluginConfigs);
    for (const config of this.pluginConfigs) {
      if (config.used) continue;
      this.errors.push(
        new InputError(
          `this admission plugin configuration (${config.kind}) was matched to no AdmissionConfiguration in this run: give the AdmissionConfiguration whose plugins[].path names it, with the API server that loads it`,
          { file: config.file.path, ...(config.line ? { line: config.line } : {}) },
        ),
      );
    }
    // A YAML input that does not parse, named like a file a flag references, is that file,
    // "invalid": the checks that need it give `error`. Otherwise it is an input error.
    for (const { file, error } of this.unparsed) {
      let matched = false;
      for (const document of apiServers) {
        for (const flag of Object.keys(REFERENCED_FILE_FLAGS)) {
          const path = flagPath(document, flag);
          if (path === undefined || document.files?.[flag] || basename(path) !== basename(file.path)) continue;
          const where = error.location.line ? ` (line ${error.location.line})` : "";
          (document.files ??= {})[flag] = { path, status: "invalid", readFrom: file.path, error: `${error.message}${where}` };
          matched = true;
        }
      }
      if (!matched) {
        this.errors.push(error);
        this.reject(file.path);
      }
    }
    for (const config of this.configs) {
      if (config.used) continue;
      const flag = `--${config.flag}`;
      this.errors.push(
        new InputError(
          `this ${REFERENCED_FILE_FLAGS[config.flag]!.kind} was matched to no API server in this run: none sets ${flag}, or several ${REFERENCED_FILE_FLAGS[config.flag]!.kind} files were given and no ${flag} path has this file's name`,
          { file: config.file.path, ...(config.line ? { line: config.line } : {}) },
        ),
      );
    }
    for (const env of this.environmentFiles) {
      if (env.used) continue;
      this.errors.push(
        new InputError("an environment file that no systemd unit in this run loads (EnvironmentFile=); give it together with the kube-apiserver unit", {
          file: env.file.path,
        }),
      );
    }
    if (this.rbacObjects.every((object) => object.kind === "Pod")) {
      // Pods are judged only beside the RBAC objects. Without them, a file that gave nothing
      // but Pods is an input error (a Pod list that holds an API server is judged as that).
      this.rbacObjects.length = 0;
      for (const path of this.podFiles) {
        this.errors.push(
          new InputError(
            "Pods alone are not judged: give them together with the RBAC objects (kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts -A -o json)",
            { file: path },
          ),
        );
      }
    }
    if (this.rbacObjects.length > 0) {
      const options = { ...(this.options.kubernetesVersion ? { kubernetesVersion: this.options.kubernetesVersion } : {}), rejected: this.rejected };
      // The raw objects are let go once the snapshot holds what the checks read: at 100k
      // bindings they are most of the heap the evaluation would otherwise carry.
      let objects = this.rbacObjects.splice(0);
      let files = this.rbacFiles;
      for (;;) {
        try {
          this.rbacSnapshot = buildRbacSnapshot(objects, files, options);
          break;
        } catch (error) {
          // A file whose copy of an object differs from another's: refused, and the rest built again.
          if (!(error instanceof ConflictingCopies)) throw error;
          this.errors.push(error);
          this.reject(error.location.file);
          objects = objects.filter((object) => object.file !== error.location.file);
          files = files.filter((file) => file !== error.location.file);
          if (objects.length === 0) break;
        }
      }
    }
    return this.rbacSnapshot ? [...this.documents, this.rbacSnapshot] : this.documents;
  }

  /** k3s/RKE2: per distribution, the config file first, then its `.d` drop-ins sorted by name,
   * then each server command line; one target per command line (with the config files it
   * reads), or one for the files. A config file that no server given in the run reads is an
   * input error. */
  private finishDistributions(): void {
    for (const distribution of ["k3s", "rke2"] as const) {
      const mine = this.layers.filter((l) => l.distribution === distribution);
      const configs = [
        ...mine.filter((l) => l.role === "config" && !configFileOf(l).dropIn),
        ...mine.filter((l) => l.role === "config" && configFileOf(l).dropIn).sort((a, b) => byConfigName(a.file, b.file)),
      ];
      const clis = mine.filter((l) => l.role === "cli");
      if (clis.length === 0 && configs.length > 0) this.documents.push(fromDistributionLayers(configs, this.options));
      const read = new Set<DistributionLayer>();
      for (const cli of clis) {
        // A server command line alone is not the whole configuration (k3s always reads its
        // config file when there is one): judged, but no control reading a flag passes.
        // With its config file given, the drop-ins given beside it are taken to be all of them.
        const path = distributionConfigPath(cli);
        const its = configs.filter((l) => readsConfig(path, l));
        its.forEach((l) => read.add(l));
        if (its.length === 0) {
          const why = configs.length === 0 ? "they were not given" : `the config files given are not ${path}`;
          cli.diagnostics = [...(cli.diagnostics ?? []), configNotGiven(cli, `${why}: give them too (or run \`kubecis scan\` on the node)`)];
        }
        this.documents.push(fromDistributionLayers([...its, cli], this.options));
      }
      if (clis.length === 0) continue;
      const paths = [...new Set(clis.map(distributionConfigPath))].join(", ");
      for (const layer of configs.filter((l) => !read.has(l))) {
        this.errors.push(
          new InputError(
            `no ${distribution === "k3s" ? "k3s" : "RKE2"} server command line in this run reads this file: they read ${paths} (--config, ${distribution.toUpperCase()}_CONFIG_FILE or the default); give the config file the server reads`,
            { file: layer.file },
          ),
        );
        this.reject(layer.file);
      }
    }
  }

  /** systemd units: $VARs from Environment= and from the environment files given in the run,
   * matched to EnvironmentFile= by full path, else by basename. systemd reads Environment=
   * first, then each EnvironmentFile= in order, a later assignment replacing an earlier one
   * (systemd.exec(5)): a file that was not given may replace any variable set before it. */
  private finishSystemd(): void {
    for (const entry of this.units) {
      const { file } = entry;
      // systemd.unit(5): <unit>.d/*.conf are read after the unit, sorted by name.
      const dropIns = this.dropIns
        .filter((d) => unitOfDropIn(d.file.path) === basename(file.path))
        .sort((a, b) => (basename(a.file.path) < basename(b.file.path) ? -1 : 1));
      dropIns.forEach((d) => (d.used = true));
      const unit = dropIns.length > 0 ? readSystemdUnit(file, dropIns.map((d) => d.file)) : entry.unit;
      const values = new Map<string, Assignment>(unit.environment);
      /** Where each variable was last set: the index of its EnvironmentFile=, -1 for Environment=. */
      const setAt = new Map<string, number>([...unit.environment.keys()].map((k) => [k, -1]));
      const notGiven: { index: number; name: string }[] = [];
      const unresolved: Diagnostic[] = [];
      unit.environmentFiles.forEach((ref, index) => {
        const env =
          this.environmentFiles.find((e) => e.file.path === ref.path) ??
          this.environmentFiles.find((e) => basename(e.file.path) === basename(ref.path));
        const name = `EnvironmentFile=${ref.optional ? "-" : ""}${ref.path}`;
        if (!env) {
          notGiven.push({ index, name });
          unresolved.push({
            code: "unresolved-variable",
            message: `${name} was not given to kubecis; the variables it sets are unknown`,
            origin: { file: ref.file, line: ref.line },
          });
          return;
        }
        env.used = true;
        for (const [k, v] of env.values) {
          values.set(k, v);
          setAt.set(k, index);
        }
      });
      // UnsetEnvironment= is applied last: NAME removes it, NAME=VALUE only that assignment.
      for (const entry of unit.unsetEnvironment) {
        const eq = entry.indexOf("=");
        const name = eq === -1 ? entry : entry.slice(0, eq);
        if (eq === -1 || values.get(name)?.value === entry.slice(eq + 1)) {
          values.delete(name);
          setAt.set(name, Infinity);
        }
      }
      const environment: UnitEnvironment = {
        values,
        notGivenAfter: (name) => [
          ...(unit.passEnvironment.has(name) && !setAt.has(name) ? [`PassEnvironment=${name} (the service manager's environment)`] : []),
          ...notGiven.filter((f) => f.index > (setAt.get(name) ?? -1)).map((f) => f.name),
        ],
      };
      try {
        const found = fromSystemdUnit(file, unit, environment, unresolved, this.options);
        this.push(file, found ? [found] : []);
      } catch (error) {
        this.errors.push(error as InputError);
      }
    }
  }

  /** Drop-ins whose unit was not given: systemd applies them to a unit kubecis did not see. */
  private finishDropIns(): void {
    for (const { file } of this.dropIns.filter((d) => !d.used)) {
      this.errors.push(
        new InputError(`a systemd drop-in for ${unitOfDropIn(file.path)}, which was not given: systemd reads it after that unit, so it is judged only with it; give the unit too`, {
          file: file.path,
        }),
      );
      this.reject(file.path);
    }
  }

  private push(file: TextFile, found: CommandFound[]): void {
    if (found.length === 0) {
      throw new NoTargetError(
        "no kube-apiserver found and no RBAC objects: expected a Pod manifest with a kube-apiserver container, `ps` output or a /proc/<pid>/cmdline dump of a kube-apiserver (hyperkube, k3s, kubelite) process, a k3s journal, a kubeadm ClusterConfiguration, a k3s/RKE2 config.yaml, a systemd unit or a MicroK8s args file; or Roles, ClusterRoles, their bindings and ServiceAccounts (`kubectl get … -o yaml`)",
        { file: file.path },
      );
    }
    for (const item of found) {
      if (item.kind === "document") this.documents.push(item.document);
      else if (item.kind === "layer") this.layers.push(item.layer);
      else this.kubelites.push({ argsFile: item.argsFile, source: item.source });
    }
  }
}
