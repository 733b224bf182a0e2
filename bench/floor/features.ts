// The floor's lib.features: what a Kubernetes minor refuses to start with because of a
// feature gate (data.kubecis.features `needs`, `gates`, `removed`), and the verdict of a
// control reading a refused flag (a contradiction on a known version; over an unknown one,
// a contradiction when every minor refuses, else warn with the split). Written from the
// upstream facts in policies/kubecis/features/data.yaml, not from the Rego.
import { type Check, type Judge, formatInt, isObj, minorOf } from "./core.js";
import { hidden } from "./verdict.js";

export interface FeaturesData {
  removed: { [gate: string]: string };
  gates?: { [gate: string]: { defaults: { from: string; value: boolean }[] } };
  needs?: { use: string; gate: string; flags: string[]; what: string; added?: string; plugin?: string }[];
}

interface Refusal {
  flags: string[];
  text: string;
}

/** --feature-gates by gate name ("kube:Gate" counts as "Gate"). */
export function given(j: Judge): Map<string, unknown> {
  const v = j.doc.flags["feature-gates"]?.value;
  const out = new Map<string, unknown>();
  if (!isObj(v)) return out;
  // Written both ways, the plain name wins.
  for (const [k, x] of Object.entries(v)) if (k.startsWith("kube:") && !(k.slice(5) in v)) out.set(k.slice(5), x);
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("kube:")) out.set(k, x);
  return out;
}

/** The --emulated-version minor ("1.31" or "kube=1.31"), if any. */
function emulated(j: Judge): number | undefined {
  const v = j.doc.flags["emulated-version"]?.value;
  if (!Array.isArray(v)) return undefined;
  for (const item of v) {
    if (typeof item !== "string") continue;
    const parts = item.split("=");
    if (parts.length > 2 || (parts.length === 2 && parts[0]!.trim() !== "kube")) continue;
    const text = parts[parts.length - 1]!.trim();
    if (/^1\.[0-9]+$/.test(text)) return Number(text.split(".")[1]);
  }
  return undefined;
}

function uses(j: Judge): Set<string> {
  const out = new Set<string>();
  const list = (f: string): unknown[] => (Array.isArray(j.doc.flags[f]?.value) ? (j.doc.flags[f]!.value as unknown[]) : []);
  if ([...list("enable-admission-plugins"), ...list("admission-control")].includes("SecurityContextDeny")) out.add("security-context-deny");
  const set = (f: string) => { const v = j.doc.flags[f]?.value; return v !== undefined && v !== ""; };
  if (set("authentication-config")) out.add("authentication-config");
  if (set("authorization-config")) out.add("authorization-config");
  const authn = j.content("authentication-config");
  if (set("authentication-config") && isObj(authn) && isObj(authn.anonymous)) out.add("anonymous-field");
  const enc = j.content("encryption-provider-config");
  const resources = isObj(enc) && Array.isArray(enc.resources) ? enc.resources : [];
  for (const r of resources) {
    const providers = isObj(r) && Array.isArray(r.providers) ? r.providers : [];
    for (const p of providers) if (isObj(p) && isObj(p.kms)) out.add(p.kms.apiVersion === undefined ? "kms-v1" : `kms-${String(p.kms.apiVersion)}`);
  }
  return out;
}

function refusalsAt(j: Judge, m: number, used: Set<string>, gates: Map<string, unknown>): Refusal[] {
  const data = j.facts.data.features as FeaturesData;
  const spec = (g: string) => data.gates?.[g];
  const removedAt = (g: string) => data.removed[g] !== undefined && m >= minorOf(data.removed[g]!);
  const out: Refusal[] = [];
  for (const n of data.needs ?? []) {
    if (!used.has(n.use)) continue;
    if (n.added !== undefined && m < minorOf(n.added)) { out.push({ flags: n.flags, text: `${n.what} (added in ${n.added})` }); continue; }
    const plugin = n.plugin === undefined ? undefined : j.facts.data.admission.removed[n.plugin];
    if (plugin !== undefined && m >= minorOf(plugin)) continue;
    const ds = spec(n.gate)?.defaults ?? [];
    if (ds.length === 0 || m < minorOf(ds[0]!.from) || removedAt(n.gate)) continue;
    const level = emulated(j) ?? m;
    const fallback = ds.filter((d) => level >= minorOf(d.from)).at(-1)?.value;
    const on = gates.has(n.gate) ? gates.get(n.gate) : fallback;
    if (on !== false) continue;
    out.push({ flags: n.flags, text: `${n.what}${gates.get(n.gate) === false ? ` while --feature-gates sets ${n.gate}=false` : ` unless --feature-gates=${n.gate}=true (off by default there)`}` });
  }
  for (const g of gates.keys()) {
    if (removedAt(g)) out.push({ flags: ["feature-gates"], text: `--feature-gates naming ${g} (the gate was removed in ${data.removed[g]})` });
    const first = spec(g)?.defaults[0]?.from;
    if (first !== undefined && m < minorOf(first)) out.push({ flags: ["feature-gates"], text: `--feature-gates naming ${g} (the gate was added in ${first})` });
  }
  if (used.has("anonymous-field") && j.doc.flags["anonymous-auth"] !== undefined) {
    out.push({ flags: ["anonymous-auth", "authentication-config"], text: "--anonymous-auth together with an anonymous: block in the --authentication-config file" });
  }
  return out;
}

/** Each refused minor (of those the target may run) with its refusals; computed once per document. */
function refusing(j: Judge): Map<number, Refusal[]> {
  const cached = j.memo.get("refusing") as Map<number, Refusal[]> | undefined;
  if (cached) return cached;
  const out = new Map<number, Refusal[]>();
  const used = uses(j);
  const gates = given(j);
  if (used.size > 0 || gates.size > 0) {
    for (const m of j.possible()) {
      const rs = refusalsAt(j, m, used, gates);
      if (rs.length > 0) out.set(m, rs);
    }
  }
  j.memo.set("refusing", out);
  return out;
}

const says = (who: string, text: string) => `kube-apiserver ${who} does not start with ${text}`;
const about = (r: Refusal, names: string[]) => r.flags.some((f) => names.includes(f));
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** features._known_reason / _range_reason: the refusals about `names` (any, when undefined) and the minors refusing them. */
function refusalText(j: Judge, names: string[] | undefined): { text: string; refused: Set<number> } | undefined {
  const byMinor = refusing(j);
  const touches = (r: Refusal) => names === undefined || about(r, names);
  if (j.known) {
    const rs = (byMinor.get(j.minor!) ?? []).filter(touches);
    if (rs.length === 0) return undefined;
    return { text: sorted(rs.map((r) => `${says(j.target, r.text)}: the version or the configuration is wrong`)).join("; "), refused: new Set([j.minor!]) };
  }
  const minors = new Map<string, number[]>();
  for (const [m, rs] of byMinor) for (const r of rs) if (touches(r)) minors.set(r.text, [...(minors.get(r.text) ?? []), m]);
  if (minors.size === 0) return undefined;
  const span = (ms: number[]) => { const lo = Math.min(...ms); const hi = Math.max(...ms); return lo === hi ? `1.${formatInt(lo)}` : `1.${formatInt(lo)}-1.${formatInt(hi)}`; };
  return { text: sorted([...minors].map(([t, ms]) => says(span(ms), t))).join("; "), refused: new Set([...minors.values()].flat()) };
}

/** features.refusal: [status, reason, contradicts] of a control reading `names`, or undefined. */
export function gatedVerdict(j: Judge, names: string[], status: string, reason: string): [string, string, boolean] | undefined {
  if (refusing(j).size === 0 || names.length === 0) return undefined;
  const found = refusalText(j, names);
  if (found === undefined) return undefined;
  const { text, refused } = found;
  if (j.known) return ["fail", text, true];
  const possible = j.possible();
  if (possible.length > 0 && refused.size === possible.length) return ["fail", text, true];
  if (status !== "pass" && status !== "warn" && status !== "not-applicable") return undefined;
  const own = reason === "" ? "" : ` (${reason.endsWith("; give --kubernetes-version") ? reason.slice(0, -"; give --kubernetes-version".length) : reason})`;
  return ["warn", `${text}; on the other versions it may run: ${status}${own}; give --kubernetes-version`, false];
}

/** configuration_starts_on_version (KAS-0045), from the document itself: on each minor the target may
 * run, the gated refusals, every name a flag was written under that the minor lacks (not a
 * distribution's default), and plugins the minor does not register; crossed bounds; flags the table
 * does not know (warn); a pass never rests on flags the document may not show. */
export const startupCheck: Check = (j) => {
  const data = j.facts.data;
  const written = new Set<string>();
  for (const [name, f] of Object.entries(j.doc.flags)) {
    const spellings = isObj(f.spellings) ? f.spellings : { [name]: f.origin ?? {} };
    for (const [n, o] of Object.entries(spellings)) if (!(isObj(o) && o.source !== undefined)) written.add(n);
  }
  const used = uses(j);
  const gates = given(j);
  const at = (m: number): string[] => {
    const out = refusalsAt(j, m, used, gates).map((r) => r.text);
    for (const n of written) {
      const spec = data.flags[n] as { removed?: string; added?: string } | undefined;
      if (spec?.removed !== undefined && m >= minorOf(spec.removed)) out.push(`--${n} (removed in ${spec.removed})`);
      if (spec?.added !== undefined && m < minorOf(spec.added)) out.push(`--${n} (added in ${spec.added})`);
    }
    for (const f of ["enable-admission-plugins", "disable-admission-plugins", "admission-control"]) {
      const v = j.doc.flags[f]?.value;
      for (const p of Array.isArray(v) ? v : []) {
        if (typeof p !== "string") continue;
        const removed = data.admission.removed[p];
        const added = data.admission.added[p];
        if (removed !== undefined && m >= minorOf(removed)) out.push(`${p} named by --${f} (removed in ${removed})`);
        if (added !== undefined && m < minorOf(added)) out.push(`${p} named by --${f} (added in ${added})`);
      }
    }
    return [...new Set(out)];
  };
  const possible = j.possible();
  const refusing = new Map<number, string[]>();
  for (const m of possible) {
    const rs = at(m);
    if (rs.length > 0) refusing.set(m, rs);
  }
  const everywhere = refusing.size > 0 && refusing.size === possible.length;
  const somewhere = refusing.size > 0 && refusing.size < possible.length;
  const minors = new Map<string, number[]>();
  for (const [m, rs] of refusing) for (const t of rs) minors.set(t, [...(minors.get(t) ?? []), m]);
  const span = (ms: number[]) => { const lo = Math.min(...ms); const hi = Math.max(...ms); return lo === hi ? `1.${formatInt(lo)}` : `1.${formatInt(lo)}-1.${formatInt(hi)}`; };
  const reasons = sorted([...minors].map(([t, ms]) => (j.known ? `${says(j.target, t)}: the version or the configuration is wrong` : says(span(ms), t))));
  const range = j.doc.kubernetesVersion?.range;
  const crossed = j.lowest > j.highest && isObj(range) && Array.isArray(range.reasons) ? [`no Kubernetes version accepts these flags together: ${range.reasons.join("; ")}`] : [];
  // Values kube-apiserver refuses (lib.flags' error), apart from those holding a variable kubecis could not expand.
  const unresolved = new Set<string>();
  for (const d of Array.isArray(j.doc.diagnostics) ? j.doc.diagnostics : []) if (isObj(d) && d.code === "unresolved-variable" && typeof d.flag === "string") unresolved.add(d.flag);
  const refusedValues: string[] = [];
  const unresolvedValues: string[] = [];
  for (const [n, f] of Object.entries(j.doc.flags)) {
    if (!isObj(f) || typeof f.error !== "string" || f.error === "") continue;
    const w = typeof f.writtenAs === "string" ? f.writtenAs : n;
    const raw = typeof f.raw === "string" && f.raw !== "" ? `=${f.raw}` : "";
    if (unresolved.has(w)) unresolvedValues.push(`--${w}${raw}: ${f.error}`);
    else refusedValues.push(`kube-apiserver does not start with --${w}${raw}: ${f.error}`);
  }
  const contradictions = [...crossed, ...sorted(refusedValues), ...(everywhere ? reasons : [])];
  const unknown = sorted(Object.keys(j.doc.flags).filter((n) => data.flags[n] === undefined).map((n) => `--${n}`));
  const evidence = { contradictions, unknownFlags: unknown, versions: j.versionsEvidence() };
  if (contradictions.length > 0) return [["fail", contradictions.join("; "), evidence]];
  const where = hidden(j);
  const unjudged = sorted([
    ...(where !== "" ? [`flags may be missing or overridden: ${where}`] : []),
    ...(unresolvedValues.length > 0 ? [`values kubecis could not expand: ${sorted(unresolvedValues).join("; ")}`] : []),
  ]);
  if (unjudged.length > 0) return [["error", `${unjudged.join("; ")}; no verdict can rest on the flags seen`, evidence]];
  if (unknown.length > 0 || somewhere) {
    const parts = [
      unknown.length > 0 ? `kube-apiserver does not start with a flag it does not know, and kubecis does not know ${unknown.join(", ")}: check the spelling, or whether the target's version has it` : "",
      somewhere ? `${reasons.join("; ")}; give --kubernetes-version` : "",
    ].filter((p) => p !== "");
    return [["warn", parts.join("; "), evidence]];
  }
  return [["pass", "", evidence]];
};
