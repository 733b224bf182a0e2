// The floor: the 44 API-server checks hand-written in TypeScript (no Rego, no WASM), over the
// same ApiServerConfig document the policies judge. It returns the same report as kubecis/main/report
// ({kind, component, profile, kubernetesVersion, results: [{id, status, reason, evidence}]},
// results sorted by id), so the benchmark can require identical verdicts before it compares
// speed. It is a baseline, not a second implementation to ship: the Rego under policies/ is
// the source of truth. It reads the same facts the policies read: the bundle's data
// (data.kubecis: flag table, admission plugins, feature gates, parameters, profiles) and each
// check's id and frameworks from its METADATA (build/out/catalog.json).
//
// Each check is written clause by clause like its Rego: every clause whose condition holds
// adds a result, none gives no result, two different ones are a conflict (an error, as in OPA).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

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

export interface Report {
  kind: string;
  component: string | null;
  profile: { name: string; reason: string };
  kubernetesVersion: Json;
  results: Result[];
}

interface FlagSpec {
  default?: Json;
  defaults?: { from: string; value: Json }[];
  removed?: string;
}

/** data.kubecis, as the bundle ships it, plus the caller's options (profile, params). */
export interface KubecisData {
  flags: { [name: string]: FlagSpec };
  admission: {
    added: { [plugin: string]: string };
    default_on: { from: string; plugins: string[] }[];
    removed: { [plugin: string]: string };
  };
  features: { removed: { [gate: string]: string } };
  params: Obj;
  profiles: { cis: { from: number; to: number; profile: string }[]; fallback: string };
  options?: { profile?: string; params?: Obj };
}

export interface CatalogControl {
  id: string;
  component: string;
  package: string;
  frameworks: { [framework: string]: unknown };
}

/** Effective flag, as lib.flags.effective returns it. */
interface Flag extends Obj {
  flag: string;
  set: boolean;
}

const has = (o: object | undefined | null, key: string): boolean => o !== undefined && o !== null && Object.prototype.hasOwnProperty.call(o, key);
/** Rego truthiness of a defined value: everything but false. */
const truthy = (v: unknown): boolean => v !== undefined && v !== false;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** json.marshal: object keys sorted, no spaces. */
function marshal(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(marshal).join(",")}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${marshal(v[k]!)}`).join(",")}}`;
  return JSON.stringify(v);
}

function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return marshal(a) === marshal(b);
}

const formatInt = (n: number): string => String(Math.trunc(n));
const minorOf = (text: string): number => Number(text.split(".")[1]);

const ADMISSION_REQUIRED = ["EventRateLimit", "AlwaysPullImages", "ServiceAccount", "NamespaceLifecycle", "NodeRestriction"] as const;
const DURATION_VALID = /^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*)$/;
const DURATION_PART = /([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/g;
const DURATION_UNITS: { [unit: string]: number } = { ns: 1, us: 1000, "µs": 1000, "μs": 1000, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
const SECRETS_NAMES = new Set(["secrets", "*.", "*.*"]);
const STRONG_PROVIDERS = new Set(["aescbc", "secretbox", "kms"]);
const AUDIT_SELECTORS = ["users", "userGroups", "verbs", "namespaces", "nonResourceURLs"];
const AUDIT_LOGGED = new Set(["Metadata", "Request", "RequestResponse"]);
const AUDIT_METADATA = new Set(["Metadata"]);
const AUDIT_REQUIREMENTS: [string, string, Set<string>][] = [
  ["", "secrets", AUDIT_METADATA],
  ["", "configmaps", AUDIT_METADATA],
  ["authentication.k8s.io", "tokenreviews", AUDIT_METADATA],
  ["", "pods", AUDIT_LOGGED],
  ["apps", "deployments", AUDIT_LOGGED],
  ["", "pods/exec", AUDIT_LOGGED],
  ["", "pods/portforward", AUDIT_LOGGED],
  ["", "pods/proxy", AUDIT_LOGGED],
  ["", "services/proxy", AUDIT_LOGGED],
];

/** Everything that does not depend on the document, prepared once. */
export interface Facts {
  data: KubecisData;
  /** check slug → {id, frameworks} from its METADATA. */
  controls: Map<string, CatalogControl>;
  overrides: Obj;
}

export function prepare(data: KubecisData, catalog: { controls: CatalogControl[] }): Facts {
  const controls = new Map<string, CatalogControl>();
  for (const c of catalog.controls) if (c.component === "apiserver") controls.set(c.package.split(".").pop()!, c);
  return { data, controls, overrides: data.options?.params ?? {} };
}

class ConflictError extends Error {}

/** One document's evaluation: the per-document facts (version, profile, admission), computed
 * once, and the checks. */
class Judge {
  readonly minor: number | undefined;
  readonly known: boolean;
  readonly target: string;
  readonly profile: { name: string; reason: string };
  readonly results: Result[] = [];
  private readonly flagCache = new Map<string, Flag>();

  constructor(
    readonly doc: Doc,
    readonly facts: Facts,
  ) {
    const minor = doc.kubernetesVersion?.minor;
    this.minor = typeof minor === "number" ? minor : undefined;
    this.known = this.minor !== undefined;
    this.target = this.known ? `1.${formatInt(this.minor!)}` : "an unknown version";
    this.profile = this.activeProfile();
  }

  // ---- lib.versions, lib.profiles, lib.params

  atLeast(text: string | undefined): boolean {
    return this.known && text !== undefined && this.minor! >= minorOf(text);
  }

  private mapped(): string | undefined {
    if (!this.known) return undefined;
    for (const e of this.facts.data.profiles.cis) if (this.minor! >= e.from && this.minor! <= e.to) return e.profile;
    return undefined;
  }

  private activeProfile(): { name: string; reason: string } {
    const requested = this.facts.data.options?.profile;
    if (truthy(requested)) return { name: requested!, reason: "requested with --profile" };
    const mapped = this.mapped();
    if (mapped !== undefined) return { name: mapped, reason: `Kubernetes ${this.target} maps to ${mapped}` };
    const fallback = this.facts.data.profiles.fallback;
    return { name: fallback, reason: `Kubernetes ${this.target} has no CIS mapping; using the newest benchmark, ${fallback}` };
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

  cipherAllowlist(): { name: string; suites: Json } | undefined {
    const value = this.param("tls-cipher-allowlist");
    const lists = this.facts.data.params["tls-cipher-suites"] as Obj;
    if (value === "benchmark") {
      const name = this.benchmark();
      return has(lists, name) ? { name, suites: lists[name]! } : undefined;
    }
    if (value === "strict") return has(lists, "strict") ? { name: "strict", suites: lists.strict! } : undefined;
    if (Array.isArray(value)) return { name: "custom", suites: value };
    return undefined;
  }

  // ---- lib.flags

  effective(name: string): Flag {
    let f = this.flagCache.get(name);
    if (f === undefined) {
      f = this.computeEffective(name);
      this.flagCache.set(name, f);
    }
    return f;
  }

  private computeEffective(name: string): Flag {
    const given = this.doc.flags[name];
    if (truthy(given)) {
      const f: Flag = { flag: name, set: true, origin: given!.origin! };
      if (has(given, "value")) f.value = given!.value!;
      if (has(given, "error")) f.error = given!.error!;
      if (has(given, "raw")) f.raw = given!.raw!;
      return f;
    }
    const spec = this.facts.data.flags[name] ?? {};
    const hasDefault = (has(spec, "default") && spec.default !== null) || (spec.defaults?.length ?? 0) > 0;
    if (!hasDefault) return { flag: name, set: false };
    let value: Json | undefined = spec.default;
    if (this.known) {
      for (const d of spec.defaults ?? []) if (this.atLeast(d.from)) value = d.value;
    }
    if (value === undefined) throw new ConflictError(`no default for --${name}`);
    return { flag: name, set: false, value, default: true };
  }

  removed(name: string): boolean {
    return this.atLeast(this.facts.data.flags[name]?.removed);
  }

  removedReason(name: string): string {
    return `--${name} was removed in ${this.facts.data.flags[name]!.removed} (the target runs ${this.target}; setting it stops kube-apiserver)`;
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

  // ---- lib.admission (computed on first use)

  private admissionState?: { enable: Flag; disable: Flag; legacy: Flag; isLegacy: boolean; defaultOn: Set<string>; plugins: Set<string>; enabledList: Json[]; disabledList: Json[] };

  admission() {
    if (this.admissionState) return this.admissionState;
    const enable = this.effective("enable-admission-plugins");
    const disable = this.effective("disable-admission-plugins");
    const legacy = this.effective("admission-control");
    const isLegacy = legacy.set;
    const defaultOn = new Set<string>();
    for (const e of this.facts.data.admission.default_on) {
      if (this.atLeast(e.from) || !this.known) for (const p of e.plugins) defaultOn.add(p);
    }
    const list = (f: Flag): Json[] => (has(f, "value") ? (f.value as Json[]) : []);
    const enabledList = list(enable);
    const disabledList = list(disable);
    let plugins: Set<string>;
    if (isLegacy) plugins = new Set(Array.isArray(legacy.value) ? (legacy.value as string[]) : []);
    else {
      plugins = new Set([...defaultOn, ...(enabledList as string[])]);
      for (const p of disabledList) plugins.delete(p as string);
    }
    this.admissionState = { enable, disable, legacy, isLegacy, defaultOn, plugins, enabledList, disabledList };
    return this.admissionState;
  }

  enabled(plugin: string): boolean {
    return this.admission().plugins.has(plugin);
  }

  source(plugin: string): string {
    const a = this.admission();
    if (a.isLegacy) return this.enabled(plugin) ? "listed in --admission-control" : "not listed in --admission-control (which replaces the default plugins)";
    if (a.disabledList.includes(plugin)) return "disabled by --disable-admission-plugins";
    if (a.enabledList.includes(plugin)) return "enabled by --enable-admission-plugins";
    if (a.defaultOn.has(plugin)) return `on by default in ${this.target}`;
    return "not enabled (not in --enable-admission-plugins and not on by default)";
  }

  admissionEvidence(plugin: string): Obj {
    const a = this.admission();
    return { plugin, enabled: this.enabled(plugin), source: this.source(plugin), flags: [a.enable, a.disable, a.legacy].filter((f) => f.set) };
  }

  pluginRemoved(plugin: string): boolean {
    return this.atLeast(this.facts.data.admission.removed[plugin]);
  }

  // ---- lib.authorization (computed on first use)

  private authzState?: {
    mode: Flag;
    config: Flag;
    fromConfig: boolean;
    configContent: Obj | undefined;
    judged: boolean;
    pending: boolean;
    failed: boolean;
    modes: Set<Json> | undefined;
    evidence: Obj;
    describe: string | undefined;
  };

  authorization() {
    if (this.authzState) return this.authzState;
    const mode = this.effective("authorization-mode");
    const config = this.effective("authorization-config");
    const fromConfig = !mode.set && config.set;
    const content = fromConfig ? this.content("authorization-config") : undefined;
    const configContent = truthy(content) ? (content as Obj) : undefined;
    const state = this.fileState("authorization-config");
    const authorizers = configContent && Array.isArray(configContent.authorizers) ? (configContent.authorizers as Obj[]) : [];
    let modes: Set<Json> | undefined;
    if (!fromConfig) modes = new Set(Array.isArray(mode.value) ? mode.value : []);
    else if (configContent) modes = new Set(authorizers.filter((a) => has(a, "type")).map((a) => a.type!));
    let evidence: Obj;
    if (!fromConfig) evidence = { flag: mode };
    else if (!configContent) evidence = { flag: config, authorizationMode: mode, file: this.fileEvidence("authorization-config") };
    else {
      evidence = {
        flag: config,
        authorizationMode: mode,
        file: this.fileEvidence("authorization-config"),
        authorizers: authorizers.map((a) => {
          const o: Obj = {};
          if (has(a, "type")) o.type = a.type!;
          if (has(a, "name")) o.name = a.name!;
          return o;
        }),
        satisfiedBy: "authorization-config",
      };
    }
    let describe: string | undefined;
    if (!fromConfig) describe = describeFlag(mode);
    else if (configContent) describe = `--authorization-config=${config.value} (authorizers: ${authorizers.filter((a) => has(a, "type")).map((a) => a.type).join(",")})`;
    this.authzState = {
      mode,
      config,
      fromConfig,
      configContent,
      judged: !fromConfig || configContent !== undefined,
      pending: fromConfig && state === "not-given",
      failed: fromConfig && state !== "read" && state !== "not-given",
      modes,
      evidence,
      describe,
    };
    return this.authzState;
  }

  configReason(what: string): string {
    return `authorizers are configured by --authorization-config=${this.authorization().config.value}, which was not given to kubecis: provide the file, or review that its authorizers ${what}`;
  }

  // ---- lib.verdict

  /** The result of one check: the clauses that held (at most one distinct), as lib.verdict.new builds it. */
  emit(slug: string, fired: [string, string, Obj][]): void {
    if (fired.length === 0) return;
    const [status, reason, evidence] = fired[0]!;
    for (const other of fired.slice(1)) {
      if (other[0] !== status || other[1] !== reason || !equal(other[2], evidence)) throw new ConflictError(`${slug}: complete rules must not produce multiple outputs`);
    }
    const control = this.facts.controls.get(slug);
    if (!control) throw new Error(`the catalogue has no control for kubecis.checks.apiserver.${slug}`);
    if (truthy(control.frameworks[this.profile.name])) {
      this.results.push({ id: control.id, status, reason, evidence });
      return;
    }
    // Outside the active profile: the real verdict, marked (lib.verdict, DESIGN decision 8).
    this.results.push({ id: control.id, status, reason, evidence, outside: this.profile.name });
  }
}

function render(value: Json | undefined): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join(",");
  return marshal(value as Json);
}

/** lib.flags.describe */
function describeFlag(f: Flag): string {
  const out: string[] = [];
  if (!f.set && has(f, "value")) out.push(`--${f.flag}=${render(f.value)} (default)`);
  if (!f.set && !has(f, "value")) out.push(`--${f.flag} is not set`);
  if (f.set && has(f, "value")) out.push(`--${f.flag}=${render(f.value)}`);
  if (f.set && truthy(f.error)) out.push(`--${f.flag}=${f.raw} (invalid: ${f.error})`);
  if (out.length > 1 && out.some((d) => d !== out[0])) throw new ConflictError(`describe(--${f.flag}): multiple outputs`);
  if (out.length === 0) throw new ConflictError(`describe(--${f.flag}): undefined`);
  return out[0]!;
}

const isNum = (v: unknown): v is number => typeof v === "number";
const hasError = (f: Flag): boolean => truthy(f.error);

// ---------------------------------------------------------------------------------------
// The checks, one function each, named by their Rego package.

type Fired = [string, string, Obj][];
type Check = (j: Judge) => Fired;

/** A flag that must be true/false, with an error clause. */
function boolFlag(flag: string, want: boolean, failText: string): Check {
  return (j) => {
    const f = j.effective(flag);
    const out: Fired = [];
    if (f.value === want) out.push(["pass", "", { flag: f }]);
    if (f.value === !want) out.push(["fail", `${describeFlag(f)}: ${failText}`, { flag: f }]);
    if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
    return out;
  };
}

/** A flag that must be set. */
function setFlag(flag: string, failReason: string): Check {
  return (j) => {
    const f = j.effective(flag);
    return [f.set ? ["pass", "", { flag: f }] : ["fail", failReason, { flag: f }]];
  };
}

/** A flag that must not be set, and that later versions removed. */
function removedFlagNotSet(flag: string, failText: string): Check {
  return (j) => {
    const f = j.effective(flag);
    const removed = j.removed(flag);
    const out: Fired = [];
    if (removed) out.push(["not-applicable", j.removedReason(flag), { flag: f }]);
    if (!f.set && !removed) out.push(["pass", "", { flag: f }]);
    if (f.set && !removed) out.push(["fail", `${describeFlag(f)}: ${failText}`, { flag: f }]);
    return out;
  };
}

/** Two flags that must both be set. */
function pairSet(names: [string, string], failText: string): Check {
  return (j) => {
    const flags = names.map((n) => j.effective(n));
    const missing = flags.filter((f) => !f.set).map((f) => `--${f.flag}`);
    return [missing.length === 0 ? ["pass", "", { flags }] : ["fail", `${missing.join(" and ")} not set: ${failText}`, { flags }]];
  };
}

/** A numeric flag with a lower bound from a parameter. */
function atLeastParam(flag: string, failText: (min: string) => string): Check {
  return (j) => {
    const f = j.effective(flag);
    const param = j.used(flag);
    const evidence = { flag: f, threshold: param };
    const out: Fired = [];
    if (isNum(f.value) && isNum(param.value) && f.value >= param.value) out.push(["pass", "", evidence]);
    if (isNum(f.value) && isNum(param.value) && f.value < param.value) out.push(["fail", `${describeFlag(f)}: ${failText(formatInt(param.value))}`, evidence]);
    if (hasError(f)) out.push(["error", describeFlag(f), evidence]);
    return out;
  };
}

/** An admission plugin that the required-admission-plugins parameter may require. */
function requiredPlugin(plugin: (typeof ADMISSION_REQUIRED)[number], failText: string): Check {
  return (j) => {
    const required = j.used("required-admission-plugins");
    const evidence = { ...j.admissionEvidence(plugin), required };
    if (j.enabled(plugin)) return [["pass", "", evidence]];
    const isRequired = Array.isArray(required.value) && required.value.includes(plugin);
    if (isRequired) return [["fail", `the ${plugin} admission plugin is ${j.source(plugin)}: ${failText}`, evidence]];
    return [["warn", `the ${plugin} admission plugin is ${j.source(plugin)}; the required-admission-plugins parameter does not require it: review that exemption`, evidence]];
  };
}

function authorizerIncluded(mode: string): Check {
  return (j) => {
    const a = j.authorization();
    const out: Fired = [];
    const has = a.modes?.has(mode) ?? false;
    if (has) out.push(["pass", "", a.evidence]);
    if (a.judged && !has) out.push(["fail", `${a.describe}: the ${mode} authorizer is not enabled`, a.evidence]);
    if (a.pending) out.push(["warn", j.configReason(`include a ${mode} authorizer`), a.evidence]);
    if (a.failed) out.push(["error", j.failedReason("authorization-config"), a.evidence]);
    return out;
  };
}

function encryptionFlag(j: Judge): Flag {
  const flags = j.doc.flags;
  const legacy = !truthy(flags["encryption-provider-config"]) && truthy(flags["experimental-encryption-provider-config"]) && !j.removed("experimental-encryption-provider-config");
  return j.effective(legacy ? "experimental-encryption-provider-config" : "encryption-provider-config");
}

const coversSecrets = (entry: Json): boolean => isObj(entry) && Array.isArray(entry.resources) && entry.resources.some((n) => typeof n === "string" && SECRETS_NAMES.has(n));

function goSeconds(text: string): number | undefined {
  if (!DURATION_VALID.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(DURATION_PART)) total += Number(`0${m[1]}`) * DURATION_UNITS[m[2]!]!;
  return ((text.startsWith("-") ? -1 : 1) * total) / 1e9;
}

const CHECKS: [string, Check][] = [
  [
    "anonymous_auth_disabled",
    (j) => {
      const f = j.effective("anonymous-auth");
      const authn = j.effective("authentication-config");
      const structured = !f.set && authn.set;
      const content = j.content("authentication-config");
      const anonymous = structured && isObj(content) && has(content, "anonymous") ? content.anonymous : undefined;
      const anon = truthy(anonymous) ? anonymous : undefined;
      const configEvidence: Obj = { flag: f, authenticationConfig: authn, file: j.fileEvidence("authentication-config"), ...(anon !== undefined ? { anonymous: anon, satisfiedBy: "authentication-config" } : {}) };
      const out: Fired = [];
      if (f.value === false) out.push(["pass", "", { flag: f }]);
      if (f.value === true && !structured) out.push(["fail", `${describeFlag(f)}: anonymous requests are accepted`, { flag: f }]);
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      const enabled = isObj(anonymous) ? anonymous.enabled : undefined;
      if (enabled === false) out.push(["pass", "", configEvidence]);
      if (enabled === true) {
        const conditions = isObj(anonymous) && Array.isArray(anonymous.conditions) ? anonymous.conditions : [];
        const paths = conditions.filter((c) => isObj(c) && has(c, "path")).map((c) => (c as Obj).path);
        const suffix = conditions.length > 0 ? ` for ${paths.join(", ")}` : "";
        out.push(["fail", `--authentication-config=${authn.value} enables anonymous requests (anonymous.enabled: true${suffix})`, configEvidence]);
      }
      if (truthy(content) && structured && anon === undefined) {
        out.push(["fail", `--authentication-config=${authn.value} has no anonymous block and --anonymous-auth is not set: anonymous requests are accepted (default true)`, configEvidence]);
      }
      const state = j.fileState("authentication-config");
      if (structured && state === "not-given") {
        out.push(["warn", `--anonymous-auth is not set and --authentication-config=${authn.value} may configure anonymous access, but the file was not given to kubecis: provide it or review its anonymous block`, configEvidence]);
      }
      if (structured && state !== "read" && state !== "not-given") out.push(["error", j.failedReason("authentication-config"), configEvidence]);
      return out;
    },
  ],
  [
    "authorization_mode_not_always_allow",
    (j) => {
      const a = j.authorization();
      const out: Fired = [];
      const always = a.modes?.has("AlwaysAllow") ?? false;
      if (a.judged && !always) out.push(["pass", "", a.evidence]);
      if (always) out.push(["fail", `${a.describe}: AlwaysAllow authorizes every request`, a.evidence]);
      if (a.pending) out.push(["warn", j.configReason("do not include AlwaysAllow"), a.evidence]);
      if (a.failed) out.push(["error", j.failedReason("authorization-config"), a.evidence]);
      return out;
    },
  ],
  ["authorization_mode_includes_node", authorizerIncluded("Node")],
  ["authorization_mode_includes_rbac", authorizerIncluded("RBAC")],
  ["profiling_disabled", boolFlag("profiling", false, "/debug/pprof is served")],
  ["basic_auth_file_not_set", removedFlagNotSet("basic-auth-file", "passwords are read from a plain-text file")],
  ["insecure_allow_any_token_not_set", removedFlagNotSet("insecure-allow-any-token", "any bearer token is accepted")],
  [
    "token_auth_file_not_set",
    (j) => {
      const f = j.effective("token-auth-file");
      return [f.set ? ["fail", `${describeFlag(f)}: static bearer tokens are read from a plain-text file`, { flag: f }] : ["pass", "", { flag: f }]];
    },
  ],
  [
    "deny_service_external_ips",
    (j) => {
      const plugin = "DenyServiceExternalIPs";
      const wording = j.profile.name === "cis-1.23" || j.profile.name === "cis-1.24" ? "not set" : "set";
      const evidence = { ...j.admissionEvidence(plugin), wording };
      const added = j.facts.data.admission.added[plugin];
      const missing = j.known && !j.atLeast(added);
      if (missing) return [["not-applicable", `the ${plugin} admission plugin was added in ${added} (the target runs ${j.target})`, evidence]];
      const secure = wording === "set" ? j.enabled(plugin) : !j.enabled(plugin);
      if (secure) return [["pass", "", evidence]];
      return [["fail", `the ${plugin} admission plugin is ${j.source(plugin)}; ${j.profile.name} asks for it to be ${wording}`, evidence]];
    },
  ],
  [
    "kubelet_https_enabled",
    (j) => {
      const f = j.effective("kubelet-https");
      const removed = j.removed("kubelet-https");
      const out: Fired = [];
      if (removed) out.push(["not-applicable", j.removedReason("kubelet-https"), { flag: f }]);
      if (f.value === true && !removed) out.push(["pass", "", { flag: f }]);
      if (f.value === false && !removed) out.push(["fail", `${describeFlag(f)}: kubelets are reached over plain HTTP`, { flag: f }]);
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  ["kubelet_client_certificate_set", pairSet(["kubelet-client-certificate", "kubelet-client-key"], "the API server calls kubelets without a client certificate")],
  ["kubelet_certificate_authority_set", setFlag("kubelet-certificate-authority", "--kubelet-certificate-authority is not set: kubelet serving certificates are not verified")],
  ["event_rate_limit_enabled", requiredPlugin("EventRateLimit", "event floods are not rate limited")],
  [
    "always_admit_not_enabled",
    (j) => {
      const evidence = j.admissionEvidence("AlwaysAdmit");
      if (!j.enabled("AlwaysAdmit")) return [["pass", "", evidence]];
      return [["fail", `the AlwaysAdmit admission plugin is ${j.source("AlwaysAdmit")}: every request is admitted`, evidence]];
    },
  ],
  ["always_pull_images_enabled", requiredPlugin("AlwaysPullImages", "pods can use images cached on the node without credentials")],
  ["service_account_plugin_enabled", requiredPlugin("ServiceAccount", "pods are admitted without service-account handling")],
  ["namespace_lifecycle_plugin_enabled", requiredPlugin("NamespaceLifecycle", "objects can be created in terminating or missing namespaces")],
  ["node_restriction_plugin_enabled", requiredPlugin("NodeRestriction", "kubelets can modify other nodes' objects")],
  [
    "pod_security_policy_plugin_enabled",
    (j) => {
      const plugin = "PodSecurityPolicy";
      const evidence = j.admissionEvidence(plugin);
      if (j.pluginRemoved(plugin)) return [["not-applicable", removedPluginReason(j, plugin), evidence]];
      if (j.enabled(plugin)) return [["pass", "", evidence]];
      return [["fail", `the ${plugin} admission plugin is ${j.source(plugin)}: no pod security policy is enforced`, evidence]];
    },
  ],
  [
    "security_context_deny_plugin_enabled",
    (j) => {
      const plugin = "SecurityContextDeny";
      const evidence = { ...j.admissionEvidence(plugin), podSecurityPolicy: j.admissionEvidence("PodSecurityPolicy") };
      if (j.pluginRemoved(plugin)) return [["not-applicable", removedPluginReason(j, plugin), evidence]];
      if (j.enabled(plugin) || j.enabled("PodSecurityPolicy")) return [["pass", "", evidence]];
      return [["fail", `the ${plugin} admission plugin is ${j.source(plugin)} and PodSecurityPolicy is not enabled either: privileged security contexts are admitted`, evidence]];
    },
  ],
  ["insecure_bind_address_not_set", removedFlagNotSet("insecure-bind-address", "the unauthenticated HTTP port is bound to an address")],
  [
    "insecure_port_disabled",
    (j) => {
      const f = j.effective("insecure-port");
      const removed = j.removed("insecure-port");
      const out: Fired = [];
      if (removed) out.push(["not-applicable", j.removedReason("insecure-port"), { flag: f }]);
      if (!removed && f.value === 0) out.push(["pass", "", { flag: f }]);
      if (!removed && has(f, "value") && f.value !== 0) out.push(["fail", `${describeFlag(f)}: the API server serves unauthenticated HTTP requests`, { flag: f }]);
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  [
    "secure_port_enabled",
    (j) => {
      const f = j.effective("secure-port");
      const out: Fired = [];
      if (isNum(f.value) && f.value > 0 && f.value <= 65535) out.push(["pass", "", { flag: f }]);
      if (f.value === 0) out.push(["fail", `${describeFlag(f)}: the HTTPS port is switched off`, { flag: f }]);
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  [
    "repair_malformed_updates_disabled",
    (j) => {
      const f = j.effective("repair-malformed-updates");
      const removed = j.removed("repair-malformed-updates");
      const out: Fired = [];
      if (removed) out.push(["not-applicable", j.removedReason("repair-malformed-updates"), { flag: f }]);
      if (!removed && f.value === false) out.push(["pass", "", { flag: f }]);
      if (!removed && f.value !== false && !hasError(f)) out.push(["fail", `${describeFlag(f)}: malformed updates may be repaired instead of rejected`, { flag: f }]);
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  ["audit_log_path_set", setFlag("audit-log-path", "--audit-log-path is not set: audit events are not written to a log")],
  ["audit_log_maxage_sufficient", atLeastParam("audit-log-maxage", (min) => `rotated audit logs are not kept long enough (at least ${min} days required)`)],
  ["audit_log_maxbackup_sufficient", atLeastParam("audit-log-maxbackup", (min) => `too few rotated audit logs are kept (at least ${min} files required)`)],
  ["audit_log_maxsize_sufficient", atLeastParam("audit-log-maxsize", (min) => `audit logs are rotated too early (at least ${min} MB required)`)],
  [
    "request_timeout_bounded",
    (j) => {
      const f = j.effective("request-timeout");
      const min = j.used("request-timeout-min-seconds");
      const max = j.used("request-timeout-max-seconds");
      const seconds = typeof f.value === "string" ? goSeconds(f.value) : undefined;
      const evidence: Obj = { flag: f, bounds: { min, max }, ...(seconds !== undefined ? { seconds } : {}) };
      const out: Fired = [];
      if (seconds !== undefined) {
        if (seconds >= (min.value as number) && seconds <= (max.value as number)) out.push(["pass", "", evidence]);
        if (seconds < (min.value as number) || seconds > (max.value as number)) {
          out.push(["fail", `${describeFlag(f)}: outside ${formatInt(min.value as number)}s-${formatInt(max.value as number)}s`, evidence]);
        }
      }
      if (hasError(f)) out.push(["error", describeFlag(f), evidence]);
      if (typeof f.value === "string" && !DURATION_VALID.test(f.value)) out.push(["error", `${describeFlag(f)}: not a Go duration such as 300s or 5m`, evidence]);
      return out;
    },
  ],
  ["service_account_lookup_enabled", boolFlag("service-account-lookup", true, "tokens of deleted service accounts stay valid")],
  ["service_account_key_file_set", setFlag("service-account-key-file", "--service-account-key-file is not set: service-account tokens are verified with the TLS serving key")],
  ["etcd_client_certificate_set", pairSet(["etcd-certfile", "etcd-keyfile"], "etcd is reached without a client certificate")],
  ["tls_serving_certificate_set", pairSet(["tls-cert-file", "tls-private-key-file"], "the API server serves a self-signed certificate")],
  ["client_ca_file_set", setFlag("client-ca-file", "--client-ca-file is not set: client certificates are not verified")],
  ["etcd_cafile_set", setFlag("etcd-cafile", "--etcd-cafile is not set: etcd's serving certificate is not verified")],
  [
    "advanced_auditing_not_disabled",
    (j) => {
      const f = j.effective("feature-gates");
      const removedIn = j.facts.data.features.removed.AdvancedAuditing!;
      const removed = j.atLeast(removedIn);
      const gate = isObj(f.value) ? f.value.AdvancedAuditing : undefined;
      const out: Fired = [];
      if (removed) out.push(["not-applicable", `the AdvancedAuditing feature gate was removed in ${removedIn} (the target runs ${j.target}; naming it stops kube-apiserver)`, { flag: f }]);
      if (!removed && gate !== false && !hasError(f)) out.push(["pass", "", { flag: f }]);
      if (!removed && gate === false) out.push(["fail", "--feature-gates sets AdvancedAuditing=false: audit policies are not applied", { flag: f }]);
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  ["service_account_token_expiration_not_extended", boolFlag("service-account-extend-token-expiration", false, "injected service-account tokens stay valid for up to a year")],
  ["audit_policy_file_set", setFlag("audit-policy-file", "--audit-policy-file is not set: no audit events are recorded")],
  [
    "encryption_provider_config_set",
    (j) => {
      const f = encryptionFlag(j);
      const evidence = { flag: f, file: j.fileEvidence(f.flag) };
      const content = j.content(f.flag);
      const covers = isObj(content) && Array.isArray(content.resources) && content.resources.some(coversSecrets);
      const uncovered = truthy(content) && !covers;
      const out: Fired = [];
      if (f.set && !uncovered) out.push(["pass", "", evidence]);
      if (!f.set) out.push(["fail", "--encryption-provider-config is not set: secrets are stored unencrypted in etcd", evidence]);
      if (f.set && uncovered) out.push(["fail", `${describeFlag(f)}: no resources entry covers secrets`, evidence]);
      return out;
    },
  ],
  [
    "encryption_providers_strong",
    (j) => {
      const f = encryptionFlag(j);
      const fileEvidence = j.fileEvidence(f.flag);
      const without = { flag: f, file: fileEvidence };
      const content = f.set ? j.content(f.flag) : undefined;
      const resources = isObj(content) && Array.isArray(content.resources) ? content.resources : [];
      const entries: Obj[] = [];
      const unencrypted: string[] = [];
      resources.forEach((entry, i) => {
        if (!isObj(entry)) return;
        const providers = Array.isArray(entry.providers) ? entry.providers : [];
        const first = isObj(providers[0]) ? providers[0] : undefined;
        const names = first ? Object.keys(first) : [];
        if (names.includes("identity") && Array.isArray(entry.resources)) unencrypted.push(...(entry.resources as string[]));
        if (!coversSecrets(entry) || names.length === 0) return;
        if (names.length > 1) throw new ConflictError("encryption_providers_strong: _summary has multiple outputs");
        const name = names[0]!;
        const summary: Obj = { entry: i, resources: entry.resources!, firstProvider: name };
        if (name === "kms") {
          const kms = first![name];
          summary.kmsApiVersion = isObj(kms) && has(kms, "apiVersion") ? kms.apiVersion! : "v1";
        }
        entries.push(summary);
      });
      unencrypted.sort();
      const weak = entries.filter((e) => !STRONG_PROVIDERS.has(e.firstProvider as string));
      const kmsV1 = entries.filter((e) => e.firstProvider === "kms" && e.kmsApiVersion !== "v2");
      const evidence = { flag: f, file: fileEvidence, secretsEntries: entries, unencryptedResources: unencrypted };
      const state = j.fileState(f.flag);
      const out: Fired = [];
      if (!f.set) out.push(["fail", "--encryption-provider-config is not set: secrets are stored unencrypted in etcd", without]);
      if (f.set && state === "not-given") out.push(["warn", j.notGivenReason(f.flag, f.value, "which providers encrypt secrets"), without]);
      if (f.set && state !== "read" && state !== "not-given") out.push(["error", j.failedReason(f.flag), without]);
      if (entries.length > 0 && weak.length === 0 && kmsV1.length === 0) out.push(["pass", "", evidence]);
      if (truthy(content) && entries.length === 0) out.push(["fail", "no resources entry of the encryption configuration covers secrets: they are stored unencrypted", evidence]);
      if (weak.length > 0) {
        const firsts = [...new Set(weak.map((e) => e.firstProvider as string))].sort();
        const note = weak.some((e) => e.firstProvider === "identity") ? "identity stores them unencrypted; " : "";
        out.push(["fail", `secrets are written with ${firsts.join(", ")} as first provider (${note}CIS accepts aescbc, secretbox or kms first)`, evidence]);
      }
      if (weak.length === 0 && kmsV1.length > 0) {
        out.push(["warn", "secrets are encrypted with KMS v1, deprecated since Kubernetes 1.28 and off by default from 1.29: migrate to KMS v2 (apiVersion: v2)", evidence]);
      }
      return out;
    },
  ],
  [
    "tls_cipher_suites_strong",
    (j) => {
      const f = j.effective("tls-cipher-suites");
      const allowed = j.cipherAllowlist();
      if (!allowed) return [];
      const suites = new Set(Array.isArray(allowed.suites) ? allowed.suites : []);
      const outside = (Array.isArray(f.value) ? f.value : []).filter((s) => !suites.has(s));
      const evidence = { flag: f, allowlist: { name: allowed.name, parameter: j.used("tls-cipher-allowlist") } };
      if (!f.set) return [["fail", `--tls-cipher-suites is not set: Go's default suites include ones outside the ${allowed.name} allow-list`, evidence]];
      if (outside.length === 0) return [["pass", "", evidence]];
      return [["fail", `--tls-cipher-suites lists suites outside the ${allowed.name} allow-list: ${outside.join(", ")}`, evidence]];
    },
  ],
  [
    "manifest_file_mode_restricted",
    (j) => {
      const m = j.doc.manifest;
      const allowed = j.used("manifest-max-mode");
      if (!truthy(m)) return [["warn", "the manifest's file metadata is not part of this input: check that stat -c %a /etc/kubernetes/manifests/kube-apiserver.yaml on each control-plane node shows 600 or stricter", { manifest: "not collected", allowedMode: allowed }]];
      const evidence = { manifest: m!, allowedMode: allowed };
      const mode = m!.mode;
      const valid = typeof mode === "string" && /^[0-7]{3,4}$/.test(mode);
      if (!valid) return [["error", `${m!.path}: mode ${marshal(mode ?? null)} is not an octal file mode`, evidence]];
      const extra = parseInt(mode, 8) & ~parseInt(allowed.value as string, 8);
      if (extra === 0) return [["pass", "", evidence]];
      return [["fail", `${m!.path} has mode ${mode}: more permissive than ${allowed.value}`, evidence]];
    },
  ],
  [
    "manifest_file_owned_by_root",
    (j) => {
      const m = j.doc.manifest;
      if (!truthy(m)) return [["warn", "the manifest's file metadata is not part of this input: check that stat -c %U:%G /etc/kubernetes/manifests/kube-apiserver.yaml on each control-plane node shows root:root", { manifest: "not collected" }]];
      const evidence = { manifest: m! };
      if (m!.uid === 0 && m!.gid === 0) return [["pass", "", evidence]];
      const name = (key: string, id: string) => (truthy(m![key]) ? (m![key] as string) : formatInt(m![id] as number));
      return [["fail", `${m!.path} is owned by ${name("owner", "uid")}:${name("group", "gid")}, not root:root`, evidence]];
    },
  ],
  [
    "audit_policy_covers_key_resources",
    (j) => {
      const f = j.effective("audit-policy-file");
      const policy = f.set ? j.content("audit-policy-file") : undefined;
      const rules = isObj(policy) && Array.isArray(policy.rules) ? policy.rules : [];
      const general: [number, Obj][] = [];
      rules.forEach((rule, i) => {
        if (isObj(rule) && !AUDIT_SELECTORS.some((k) => truthy(rule[k]))) general.push([i, rule]);
      });
      const coverage: Obj[] = [];
      for (const [group, resource, levels] of AUDIT_REQUIREMENTS) {
        const hit = general.find(([, rule]) => auditRuleMatches(rule, group, resource));
        if (!hit) coverage.push({ group, resource, level: "None", rule: null, ok: false });
        else if (has(hit[1], "level")) coverage.push({ group, resource, level: hit[1].level!, rule: hit[0], ok: levels.has(hit[1].level as string) });
      }
      const gaps = coverage.filter((v) => !v.ok).map((v) => (v.group === "" ? `${v.resource} at ${v.level}` : `${v.resource}.${v.group} at ${v.level}`));
      const fileEvidence = j.fileEvidence("audit-policy-file");
      const evidence = { flag: f, file: fileEvidence, coverage };
      const without = { flag: f, file: fileEvidence };
      const state = j.fileState("audit-policy-file");
      const out: Fired = [];
      if (truthy(policy) && gaps.length === 0) out.push(["pass", "", evidence]);
      if (truthy(policy) && gaps.length > 0) {
        out.push(["fail", `the audit policy does not cover what CIS asks (secrets, configmaps, tokenreviews at Metadata; pods, deployments, exec, portforward and proxy logged): ${gaps.join(", ")}`, evidence]);
      }
      if (!f.set) out.push(["fail", "--audit-policy-file is not set: no audit events are recorded", without]);
      if (f.set && state === "not-given") out.push(["warn", j.notGivenReason("audit-policy-file", f.value, "what it records"), without]);
      if (f.set && state !== "read" && state !== "not-given") out.push(["error", j.failedReason("audit-policy-file"), without]);
      return out;
    },
  ],
];

function removedPluginReason(j: Judge, plugin: string): string {
  return `the ${plugin} admission plugin was removed in ${j.facts.data.admission.removed[plugin]} (the target runs ${j.target}; naming it stops kube-apiserver)`;
}

function auditRuleMatches(rule: Obj, group: string, resource: string): boolean {
  if (!truthy(rule.resources)) return true;
  if (!Array.isArray(rule.resources)) return false;
  return rule.resources.some((gr) => {
    if (!isObj(gr)) return false;
    if ((has(gr, "group") ? gr.group : "") !== group) return false;
    const names = has(gr, "resources") ? gr.resources : [];
    if (Array.isArray(names) && names.length === 0) return true;
    return Array.isArray(names) && names.some((n) => typeof n === "string" && auditNameMatches(n, resource));
  });
}

function auditNameMatches(name: string, resource: string): boolean {
  if (name === "*" || name === resource) return true;
  if (name.endsWith("/*") && resource.startsWith(name.slice(0, -1))) return true;
  if (name.startsWith("*/") && resource.endsWith(name.slice(1))) return true;
  return false;
}

/** The slugs of the checks this floor implements (checks.apiserver.<slug>). */
export const FLOOR_CHECKS: readonly string[] = CHECKS.map(([slug]) => slug);

/** Judges one ApiServerConfig document, like kubecis/main/report. */
export function judge(doc: Doc, facts: Facts): Report {
  const j = new Judge(doc, facts);
  const applies = doc.kind === "ApiServerConfig";
  if (applies) for (const [slug, check] of CHECKS) j.emit(slug, check(j));
  j.results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    kind: doc.kind,
    component: applies ? "apiserver" : null,
    profile: j.profile,
    kubernetesVersion: has(doc, "kubernetesVersion") ? (doc.kubernetesVersion as Json) : { version: null, source: "unknown" },
    results: j.results,
  };
}
