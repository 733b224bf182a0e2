// The command line: declares commands and options, calls the core (the public API, src/index.ts),
// writes the rendered output, and returns the exit code. `-o report` is written target by
// target, as the core run hands each one over.
import { Command, CommanderError, Option } from "commander";
import {
  CONTROL_LIST_FORMATS,
  DEFAULT_MAX_RBAC_BYTES,
  DOCUMENT_FORMATS,
  ExitCode,
  exitCodeForError,
  exitCodeForNormalize,
  exitCodeForReport,
  exitCodeForTally,
  explainControl,
  inertText,
  InputError,
  InternalError,
  judge,
  KubecisError,
  loadKubecis,
  MAX_INPUT_BYTES,
  MAX_TEXT_BYTES,
  normalizeInputs,
  normalizeNode,
  PolicyError,
  readControls,
  readWaiverFile,
  renderControlList,
  renderDocuments,
  renderReport,
  REPORT_FORMATS,
  ReportJsonWriter,
  reportHead,
  run,
  SEVERITIES,
  skipWaivers,
  STATUSES,
  stoppedReport,
  toolVersion,
  unknownSelectors,
  unmatchedNodeWaivers,
  UsageError,
  writeBundles,
  type ControlListFormat,
  type DocumentFormat,
  type JudgeOptions,
  type Normalized,
  type ReadLimits,
  type ReportError,
  type ReportFormat,
  type ResultFilter,
  type RunSource,
  type WaiverRule,
  COMPANION_FRAMEWORKS,
} from "../index.js";
import { SHELLS, renderCompletion } from "./completion.js";
import { startProgress } from "./progress.js";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: (limits?: ReadLimits) => Buffer;
  /** Colour the text report (stdout is a TTY and NO_COLOR is unset). */
  colour: boolean;
  /** Where a progress line of a long run goes: set only when stderr is a TTY. */
  progress?: (text: string) => void;
}

const TEST_FORMATS = REPORT_FORMATS;
type TestFormat = ReportFormat;
/** The formats CI uploads or reads for annotations: a run that stops before it judged anything
 * still prints one, carrying the error (conftest's formats print nothing, as conftest does). */
const STOPPED_FORMATS: ReadonlySet<TestFormat> = new Set(["report", "sarif", "junit", "github"]);

interface TestOptions {
  output: TestFormat;
  kubernetesVersion?: string;
  profile?: string;
  color: boolean;
  failOnWarn?: boolean;
  /** commander's negation of --no-fail. */
  fail: boolean;
  quiet?: boolean;
  data?: string;
  skip: string[];
  exceptions: string[];
  node?: string;
  status?: string[];
  severity?: string[];
  maxRbacFileSize?: number;
  /** `test` only: path globs of walked files not to read. */
  exclude?: string[];
  all?: boolean;
  by: "control" | "subject";
}

const collect = (value: string, previous: string[]) => [...previous, value];
/** --max-rbac-file-size: bytes, or a number with K, M, G (or KiB, MiB, GiB: powers of 1024). */
const parseRbacFileSize = (value: string): number => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])?(?:i?b)?\s*$/i.exec(value);
  const bytes = m ? Math.floor(Number(m[1]) * 1024 ** " kmg".indexOf((m[2] ?? " ").toLowerCase())) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new UsageError(`--max-rbac-file-size: "${value}" is not a size (e.g. 600M, 1G, or bytes)`);
  if (bytes > MAX_TEXT_BYTES) throw new UsageError(`--max-rbac-file-size: ${bytes} bytes is over ${MAX_TEXT_BYTES}, the largest text Node.js can hold in one string; split the export into several files`);
  return bytes;
};
/** A repeatable, comma-separated list option, lower-cased. */
const collectList = (value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(",").map((v) => v.trim().toLowerCase()).filter((v) => v !== "")];
/** `kubecis test --help`: every input form the readers accept (src/readers, src/normalizers). */
const TEST_INPUT_FORMS = `
Inputs (files, directories read recursively, or - for standard input), recognised by content:
  kube-apiserver static pod manifest   Pod YAML or JSON with a kube-apiserver container (kubeadm: /etc/kubernetes/manifests/kube-apiserver.yaml);
                                       a Deployment, StatefulSet, DaemonSet, Job, CronJob, ... whose Pod template runs one (hosted control planes)
  ps output                            \`ps -ef\` / \`ps auxww\` lines of kube-apiserver, hyperkube, k3s or kubelite
  /proc/<pid>/cmdline dump             the NUL-separated command line of a kube-apiserver process
  kubeadm configuration                ClusterConfiguration (kubeadm.k8s.io), apiServer.extraArgs merged over kubeadm's flags
  k3s / RKE2 config.yaml               /etc/rancher/{k3s,rke2}/config.yaml (and config.yaml.d drop-ins), over the built-in flags
  k3s journal                          \`journalctl -u k3s\` output with the server's "Running kube-apiserver" line
  systemd unit                         a kube-apiserver .service unit (ExecStart, Environment, EnvironmentFile)
  MicroK8s args file                   /var/snap/microk8s/current/args/kube-apiserver
  RBAC objects                         Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, ServiceAccounts (and Pods):
                                       \`kubectl get … -o yaml|json\` Lists or single objects, judged together as one snapshot
  node reports                         \`kubecis scan -o report\` JSON of each node: judged as they are, labelled with the node

Examples:
  kubecis test /etc/kubernetes/manifests/kube-apiserver.yaml
  ps -ef | kubecis test -
  kubectl get roles,clusterroles,rolebindings,clusterrolebindings,serviceaccounts -A -o yaml > rbac.yaml && kubecis test rbac.yaml
  kubecis test reports/ -o junit > kubecis.xml
  kubecis test manifests/ --status fail,warn --severity critical,high
`;

/** Runs the CLI with argv (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const program = new Command("kubecis")
    .description("Prove a Kubernetes API server is hardened: CIS checks compiled to WebAssembly.")
    .version(toolVersion(), "--version", "print the kubecis version")
    .exitOverride()
    // commander's own errors quote the argument as given (`--output '…' is invalid`): one line.
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(`${inertText(text.replace(/\n$/, ""))}\n`) })
    .showHelpAfterError("(kubecis <command> --help lists the options)");

  /** The gate options `test` and `scan` share: output, exit codes, waivers, node label. */
  const withGateOptions = (command: Command) =>
    command
      .addOption(
        new Option("-o, --output <format>", "text (human report), report (native JSON), or a conftest format: stdout, json, tap, table, junit, github, sarif")
          .choices(TEST_FORMATS)
          .default("text"),
      )
      .option("--kubernetes-version <version>", "Kubernetes version of the targets (overrides image tags), e.g. 1.33")
      .option("--profile <name>", "benchmark profile (cis-1.5 … cis-1.12, seed-2020); default follows the Kubernetes version")
      .option("--fail-on-warn", "exit 2 on failures and 1 on warnings only (conftest)")
      .option("--no-fail", "exit 0 even with failures or warnings (input errors still exit 4)")
      .option("--quiet", "print nothing when the exit code is 0")
      .option("-d, --data <file>", "parameter overrides, YAML or JSON {params: {...}} (e.g. audit-log-maxage: 90)")
      .option("--skip <id|section>", "waive a control id (KAS-0005), CIS number or section (1.2.15, 1.2) or seed id (S08); repeatable, comma-separated", collect, [])
      .option("--exceptions <file>", "exceptions file: waivers scoped to targets and nodes, with reason and expiry; repeatable", collect, [])
      .option("--node <name>", "label this run's targets with the node they were collected on (fleet runs)")
      .option("--status <list>", `text output: show only results with these statuses (${STATUSES.join(",")}); the summary and the exit code still count every result`, collectList, undefined)
      .option("--severity <list>", `text output: show only results of these severities (${SEVERITIES.join(",")}); the summary and the exit code still count every result`, collectList, undefined)
      .option("--no-color", "plain text output");

  /** What every gate run starts with: options checked, waivers read, kubecis loaded. */
  const startGate = (opts: TestOptions) => {
    const noFail = opts.fail === false;
    if (opts.failOnWarn && noFail) throw new UsageError("--fail-on-warn and --no-fail contradict each other; give one");
    const show = resultFilter(opts);
    const waivers = [...skipWaivers(opts.skip), ...opts.exceptions.flatMap((file) => readWaiverFile(file))];
    if (opts.by === "subject" && opts.output !== "text") throw new UsageError(`--by subject is a text view; -o ${opts.output} lists findings per control (give --all for every one)`);
    const allFindings = opts.all === true || opts.by === "subject";
    const kubecis = loadKubecis({ ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.data ? { dataFile: opts.data } : {}), allFindings });
    if (opts.profile) assertKnownProfile(opts.profile, kubecis.catalog.controls.flatMap((c) => Object.keys(c.frameworks)));
    // A --skip that names no control is a usage error; an exceptions file may outlive a
    // control (or predate one), so there it is a warning that names the file and entry.
    for (const { rule, unknown } of unknownSelectors(waivers, kubecis.catalog.controls)) {
      const names = unknown.map((u) => `"${u}"`).join(", ");
      if (rule.source === "--skip") throw new UsageError(`--skip: ${names}: no control has this id or CIS/seed number or section`);
      io.stderr(`kubecis: warning: ${inertText(`${rule.source}: ${names}`)}: no control has this id or CIS/seed number or section; it waives nothing\n`);
    }
    return { noFail, waivers, kubecis, show, exitOptions: { failOnWarn: Boolean(opts.failOnWarn), noFail } };
  };
  const warnUnmatchedNodes = (waivers: readonly WaiverRule[], nodes: ReadonlySet<string>) => {
    for (const rule of unmatchedNodeWaivers(waivers, nodes)) {
      const onNodes = nodes.size > 0 ? `no target of this run is on ${rule.nodes!.length === 1 ? "that node" : "those nodes"}` : "no target of this run names a node (node reports of `kubecis scan --node`, or --node)";
      io.stderr(`kubecis: warning: ${inertText(`${rule.source}: nodes: ${rule.nodes!.join(", ")}`)}: ${onNodes}; it waives nothing\n`);
    }
  };
  const printErrors = (errors: readonly ReportError[]) => {
    // One line each, that no CI runner reads as a command, whatever the file name or message holds.
    for (const e of errors) io.stderr(`kubecis: ${inertText(`${e.line ? `${e.file}:${e.line}` : e.file}: ${e.message}`)}\n`);
  };

  /**
   * A gate command (`test`, `scan`): loads kubecis, runs the core over `source` with the
   * run's node label and waivers, prints, sets the exit code. `-o report` (without --quiet,
   * which needs the exit code before printing) is written as each target is judged, in
   * chunks of about 1 MB: a run that stops with an error (policy, internal) before its
   * first megabyte prints nothing on stdout, like the other formats; one that stops later
   * leaves a truncated report, and the exit code says so. A run that stops with an input or
   * policy error before writing anything (a bad --data or --exceptions file, a bundle that
   * would not load) still prints, in the formats CI uploads (report, sarif, junit, github),
   * a valid document that carries the error; handleError then prints it and gives the code.
   */
  const runGate = (source: RunSource, opts: TestOptions) => {
    let written = false;
    const write = (text: string) => {
      written = true;
      io.stdout(text);
    };
    try {
      gate(source, opts, write);
    } catch (error) {
      if (!written && STOPPED_FORMATS.has(opts.output) && (error instanceof InputError || error instanceof PolicyError)) {
        const report = stoppedReport(error);
        io.stdout(renderReport(report, opts.output, { colour: false, toolVersion: report.tool.version, controls: [], exitCode: exitCodeForError(error) }));
      }
      throw error;
    }
  };
  const gate = (source: RunSource, opts: TestOptions, write: (text: string) => void) => {
    const { waivers, kubecis, exitOptions, show } = startGate(opts);
    const progress = startProgress(io.progress);
    const options: JudgeOptions = {
      stdin: io.stdin,
      onJudged: progress.judged,
      ...(opts.maxRbacFileSize ? { maxRbacFileBytes: opts.maxRbacFileSize } : {}),
      ...(opts.exclude?.length ? { exclude: opts.exclude } : {}),
      ...(opts.data ? { dataFile: opts.data } : {}),
      onWarning: (message: string) => io.stderr(`kubecis: warning: ${inertText(message)}\n`),
      ...(opts.kubernetesVersion ? { kubernetesVersion: opts.kubernetesVersion } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.node ? { node: opts.node } : {}),
      waivers,
    };
    try {
      if (opts.output === "report" && !opts.quiet) {
        let chunk: string[] = [];
        let chunkLength = 0;
        const flush = () => {
          if (chunk.length > 0) write(chunk.join(""));
          chunk = [];
          chunkLength = 0;
        };
        const writer = new ReportJsonWriter((text) => {
          chunk.push(text);
          chunkLength += text.length;
          if (chunkLength >= 1 << 20) flush();
        });
        writer.begin(reportHead(kubecis));
        const nodes = new Set<string>();
        const { rest, tally } = run(
          source,
          options,
          (target) => {
            if (target.node) nodes.add(target.node);
            writer.target(target);
          },
          kubecis,
        );
        writer.end(rest);
        flush();
        exitCode = exitCodeForTally(tally, exitOptions);
        printErrors(rest.errors);
        warnUnmatchedNodes(waivers, nodes);
        return;
      }
      const report = judge(source, options, kubecis);
      progress.end();
      warnUnmatchedNodes(waivers, new Set(report.targets.flatMap((t) => (t.node ? [t.node] : []))));
      exitCode = exitCodeForReport(report, exitOptions);
      if (opts.quiet && exitCode === ExitCode.Ok) return;
      write(renderReport(report, opts.output, { colour: io.colour && opts.color, toolVersion: kubecis.version, controls: kubecis.catalog.controls, exitCode, ...(show ? { show } : {}), allFindings: opts.all === true, bySubject: opts.by === "subject" }));
      printErrors(report.errors);
    } finally {
      progress.end();
    }
  };

  withGateOptions(
    program
      .command("test")
      .description("judge API-server configurations and RBAC objects (every input form below); - reads stdin")
      .argument("<inputs...>", "files, directories or - for standard input")
      // Only `test` reads RBAC exports (`scan` reads the node's API-server configuration).
      .option("--max-rbac-file-size <size>", `the largest RBAC export file read (a List of Roles, bindings, ServiceAccounts), e.g. 300M; other inputs stay limited to ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, parseRbacFileSize, DEFAULT_MAX_RBAC_BYTES)
      .option("--exclude <glob>", "do not read the files of a walked directory that match this path glob (* within a directory, ** across), e.g. 'charts/**'; repeatable", collect, [])
      .option("--all", "list every RBAC finding (lifts rbac-max-findings for this run); text shows the first 5 per control without it")
      .addOption(new Option("--by <view>", "text output: also list RBAC findings by subject (everything each subject can do that a control flags; every finding)").choices(["control", "subject"]).default("control"))
      .addHelpText("after", TEST_INPUT_FORMS),
  ).action((inputs: string[], opts: TestOptions) => runGate({ paths: inputs }, opts));

  program
    .command("bundle")
    .description("write the OPA bundles (Rego and WASM, with .manifest) and the Rego bundle unpacked for conftest --policy")
    .argument("<dir>", "output directory")
    .action((dir: string) => {
      for (const line of writeBundles(dir)) io.stdout(`${line}\n`);
    });

  withGateOptions(
    program
      .command("scan")
      .description("judge the API server running on this node: found in /proc by its executable, with the files its flags reference")
      .option("--host-root <dir>", "the host's root directory, when kubecis runs in a container with the host mounted (its /proc must be the host's)", "/"),
  ).action((opts: TestOptions & { hostRoot: string }) => runGate({ hostRoot: opts.hostRoot }, opts));

  program
    .command("normalize")
    .description("print the input documents kubecis judges (schemas/), ready for `opa eval -I` or conftest; no inputs with --live reads this node")
    .argument("[inputs...]", "files, directories or - for standard input")
    .addOption(new Option("-o, --output <format>", "output format: one JSON document (an array when there are several), or a YAML stream").choices(DOCUMENT_FORMATS).default("json"))
    .option("--live", "read the API server running on this node, like `kubecis scan`")
    .option("--host-root <dir>", "with --live: the host's root directory", "/")
    .option("--kubernetes-version <version>", "Kubernetes version of the targets (overrides what the inputs say), e.g. 1.33")
    .option("--exclude <glob>", "do not read the files of a walked directory that match this path glob; repeatable", collect, [])
    .action((inputs: string[], opts: { output: DocumentFormat; live?: boolean; hostRoot: string; kubernetesVersion?: string; exclude: string[] }) => {
      const version = { ...(opts.kubernetesVersion ? { kubernetesVersion: opts.kubernetesVersion } : {}), ...(opts.exclude.length ? { exclude: opts.exclude } : {}) };
      if (!opts.live && inputs.length === 0) throw new UsageError("normalize: give inputs, or --live to read this node");
      const normalized: Normalized = opts.live ? normalizeNode({ hostRoot: opts.hostRoot, ...version }) : normalizeInputs(inputs, { stdin: io.stdin, ...version });
      const { documents, errors } = normalized;
      io.stdout(renderDocuments(documents, opts.output));
      printErrors(errors);
      exitCode = exitCodeForNormalize(errors);
    });

  program
    .command("list")
    .description("list every control with its ids")
    .addOption(new Option("-o, --output <format>", "output format").choices(CONTROL_LIST_FORMATS).default("text"))
    .action((opts: { output: ControlListFormat }) => io.stdout(renderControlList(readControls(), opts.output)));

  program
    .command("explain")
    .description("print one control: title, description, severity, CIS numbers, remediation, parameters")
    .argument("<id>", "control id, e.g. KAS-0001")
    .action((id: string) => {
      const text = explainControl(id);
      if (text === undefined) throw new UsageError(`explain: unknown control "${id}"; \`kubecis list\` prints the ids`);
      io.stdout(text);
    });

  program
    .command("completion")
    .description(`print a shell completion script (${SHELLS.join(", ")}): source <(kubecis completion bash)`)
    .argument("<shell>", SHELLS.join(", "))
    .action((shell: string) => io.stdout(renderCompletion(shell, program)));

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return handleError(error, io);
  }
}

/** --status and --severity: checked values, for the text output only (machine formats keep every result). */
function resultFilter(opts: TestOptions): ResultFilter | undefined {
  if (!opts.status && !opts.severity) return undefined;
  if (opts.output !== "text") throw new UsageError(`--status and --severity filter the text output; -o ${opts.output} keeps every result (filter it with its consumer)`);
  const check = <T extends string>(flag: string, values: string[], known: readonly T[]): T[] => {
    for (const v of values) if (!known.includes(v as T)) throw new UsageError(`${flag}: unknown value "${v}"; known: ${known.join(", ")}`);
    return values as T[];
  };
  return {
    ...(opts.status ? { statuses: check("--status", opts.status, STATUSES) } : {}),
    ...(opts.severity ? { severities: check("--severity", opts.severity, SEVERITIES) } : {}),
  };
}

/** A profile is a framework of the catalogue, but not a companion (rbac-risks, kubecis-startup), which gates beside every profile. */
function assertKnownProfile(profile: string, known: string[]): void {
  const names = [...new Set(known)].filter((name) => !COMPANION_FRAMEWORKS.includes(name)).sort();
  if (!names.includes(profile)) throw new UsageError(`--profile: unknown profile "${profile}"; known: ${names.join(", ")}`);
}

/** The one place that turns a thrown error into a message and an exit code. */
function handleError(error: unknown, io: Io): ExitCode {
  if (error instanceof CommanderError) {
    // commander has already printed its message; --help and --version exit 0.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof KubecisError && !(error instanceof InternalError)) {
    io.stderr(`kubecis: ${inertText(error instanceof InputError ? error.describe() : error.message)}\n`);
    return exitCodeForError(error);
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`kubecis: internal error (please report): ${stack}\n`);
  return ExitCode.Internal;
}
