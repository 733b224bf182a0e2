// Builds the Report: joins each document's verdicts with the catalogue and makes sure every
// control of the document's component has a result ("nothing was checked" is never a pass).
import { InternalError } from "./errors.js";
import type { Catalog } from "./engine/catalog.js";
import {
  API_VERSION,
  STATUSES,
  type EngineReport,
  type Frameworks,
  type NodeSummary,
  type InputDocument,
  type Report,
  type ReportError,
  type Result,
  type Status,
  type Target,
  type Verdict,
} from "./types.js";


/** The framework always shown beside the profile's own CIS numbers. */
const SEED_FRAMEWORK = "seed-2020";
/** kubecis's own framework (lib.profiles.companions): the RBAC risks peer tools flag and no CIS
 * benchmark names. They gate beside every profile unless the gate-rbac-risks parameter is false. */
export const RISKS_FRAMEWORK = "rbac-risks";
/** kubecis's own framework of KAS-0045 (lib.profiles.companions): a configuration the target's
 * kube-apiserver does not start with. It gates beside every profile. */
export const STARTUP_FRAMEWORK = "kubecis-startup";
/** The frameworks that gate beside every profile; none of them is a profile itself. */
export const COMPANION_FRAMEWORKS: readonly string[] = [RISKS_FRAMEWORK, STARTUP_FRAMEWORK];

export function buildTarget(document: InputDocument, judged: EngineReport, catalog: Catalog): Target {
  // The policy says which component judged the document (main._components): one mapping.
  const component = judged.component;
  const verdicts = new Map<string, Verdict>(judged.results.map((v) => [v.id, v]));
  for (const id of verdicts.keys()) {
    if (!catalog.byId.has(id)) throw new InternalError(`the policy returned a result for ${id}, which the catalogue lacks`);
  }
  const results: Result[] = catalog.controls
    .filter((control) => control.component === component)
    .map((control) => {
      const verdict: Verdict = verdicts.get(control.id) ?? {
        id: control.id,
        status: "error",
        reason: "the check returned no result for this input",
        evidence: {},
      };
      const result: Result = {
        id: control.id,
        status: verdict.status,
        title: control.title,
        severity: control.severity,
        frameworks: frameworksFor(control.frameworks, judged.profile.name),
        evidence: verdict.evidence,
      };
      if (verdict.outside !== undefined) result.outside = verdict.outside;
      if (verdict.status !== "pass") {
        result.reason = verdict.reason;
        if (verdict.status !== "not-applicable") result.remediation = control.remediation;
      }
      return result;
    });
  return {
    source: document.metadata.source,
    kind: document.kind,
    kubernetesVersion: document.kubernetesVersion,
    profile: judged.profile,
    diagnostics: document.diagnostics,
    results,
    summary: countStatuses(results),
    ...(nodeOf(document) ? { node: nodeOf(document)! } : {}),
  };
}

function frameworksFor(all: Frameworks, profile: string): Frameworks {
  const shown: Frameworks = {};
  for (const name of [profile, SEED_FRAMEWORK, ...COMPANION_FRAMEWORKS]) {
    const ids = all[name];
    if (ids) shown[name] = ids;
  }
  return shown;
}

/** Counts the results of the active profile by status; results outside it are shown, not counted. */
export function countStatuses(results: readonly { status: Status; outside?: string | undefined }[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) if (r.outside === undefined) counts[r.status]++;
  return counts;
}

export function buildReport(targets: Target[], errors: ReportError[], version: string, catalog: Catalog): Report {
  return {
    apiVersion: API_VERSION,
    kind: "Report",
    tool: { name: "kubecis", version, bundleRevision: catalog.revision },
    targets,
    errors,
    summary: countStatuses(targets.flatMap((t) => t.results)),
  };
}

/** What summariseNodes needs of a target: its node, waived count and status counts. */
export interface NodeTally {
  node?: string | undefined;
  waived?: number | undefined;
  summary: Record<Status, number>;
}

/** A target's NodeTally, its counts taken from its results (a streamed report keeps only this). */
export function nodeTally(target: Target): NodeTally {
  return { node: target.node, waived: target.waived, summary: countStatuses(target.results) };
}

/** Per-node totals for a run over several nodes (fleet); undefined when no target names a node. */
export function summariseNodes(tallies: readonly NodeTally[]): NodeSummary[] | undefined {
  if (!tallies.some((t) => t.node)) return undefined;
  const byNode = new Map<string, NodeSummary>();
  for (const t of tallies) {
    const node = t.node ?? "(no node)";
    let sum = byNode.get(node);
    if (!sum) byNode.set(node, (sum = { node, targets: 0, summary: countStatuses([]), waived: 0 }));
    sum.targets++;
    for (const status of STATUSES) sum.summary[status] += t.summary[status];
    sum.waived += t.waived ?? 0;
  }
  return [...byNode.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

/** The node a document was collected on, when its metadata says. */
function nodeOf(document: InputDocument): string | undefined {
  const node = (document.metadata as { node?: unknown }).node;
  return typeof node === "string" && node !== "" ? node : undefined;
}
