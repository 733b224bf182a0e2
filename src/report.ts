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
  for (const name of [profile, SEED_FRAMEWORK]) {
    const ids = all[name];
    if (ids) shown[name] = ids;
  }
  return shown;
}

export function countStatuses(results: readonly { status: Status }[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) counts[r.status]++;
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

/** What summariseNodes reads of a target (a streamed report keeps only this of each). */
export type NodeTally = Pick<Target, "node" | "waived"> & { results: readonly { status: Status }[] };

/** Per-node totals for a run over several nodes (fleet); undefined when no target names a node. */
export function summariseNodes(targets: readonly NodeTally[]): NodeSummary[] | undefined {
  if (!targets.some((t) => t.node)) return undefined;
  const byNode = new Map<string, NodeTally[]>();
  for (const t of targets) {
    const node = t.node ?? "(no node)";
    byNode.set(node, [...(byNode.get(node) ?? []), t]);
  }
  return [...byNode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([node, list]) => ({
      node,
      targets: list.length,
      summary: countStatuses(list.flatMap((t) => t.results)),
      waived: list.reduce((n, t) => n + (t.waived ?? 0), 0),
    }));
}

/** The node a document was collected on, when its metadata says. */
function nodeOf(document: InputDocument): string | undefined {
  const node = (document.metadata as { node?: unknown }).node;
  return typeof node === "string" && node !== "" ? node : undefined;
}
