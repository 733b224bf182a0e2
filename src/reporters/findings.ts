// The findings of a result (evidence.findings of the RBAC checks), in one place for every
// format: the list and its total, a finding in words, its fingerprint (SARIF), and the text
// views (per control: the riskiest few; --by subject). Findings arrive in the engine's risk
// order (src/rank.ts); nothing here reorders a control's findings.
//
// A fingerprint is the SHA-256 of the control id, the target's identity and the finding's
// identity fields (FINDING_IDENTITY), never of its message or of fields that depend on other
// findings (which binding to keep, how many roles a selector selects, provenance). So it does
// not change when input files are reordered or renamed (an RBAC inventory's identity is its
// kind, not its files), when an unrelated finding appears, or when the wording changes.
import { createHash } from "node:crypto";
import { isClusterWide, orderedPower, riskKey } from "../rank.js";
import type { Result, Status, Target } from "../types.js";

/** The findings a control shows in text unless --all. */
export const TOP_FINDINGS = 5;

export type Finding = Record<string, unknown>;

/** The fields that tell one finding of a control from another: the grant (subject, binding,
 * role, namespace), what kind of finding it is, the object it is about, and the other side of
 * a pair (alsoVia, coveredBy, sameAs: a redundant grant is a pair). A finding with none of
 * them is identified by all of its fields. */
export const FINDING_IDENTITY = [
  "subject",
  "binding",
  "role",
  "namespace",
  "kind",
  "serviceAccount",
  "pod",
  "permission",
  "aggregatedInto",
  "selector",
  "alsoVia",
  "coveredBy",
  "sameAs",
] as const;

/** The findings a result lists (the engine has ranked them and kept the first `limit`) and how
 * many there are in all; undefined for evidence without a findings list. */
export function findingsOf(result: Result): { shown: Finding[]; total: number } | undefined {
  const { findings, total } = result.evidence as { findings?: unknown; total?: unknown };
  if (!Array.isArray(findings)) return undefined;
  const shown = findings.filter((f): f is Finding => typeof f === "object" && f !== null && !Array.isArray(f));
  return { shown, total: typeof total === "number" ? Math.max(total, shown.length) : shown.length };
}

/** Whether a result is reported finding by finding: a fail or warn whose evidence lists findings.
 * An `error` (the control could not be judged) is one result, whatever its evidence holds. */
export function reportsFindings(result: Result): boolean {
  return (result.status === "fail" || result.status === "warn") && (findingsOf(result)?.shown.length ?? 0) > 0;
}

/** What a target is, independent of where its input was read from when it is run-wide (the RBAC
 * inventory: its kind, and node); a configuration target is its file, document and container. */
export function targetIdentity(target: Target): string[] {
  const node = target.node ? [`node=${target.node}`] : [];
  if (target.source.files) return [target.kind, ...node];
  const s = target.source;
  const path = s.path.replace(/\\/g, "/").replace(/^\.\//, "");
  return [target.kind, path, ...(s.document !== undefined ? [`document=${s.document}`] : []), ...(s.workload ? [`workload=${s.workload}`] : []), ...(s.container ? [`container=${s.container}`] : []), ...node];
}

/** Every target's identity in a report; targets that share one (two Pods of one List, two
 * kube-apiserver lines of one `ps` file) get `occurrence=N` from the second on, in report
 * order, so that no two targets' results share a fingerprint. */
export function targetIdentities(targets: readonly Target[]): Map<Target, string[]> {
  const seen = new Map<string, number>();
  const identities = new Map<Target, string[]>();
  for (const target of targets) {
    const identity = targetIdentity(target);
    const key = JSON.stringify(identity);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    identities.set(target, n === 1 ? identity : [...identity, `occurrence=${n}`]);
  }
  return identities;
}

/** The fingerprint of a control's result on a target (its identity, targetIdentities), or of
 * one of its findings. */
export function fingerprintOf(controlId: string, identity: readonly string[], finding?: Finding): string {
  const parts: unknown[] = ["kubecis/v1", controlId, identity];
  if (finding) parts.push(identityOf(finding));
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

function identityOf(finding: Finding): [string, unknown][] {
  const named = FINDING_IDENTITY.filter((k) => finding[k] !== undefined);
  const keys = named.length > 0 ? named : Object.keys(finding).sort();
  return keys.map((k) => [k, finding[k]]);
}

/** Labels of the fields a description writes after the finding's subject or object. */
const LABELS: Record<string, string> = {
  alsoVia: "also via",
  coveredBy: "covered by",
  coveringRole: "whose role is",
  sameAs: "same permissions as",
  keep: "keep",
  permission: "adds",
  aggregatedInto: "to",
  selector: "selector",
  selects: "selecting",
  selected: "selected by",
  ineffective: "cannot grant",
  fields: "wildcards in",
  decidedBy: "decided by",
  automountServiceAccountToken: "automountServiceAccountToken",
};
/** Fields said in the head of a description, or not at all (provenance is in the control's wording). */
const HEAD = new Set(["subject", "binding", "role", "namespace", "serviceAccount", "pod", "kind", "provenance", "power"]);

/** A finding in words: "Group:system:authenticated via ClusterRoleBinding:x (ClusterRole:y)
 * cluster-wide; role grants: secrets-read", "Role:team-a/old [unused]", "RoleBinding:shop/a
 * (Role:shop/r) in namespace shop [duplicate]; also via RoleBinding:shop/b". Every field is
 * said; unknown ones by name. The per-subject view leaves the subject out (`withSubject`). */
export function describeFinding(finding: Finding, withSubject = true): string {
  const str = (k: string) => (finding[k] === undefined ? undefined : say(finding[k]));
  const [subject, binding, role, namespace, serviceAccount, pod] = ["subject", "binding", "role", "namespace", "serviceAccount", "pod"].map(str);
  const head: string[] = [];
  const named = withSubject && subject !== undefined;
  if (named) head.push(subject);
  if (binding) head.push(named ? `via ${binding}` : binding);
  if (role) head.push(binding ? `(${role})` : role);
  if (namespace) head.push(isClusterWide(finding) ? "cluster-wide" : `in namespace ${namespace}`);
  if (pod) head.push(`Pod ${pod}`);
  if (serviceAccount) head.push(pod ? `(ServiceAccount ${serviceAccount})` : `ServiceAccount ${serviceAccount}`);
  if (finding["kind"] !== undefined) head.push(`[${say(finding["kind"])}]`);
  // Findings are through non-platform bindings, except a broad group's grant, whoever made it.
  if (typeof finding["provenance"] === "string" && finding["provenance"] !== "user") head.push(`[${finding["provenance"]} binding]`);
  const rest = Object.keys(finding)
    .filter((k) => !HEAD.has(k))
    .sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0))
    // A subject listed twice in one binding is a duplicate "also via" that same binding.
    .map((k) => (k === "alsoVia" && finding[k] === finding["binding"] ? "listed twice in this binding" : `${LABELS[k] ?? k} ${say(finding[k])}`));
  const power = orderedPower(finding);
  // A wildcard role holds every class: named once.
  if (power.length > 0) rest.push(`role grants: ${power[0] === "wildcard" ? "everything (wildcard)" : power.join(", ")}`);
  return [head.join(" "), ...rest].filter((part) => part !== "").join("; ");
}

function order(key: string): number {
  const i = Object.keys(LABELS).indexOf(key);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
}

function say(value: unknown): string {
  if (value === null) return "unset";
  if (Array.isArray(value)) return value.map(say).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The message of one finding: "<id>: <finding> — <control title>". */
export function findingMessage(result: Result, finding: Finding): string {
  return `${result.id}: ${describeFinding(finding)} — ${result.title}`;
}

/** What a format says of the findings it leaves out, and how to see them. */
export function hiddenFindingsText(result: Result, reported: number, total: number): string {
  const more = total - reported;
  return (
    `${result.id}: ${more} more finding${more === 1 ? "" : "s"} not shown here (${reported} of ${total}); ` +
    "`kubecis test --all -o report` lists every one"
  );
}

/**
 * A control's finding lines: the first TOP_FINDINGS (every one listed with `all`), then how
 * many more there are and how to see them.
 */
export function findingLines(r: Result, all: boolean, indent: string): string[] {
  const { shown: findings, total } = findingsOf(r) ?? { shown: [], total: 0 };
  if (findings.length === 0) return [];
  const shown = all ? findings : findings.slice(0, TOP_FINDINGS);
  const lines = shown.map((f) => `${indent}- ${describeFinding(f)}`);
  const more = total - shown.length;
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
    for (const finding of findingsOf(r)?.shown ?? []) {
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
