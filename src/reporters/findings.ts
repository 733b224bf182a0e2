// The findings of the RBAC checks (evidence.findings) in the text report: per control, the
// riskiest few, one line each; and the per-subject view (--by subject). The findings arrive
// in the engine's risk order (src/rank.ts); nothing here reorders a control's findings.
import { orderedPower, riskKey } from "../rank.js";
import type { Result, Status } from "../types.js";

/** The findings a control shows in text unless --all. */
export const TOP_FINDINGS = 5;

type Finding = Record<string, unknown>;

/** The fields a finding line names first, in its own words; the rest follow as "name: value". */
const NAMED = new Set(["subject", "role", "binding", "namespace", "power", "provenance"]);

function findingsOf(r: Result): Finding[] {
  const findings = r.evidence["findings"];
  return Array.isArray(findings) ? findings.filter((f): f is Finding => f !== null && typeof f === "object" && !Array.isArray(f)) : [];
}

function totalOf(r: Result, listed: number): number {
  const total = r.evidence["total"];
  return typeof total === "number" && total > listed ? total : listed;
}

/**
 * "ClusterRole:x via ClusterRoleBinding:y; cluster-wide; role grants: secrets-read, pods-create",
 * with the subject first unless `withSubject` is false (the per-subject view names it above).
 */
export function describeFinding(f: Finding, withSubject = true): string {
  const parts: string[] = [];
  if (withSubject && typeof f["subject"] === "string") parts.push(f["subject"]);
  const role = typeof f["role"] === "string" ? f["role"] : undefined;
  const binding = typeof f["binding"] === "string" ? f["binding"] : undefined;
  if (role && binding) parts.push(`${role} via ${binding}`);
  else if (role ?? binding) parts.push((role ?? binding) as string);
  if (typeof f["namespace"] === "string") parts.push(f["namespace"] === "cluster" ? "cluster-wide" : `in namespace ${f["namespace"]}`);
  for (const [key, value] of Object.entries(f).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (NAMED.has(key)) continue;
    parts.push(`${key}: ${Array.isArray(value) ? value.join(", ") : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`);
  }
  const power = orderedPower(f);
  // A wildcard role holds every class: named once.
  if (power.length > 0) parts.push(`role grants: ${power[0] === "wildcard" ? "everything (wildcard)" : power.join(", ")}`);
  return parts.join("; ");
}

/**
 * A control's finding lines: the first TOP_FINDINGS (every one listed with `all`), then how
 * many more there are and how to see them.
 */
export function findingLines(r: Result, all: boolean, indent: string): string[] {
  const findings = findingsOf(r);
  if (findings.length === 0) return [];
  const shown = all ? findings : findings.slice(0, TOP_FINDINGS);
  const lines = shown.map((f) => `${indent}- ${describeFinding(f)}`);
  const more = totalOf(r, findings.length) - shown.length;
  if (more > 0) lines.push(`${indent}and ${more} more (--all shows every finding)`);
  return lines;
}

interface SubjectFinding {
  id: string;
  status: Status;
  finding: Finding;
  key: number;
}

/**
 * --by subject: every subject a finding names, riskiest first (by its riskiest finding, then
 * by name), and under it every finding that names it, of every control shown: control id,
 * status, role, binding, namespace, what the role grants.
 */
export function subjectLines(results: readonly Result[], label: (status: Status) => string, indent: string): string[] {
  const bySubject = new Map<string, SubjectFinding[]>();
  let withoutSubject = 0;
  for (const r of results) {
    for (const finding of findingsOf(r)) {
      const subject = finding["subject"];
      if (typeof subject !== "string") {
        withoutSubject++;
        continue;
      }
      const list = bySubject.get(subject) ?? [];
      list.push({ id: r.id, status: r.status, finding, key: riskKey(finding) });
      bySubject.set(subject, list);
    }
  }
  const byRisk = (a: SubjectFinding, b: SubjectFinding) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const subjects = [...bySubject].map(([subject, list]) => ({ subject, list: list.sort(byRisk) }));
  subjects.sort((a, b) => byRisk(a.list[0]!, b.list[0]!) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  if (subjects.length === 0) return [`${indent}by subject: no finding names a subject`];
  const lines = [`${indent}by subject (${subjects.length} subject${subjects.length === 1 ? "" : "s"}, riskiest first):`];
  for (const { subject, list } of subjects) {
    lines.push(`${indent}${subject}`);
    for (const s of list) lines.push(`${indent}    ${label(s.status)} ${s.id}  ${describeFinding(s.finding, false)}`);
  }
  if (withoutSubject > 0) lines.push(`${indent}(${withoutSubject} finding${withoutSubject === 1 ? "" : "s"} name no subject (roles, Pods, ServiceAccount settings): listed under their control above)`);
  return lines;
}
