// The core run: inputs → documents → one WASM evaluation per document → targets, each handed
// to the caller as soon as it is judged (labelled with its node and waived), then the rest of
// the report. Batch callers collect the targets (judge); the CLI streams them (`-o report`).
import { tallyResults, type RunTally } from "./exit-codes.js";
import { buildReport, buildTarget, countStatuses, nodeTally, summariseNodes, type NodeTally } from "./report.js";
import { loadKubecis, normalizeNode, prepareInputs, toolVersion, type Kubecis, type PreparedInputs, type RunOptions } from "./scan.js";
import { InputError, PolicyError } from "./errors.js";
import { readCatalog } from "./engine/catalog.js";
import { catalogPath } from "./paths.js";
import { STATUSES, type EngineReport, type Report, type ReportError, type Target } from "./types.js";
import { todayUtc, waiveTarget, type WaiverRule } from "./waivers.js";

/** What a run judges: input paths (`kubecis test`), or the API servers running on the node
 * (or on the host mounted at hostRoot: `kubecis scan`). */
export type RunSource = { paths: readonly string[] } | { hostRoot: string };

export interface JudgeOptions extends RunOptions {
  /** Labels every target that names no node (`--node`). */
  node?: string;
  /** Waivers applied to each target as it is judged; when given, the report counts `waived`. */
  waivers?: readonly WaiverRule[];
  /** The day waivers' expiry dates are judged against, YYYY-MM-DD (default: today, UTC). */
  today?: string;
  /** Told what the run cannot honour, for the user (the CLI writes it as a warning). */
  onWarning?: (message: string) => void;
}

/** The options that shape verdicts, which a node report (judged on its node) keeps as it was. */
const JUDGING_OPTIONS: [keyof RunOptions, string][] = [
  ["dataFile", "--data"],
  ["profile", "--profile"],
  ["kubernetesVersion", "--kubernetes-version"],
];

/** The report's keys before `targets`. */
export type ReportHead = Pick<Report, "apiVersion" | "kind" | "tool">;
/** The report's keys after `targets`, in the report's order. */
export type ReportRest = Omit<Report, "apiVersion" | "kind" | "tool" | "targets">;

export interface RunEnd {
  rest: ReportRest;
  /** What the exit code depends on (exitCodeForTally). */
  tally: RunTally;
}

/** The head of every report this kubecis writes. */
export function reportHead(kubecis: Kubecis): ReportHead {
  const { apiVersion, kind, tool } = buildReport([], [], kubecis.version, kubecis.catalog);
  return { apiVersion, kind, tool };
}

/**
 * Judges every input of `source` and hands each target to `onTarget` as soon as it is judged
 * (in the report's order: the documents of the inputs, then the targets of node reports given
 * as inputs); returns the rest of the report and what its exit code depends on. A bad input is
 * a report error and the others are still judged. Each document is let go once judged.
 */
export function run(source: RunSource, options: JudgeOptions, onTarget: (target: Target) => void, kubecis: Kubecis = loadKubecis(options)): RunEnd {
  const { documents, errors, nodeTargets } = prepare(source, options, kubecis);
  if (nodeTargets.length > 0) {
    for (const [option, flag] of JUDGING_OPTIONS) {
      if (options[option] !== undefined) {
        options.onWarning?.(`${flag} does not apply to the ${nodeTargets.length} target(s) of node reports: they were judged on their nodes; give it to \`kubecis scan\` there`);
      }
    }
  }
  const total = documents.length + nodeTargets.length;
  const today = options.today ?? todayUtc();
  const summary = countStatuses([]);
  const tally: RunTally = { inputErrors: errors.length, policyErrors: 0, error: false, fail: false, warn: false, targets: 0 };
  const tallies: NodeTally[] = [];
  let judgedWithNodes = false;
  let waived = 0;
  const emit = (target: Target) => {
    // The node label first, then waivers (which may be scoped to nodes).
    judgedWithNodes ||= Boolean(target.node);
    if (options.node) target.node ??= options.node;
    if (options.waivers) waived += waiveTarget(target, options.waivers, today);
    tallyResults(tally, target.results);
    const counted = nodeTally(target);
    for (const status of STATUSES) summary[status] += counted.summary[status];
    tallies.push(counted);
    onTarget(target);
    options.onJudged?.(tallies.length, total);
  };
  for (let i = 0; i < documents.length; i++) {
    const document = documents[i]!;
    delete documents[i];
    let judged: EngineReport;
    try {
      judged = kubecis.engine.evaluate(document);
    } catch (error) {
      // The policy failed on this input (a kubecis bug, such as two clauses of a check that
      // disagree): the input is a report error that names it, and the others are still judged.
      if (!(error instanceof PolicyError)) throw error;
      errors.push({ kind: "policy", file: document.metadata.source.path, message: `not judged: ${error.message}; this is a kubecis bug, please report it` });
      tally.policyErrors++;
      continue;
    }
    emit(buildTarget(document, judged, kubecis.catalog));
  }
  documents.length = 0;
  for (const target of nodeTargets) emit(target);
  const nodes = summariseNodes(tallies);
  // `nodes` comes before `waived` when the judged targets named nodes, after it when only
  // `--node` did (the keys' order of every report kubecis has written).
  const nodesKey = nodes ? { nodes } : {};
  const waivedKey = options.waivers ? { waived } : {};
  const rest: ReportRest = judgedWithNodes ? { errors, summary, ...nodesKey, ...waivedKey } : { errors, summary, ...waivedKey, ...nodesKey };
  return { rest, tally };
}

/**
 * The report of a run that stopped before it judged anything (a bad `--data` or `--exceptions`
 * file, a bundle that would not load): no targets, the error in `errors`, so that a CI step
 * that uploads the document still gets a valid one that says why.
 */
export function stoppedReport(error: InputError | PolicyError): Report {
  let bundleRevision = "unknown";
  try {
    bundleRevision = readCatalog(catalogPath).revision;
  } catch {
    // The catalogue itself would not load (the error says so).
  }
  const reported: ReportError =
    error instanceof InputError
      ? { kind: "input", message: error.message, file: error.location.file, ...(error.location.line ? { line: error.location.line } : {}) }
      : { kind: "policy", message: error.message };
  return buildReport([], [reported], toolVersion(), { revision: bundleRevision, controls: [], byId: new Map() });
}

/** The whole report of a run (run, with its targets collected). */
export function judge(source: RunSource, options: JudgeOptions = {}, kubecis: Kubecis = loadKubecis(options)): Report {
  const targets: Target[] = [];
  const { rest } = run(source, options, (target) => targets.push(target), kubecis);
  return { ...reportHead(kubecis), targets, ...rest };
}

/** `kubecis test`: judge every input and build the report. Inputs that are node reports
 * (`kubecis scan -o report` of each node) join the run as they are, labelled with their node. */
export function testInputs(paths: readonly string[], options: RunOptions = {}, loaded?: Kubecis): Report {
  return judge({ paths }, options, loaded ?? loadKubecis(options));
}

/** `kubecis scan`: judge the node's API servers and build the report. */
export function scanNode(options: RunOptions = {}, loaded?: Kubecis): Report {
  return judge({ hostRoot: options.hostRoot ?? "/" }, options, loaded ?? loadKubecis(options));
}

function prepare(source: RunSource, options: RunOptions, kubecis: Kubecis): PreparedInputs {
  if ("paths" in source) return prepareInputs(source.paths, options, kubecis.engine);
  const { documents, errors } = normalizeNode({ ...options, hostRoot: source.hostRoot });
  return { documents, errors, nodeTargets: [] };
}
