// The floor's lib.verdict: one result per control from the clauses of its check that held.
// What the clauses concluded gives way, in this order, to a value kube-apiserver refuses in a
// flag the control declares (error), an alias of such a flag the known version no longer has
// (fail), and flags the document may not show (an incomplete-flags diagnostic: error, for a
// control that reads flags and concluded pass, fail or warn). Results outside the active
// profile are marked.
import { type Fired, type Judge, type Obj, type Result, ConflictError, equal, formatInt, isObj, truthy, writtenAs } from "./core.js";
import { gatedVerdict } from "./features.js";

/** flags.refused: why a control reading these flags cannot be judged; undefined when none is refused. */
function refused(j: Judge, names: string[]): string | undefined {
  const reasons = new Set<string>();
  for (const n of names) {
    const f = j.doc.flags[n];
    if (!truthy(f) || !truthy(f!.error) || typeof f!.raw !== "string") continue;
    reasons.add(`--${writtenAs(f!, n)}${f!.raw === "" ? "" : `=${f!.raw}`}: ${f!.error}; kube-apiserver does not start with it, so this cannot be judged`);
  }
  return reasons.size > 0 ? [...reasons].sort().join("; ") : undefined;
}

/** flags.renamed_away: declared flags written under an alias the known version no longer has, while the flag itself still exists. */
function renamedAway(j: Judge, names: string[]): string | undefined {
  const reasons = new Set<string>();
  for (const n of names) {
    const spellings = j.doc.flags[n]?.spellings;
    if (!isObj(spellings) || j.removed(n)) continue;
    for (const s of Object.keys(spellings)) {
      if (s === n || !j.removed(s)) continue;
      reasons.add(`kube-apiserver ${j.target} does not start with --${s} (removed in ${j.spec(s).removed}; the flag's name there is --${n}): the version or the flags are wrong`);
    }
  }
  return reasons.size > 0 ? [...reasons].sort().join("; ") : undefined;
}

/** flags.hidden: where kube-apiserver may get flags the document does not show; "" when it shows them all. */
export function hidden(j: Judge): string {
  const cached = j.memo.get("hidden") as string | undefined;
  if (cached !== undefined) return cached;
  const places: string[] = [];
  const diagnostics = j.doc.diagnostics;
  if (Array.isArray(diagnostics)) {
    for (const d of diagnostics) {
      if (!isObj(d) || d.code !== "incomplete-flags" || !isObj(d.origin)) continue;
      const o = d.origin;
      places.push(`${truthy(o.line) ? `${o.file}:${formatInt(o.line as number)}` : o.file}: ${d.message}`);
    }
  }
  const text = places.join("; ");
  j.memo.set("hidden", text);
  return text;
}

/** lib.verdict._verdict: `override` is the refusal or renamed-away finding, when the control has one. */
function verdict(j: Judge, flags: string[], override: [string, string] | undefined, status: string, reason: string): [string, string, boolean] {
  if (override !== undefined) return [...override, override[0] === "fail"];
  if (flags.length > 0 && (status === "pass" || status === "fail" || status === "warn")) {
    const where = hidden(j);
    if (where !== "") return ["error", `flags may be missing or overridden: ${where}; no verdict can rest on the flags seen (they give: ${status}${reason === "" ? "" : `, ${reason}`})`, false];
  }
  // features.refusal: a refused gated flag, plugin or field (features.ts).
  return gatedVerdict(j, flags, status, reason) ?? [status, reason, false];
}

/** The result of one check, as lib.verdict.new builds it from the clauses that held (at most one distinct value). */
export function emit(j: Judge, slug: string, fired: Fired): void {
  if (fired.length === 0) return;
  const control = j.facts.controls.get(slug);
  if (!control) throw new Error(`the catalogue has no control for kubecis.checks.apiserver.${slug}`);
  const flags = control.flags ?? [];
  const refusal = refused(j, flags);
  const renamed = refusal === undefined ? renamedAway(j, flags) : undefined;
  const override: [string, string] | undefined = refusal !== undefined ? ["error", refusal] : renamed !== undefined ? ["fail", renamed] : undefined;
  const [status, reason, refusedByVersion] = verdict(j, flags, override, fired[0]![0], fired[0]![1]);
  // A contradiction's fail (verdict.contradiction: the clause said so) or the version's refusal.
  const contradicts = refusedByVersion || (status === "fail" && fired[0]![3] === true);
  const evidence: Obj = fired[0]![2];
  for (const other of fired.slice(1)) {
    const [s, r] = verdict(j, flags, override, other[0], other[1]);
    if (s !== status || r !== reason || !equal(other[2], evidence)) throw new ConflictError(`${slug}: complete rules must not produce multiple outputs`);
  }
  const result: Result = { id: control.id, status, reason, evidence };
  // Outside the gating profiles: the real verdict, marked (DESIGN decision 8); a contradiction
  // (verdict.contradiction, or an alias the version no longer has) gates under every profile,
  // and kubecis-startup gates beside every profile (lib.profiles.companions).
  const gates = [...j.gating, "kubecis-startup"].some((p) => truthy(control.frameworks[p]));
  if (!contradicts && !gates) result.outside = j.profile.name;
  j.results.push(result);
}
