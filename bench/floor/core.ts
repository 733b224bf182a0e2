// The floor's shared machinery, one section per Rego library it mirrors: lib.versions (the
// target's minor and, when it is unknown, the range of minors it may run), lib.profiles,
// lib.params, lib.flags and lib.files (lib.verdict is verdict.ts). The checks themselves live
// in the family modules beside this one.

import type { FeaturesData } from "./features.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export interface Doc {
  kind: string;
  kubernetesVersion?: Obj;
  flags: { [name: string]: Obj };
  files?: { [flag: string]: Obj };
  manifest?: Obj;
  [key: string]: unknown;
}

export interface Result {
  id: string;
  status: string;
  reason: string;
  evidence: Obj;
  outside?: string;
}

interface FlagSpec {
  type?: string;
  default?: Json;
  defaults?: { from: string; value: Json }[];
  removed?: string;
}

/** data.kubecis, as the bundle ships it, plus the caller's options (profile, params). */
export interface KubecisData {
  flags: { [name: string]: FlagSpec };
  admission: {
    added: { [plugin: string]: string };
    default_on: { from: string; below?: string; plugins: string[] }[];
    removed: { [plugin: string]: string };
  };
  features: FeaturesData;
  params: Obj;
  profiles: { cis: { from: number; to: number; profile: string }[]; fallback: string; newest: number };
  options?: { profile?: string; params?: Obj };
}

export interface CatalogControl {
  id: string;
  component: string;
  package: string;
  frameworks: { [framework: string]: unknown };
  /** METADATA custom.flags: the flags the control reads (lib.verdict fails it closed on them). */
  flags?: string[];
}

/** Effective flag, as lib.flags.effective returns it. */
export interface Flag extends Obj {
  flag: string;
  set: boolean;
}

/** The clauses of one check that held: [status, reason, evidence] each. */
/** [status, reason, evidence, contradiction?]: a contradiction (verdict.contradiction) gates under every profile. */
export type Fired = [string, string, Obj, true?][];
export type Check = (j: Judge) => Fired;

export const has = (o: object | undefined | null, key: string): boolean => o !== undefined && o !== null && Object.prototype.hasOwnProperty.call(o, key);
/** Rego truthiness of a defined value: everything but false. */
export const truthy = (v: unknown): boolean => v !== undefined && v !== false;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const isNum = (v: unknown): v is number => typeof v === "number";
export const hasError = (f: Flag): boolean => truthy(f.error);
export const formatInt = (n: number): string => String(Math.trunc(n));
const MINORS = new Map<string, number>();
/** versions.minor_of("1.24") == 24 (the few version texts of the data, parsed once). */
export function minorOf(text: string): number {
  let m = MINORS.get(text);
  if (m === undefined) MINORS.set(text, (m = Number(text.split(".")[1])));
  return m;
}

/** json.marshal: object keys sorted, no spaces. */
export function marshal(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(marshal).join(",")}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${marshal(v[k]!)}`).join(",")}}`;
  return JSON.stringify(v);
}

export function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return marshal(a) === marshal(b);
}

/** Two clauses of a complete rule with different values: OPA's eval_conflict_error. */
export class ConflictError extends Error {}

/** Everything that does not depend on the document, prepared once. */
export interface Facts {
  data: KubecisData;
  /** check slug → its catalogue entry (id, frameworks, flags) from its METADATA. */
  controls: Map<string, CatalogControl>;
  overrides: Obj;
}

/** One document's evaluation: the per-document facts, computed once, on first use. */
export class Judge {
  readonly minor: number | undefined;
  readonly known: boolean;
  readonly target: string;
  readonly profile: { name: string; reason: string };
  /** The profiles whose controls gate: the active one and lib.profiles.range_profiles. */
  readonly gating: Set<string>;
  readonly results: Result[] = [];
  private readonly flagCache = new Map<string, Flag>();
  /** Per-family state (lib.admission, lib.authorization), built by that family on first use. */
  readonly memo = new Map<string, unknown>();
  private possibleMinors?: number[];

  constructor(
    readonly doc: Doc,
    readonly facts: Facts,
  ) {
    const minor = doc.kubernetesVersion?.minor;
    this.minor = typeof minor === "number" ? minor : undefined;
    this.known = this.minor !== undefined;
    this.target = this.known ? `1.${formatInt(this.minor!)}` : "an unknown version";
    this.gating = new Set(this.rangeProfiles());
    this.profile = this.activeProfile();
    this.gating.add(this.profile.name);
  }

  // ---- lib.versions

  atLeast(text: string | undefined): boolean {
    return this.known && text !== undefined && this.minor! >= minorOf(text);
  }

  /** The lowest and highest minor the target may run (lib.versions.lowest/highest). */
  get lowest(): number {
    if (this.known) return this.minor!;
    const v = this.doc.kubernetesVersion?.range;
    const from = isObj(v) && has(v, "from") ? v.from : 0;
    return isNum(from) ? from : 0;
  }

  get highest(): number {
    if (this.known) return this.minor!;
    const v = this.doc.kubernetesVersion?.range;
    const widest = this.facts.data.profiles.newest + 1;
    const below = isObj(v) && has(v, "below") ? v.below : widest;
    return (isNum(below) ? below : widest) - 1;
  }

  /** lib.versions.possible: every minor the target may run, lowest first. */
  possible(): number[] {
    if (this.possibleMinors) return this.possibleMinors;
    const [lo, hi] = [this.lowest, this.highest];
    const out: number[] = [];
    // An empty range (lo > hi): the minors between the two bounds, lowest first (lib.versions.possible).
    for (let m = Math.min(lo, hi); m <= Math.max(lo, hi); m++) out.push(m);
    return (this.possibleMinors = out);
  }

  versionsEvidence(): Obj {
    return { lowest: this.lowest, highest: this.highest };
  }

  spanText(): string {
    return `1.${formatInt(this.lowest)}-1.${formatInt(this.highest)}`;
  }

  /** versions.split_reason: "fail below 1.20, pass 1.20-1.23, not-applicable from 1.24; give --kubernetes-version". */
  splitReason(statuses: string[]): string {
    const possible = this.possible();
    const last = statuses.length - 1;
    const starts = statuses.map((_, i) => i).filter((i) => i === 0 || statuses[i] !== statuses[i - 1]);
    const segments = starts.map((i, k) => {
      const e = k + 1 < starts.length ? starts[k + 1]! - 1 : last;
      let span: string;
      if (i === 0 && e === last) span = "for every version";
      else if (i === 0) span = `below 1.${formatInt(possible[e]! + 1)}`;
      else if (e === last) span = `from 1.${formatInt(possible[i]!)}`;
      else span = `1.${formatInt(possible[i]!)}-1.${formatInt(possible[e]!)}`;
      return `${statuses[i]} ${span}`;
    });
    return `${segments.join(", ")}; give --kubernetes-version`;
  }

  // ---- lib.profiles, lib.params

  private mapped(): string | undefined {
    if (!this.known) return undefined;
    for (const e of this.facts.data.profiles.cis) if (this.minor! >= e.from && this.minor! <= e.to) return e.profile;
    return undefined;
  }

  /** lib.profiles.range_profiles: for an unknown version whose range excludes every minor the fallback covers, the profiles of every minor it may run, in data order. */
  private rangeProfiles(): string[] {
    if (truthy(this.facts.data.options?.profile) || this.known) return [];
    const minors = this.possible();
    const mapped = this.facts.data.profiles.cis.filter((e) => minors.some((m) => m >= e.from && m <= e.to)).map((e) => e.profile);
    return mapped.includes(this.facts.data.profiles.fallback) ? [] : mapped;
  }

  private activeProfile(): { name: string; reason: string } {
    const requested = this.facts.data.options?.profile;
    if (truthy(requested)) return { name: requested!, reason: "requested with --profile" };
    const mapped = this.mapped();
    if (mapped !== undefined) return { name: mapped, reason: `Kubernetes ${this.target} maps to ${mapped}` };
    const fallback = this.facts.data.profiles.fallback;
    const unmapped = this.known ? `Kubernetes ${this.target} has no CIS mapping` : "the Kubernetes version is unknown, so no CIS benchmark is mapped to it";
    const others = this.rangeProfiles().filter((p) => p !== fallback);
    const beside = others.length > 0 ? `; the controls of ${others.join(", ")} (the benchmarks of the versions the flags allow) gate too` : "";
    return { name: fallback, reason: `${unmapped}; using the newest benchmark, ${fallback}${beside}` };
  }

  benchmark(): string {
    if (this.profile.name.startsWith("cis-")) return this.profile.name;
    const mapped = this.mapped();
    if (mapped !== undefined && mapped.startsWith("cis-")) return mapped;
    return this.facts.data.profiles.fallback;
  }

  param(name: string): Json | undefined {
    return has(this.facts.overrides, name) ? this.facts.overrides[name] : this.facts.data.params[name];
  }

  used(name: string): Obj {
    const value = this.param(name)!;
    return { parameter: name, value, cisDefault: equal(value, this.facts.data.params[name]) };
  }

  // ---- lib.flags

  spec(name: string): FlagSpec {
    return this.facts.data.flags[name] ?? {};
  }

  given(name: string): boolean {
    return truthy(this.doc.flags[name]);
  }

  effective(name: string): Flag {
    let f = this.flagCache.get(name);
    if (f === undefined) {
      f = this.computeEffective(name);
      this.flagCache.set(name, f);
    }
    return f;
  }

  private hasDefault(spec: FlagSpec): boolean {
    return (has(spec, "default") && spec.default !== null) || (spec.defaults?.length ?? 0) > 0;
  }

  private computeEffective(name: string): Flag {
    const given = this.doc.flags[name];
    const spec = this.spec(name);
    if (truthy(given)) {
      // A string flag without a default given an empty value: kube-apiserver reads it as not set.
      // A flag written under an alias carries writtenAs, the name the deciding occurrence used.
      if (given!.value === "" && spec.type === "string" && !this.hasDefault(spec) && !this.removed(name)) {
        const f: Flag = { flag: name, set: false, empty: true, origin: given!.origin! };
        if (has(given, "writtenAs")) f.writtenAs = given!.writtenAs!;
        return f;
      }
      const f: Flag = { flag: name, set: true, origin: given!.origin! };
      if (has(given, "value")) f.value = given!.value!;
      if (has(given, "error")) f.error = given!.error!;
      if (has(given, "raw")) f.raw = given!.raw!;
      if (has(given, "writtenAs")) f.writtenAs = given!.writtenAs!;
      return f;
    }
    if (!this.hasDefault(spec)) return { flag: name, set: false };
    const value = this.known ? this.defaultAt(name, this.minor!) : spec.default;
    if (value === undefined) throw new ConflictError(`no default for --${name}`);
    return { flag: name, set: false, value, default: true };
  }

  /** flags.default_at: the last `defaults` entry minor m reaches, else `default`. */
  defaultAt(name: string, m: number): Json | undefined {
    const spec = this.spec(name);
    let value: Json | undefined = spec.default;
    for (const d of spec.defaults ?? []) if (m >= minorOf(d.from)) value = d.value;
    return value;
  }

  removed(name: string): boolean {
    return this.atLeast(this.spec(name).removed);
  }

  removedAt(name: string, m: number): boolean {
    const removed = this.spec(name).removed;
    return removed !== undefined && m >= minorOf(removed);
  }

  removedReason(name: string): string {
    return `--${name} was removed in ${this.spec(name).removed} (the target runs ${this.target}; setting it stops kube-apiserver)`;
  }

  /** flags.contradicted: set although the known version removed it. */
  contradicted(name: string): boolean {
    return this.given(name) && this.removed(name);
  }

  contradictionReason(name: string): string {
    return `kube-apiserver ${this.target} does not start with --${writtenAs(this.doc.flags[name]!, name)} (removed in ${this.spec(name).removed}): the version or the flags are wrong`;
  }

  judgedDirectly(name: string): boolean {
    return !this.removed(name) && (this.given(name) || this.known);
  }

  /** flags.over_range: not set and the version unknown, so judged on every possible minor. */
  overRange(name: string): boolean {
    return !this.known && !this.given(name);
  }

  // ---- lib.files

  file(flag: string): Obj | undefined {
    const f = this.doc.files?.[flag];
    return truthy(f) ? f : undefined;
  }

  fileState(flag: string): string {
    const f = this.file(flag);
    return f ? (f.status as string) : "not-given";
  }

  content(flag: string): Json | undefined {
    const f = this.file(flag);
    return f && f.status === "read" && has(f, "content") ? f.content : undefined;
  }

  fileEvidence(flag: string): Obj {
    const f = this.file(flag);
    if (!f) return { status: "not-given" };
    const e: Obj = {};
    for (const k of ["path", "status", "error"]) if (has(f, k)) e[k] = f[k]!;
    return e;
  }

  failedReason(flag: string): string {
    const f = this.file(flag)!;
    const error = has(f, "error") ? (f.error as string) : "";
    return `--${flag}=${f.path} is ${f.status}${error === "" ? "" : `: ${error}`}`;
  }

  notGivenReason(flag: string, path: Json | undefined, what: string): string {
    return `--${flag}=${path} was not given to kubecis: provide the file to judge ${what}`;
  }
}

function render(value: Json | undefined): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join(",");
  return marshal(value as Json);
}

/** The name a flag was written under (an alias carries writtenAs). */
export const writtenAs = (f: Obj, name: string): string => (has(f, "writtenAs") ? (f.writtenAs as string) : name);

/** lib.flags.given: the text a set flag was given (its value, or the raw text refused). */
export function givenText(f: Flag): string | undefined {
  if (has(f, "value")) return render(f.value);
  return typeof f.raw === "string" ? f.raw : undefined;
}

/** lib.flags.describe: "--profiling=true (default)", "--port=8080 (an alias of --insecure-port)". */
export function describeFlag(f: Flag): string {
  const out: string[] = [];
  const valued = has(f, "value");
  const written = truthy(f.writtenAs) ? (f.writtenAs as string) : f.flag;
  const note = truthy(f.writtenAs) ? ` (an alias of --${f.flag})` : "";
  if (!f.set && valued) out.push(`--${f.flag}=${render(f.value)} (default)`);
  if (!f.set && !valued && !truthy(f.empty)) out.push(`--${f.flag} is not set`);
  if (!f.set && !valued && truthy(f.empty)) out.push(`--${written}= is empty${note}, which kube-apiserver reads as not set`);
  if (f.set && valued) out.push(`--${written}=${render(f.value)}${note}`);
  if (f.set && truthy(f.error)) out.push(`--${written}=${f.raw}${note} (invalid: ${f.error})`);
  if (out.length > 1 && out.some((d) => d !== out[0])) throw new ConflictError(`describe(--${f.flag}): multiple outputs`);
  if (out.length === 0) throw new ConflictError(`describe(--${f.flag}): undefined`);
  return out[0]!;
}

/** versions.uniform: one status for every possible minor. */
export const uniform = (statuses: string[]): boolean => statuses.length > 0 && statuses.every((s) => s === statuses[0]);
/** flags/admission range_status: the one status of a uniform range, else warn. */
export const rangeStatus = (statuses: string[]): string => (uniform(statuses) ? statuses[0]! : "warn");
