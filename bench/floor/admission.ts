// The floor's admission-plugin checks (lib.admission): the plugins kube-apiserver runs for the
// target's version; with the version unknown, judged on every minor the target may run.
import { type Check, type Fired, type Flag, type Json, type Judge, type Obj, ConflictError, equal, has, isObj, minorOf, rangeStatus, truthy, uniform } from "./core.js";

interface Admission {
  enable: Flag;
  disable: Flag;
  legacy: Flag;
  isLegacy: boolean;
  defaultOn: Set<string>;
  plugins: Set<Json>;
  enabled: Set<Json>;
  disabled: Set<Json>;
}

const items = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : isObj(v) ? Object.values(v) : []);

function admission(j: Judge): Admission {
  const cached = j.memo.get("admission") as Admission | undefined;
  if (cached) return cached;
  const enable = j.effective("enable-admission-plugins");
  const disable = j.effective("disable-admission-plugins");
  const legacy = j.effective("admission-control");
  const isLegacy = legacy.set;
  const defaultOn = new Set<string>();
  // lib.admission._reached: the known version in [from, below); an unknown one takes the entries without an end.
  for (const e of j.facts.data.admission.default_on) {
    const reached = j.known ? j.atLeast(e.from) && !j.atLeast(e.below ?? "1.999") : e.below === undefined;
    if (reached) for (const p of e.plugins) defaultOn.add(p);
  }
  const enabled = new Set(items(enable.value));
  const disabled = new Set(items(disable.value));
  let plugins: Set<Json>;
  if (isLegacy) plugins = new Set(items(legacy.value));
  else {
    plugins = new Set<Json>([...defaultOn, ...enabled]);
    for (const p of disabled) plugins.delete(p);
  }
  const a = { enable, disable, legacy, isLegacy, defaultOn, plugins, enabled, disabled };
  j.memo.set("admission", a);
  return a;
}

const isEnabled = (j: Judge, plugin: string): boolean => admission(j).plugins.has(plugin);

function source(j: Judge, plugin: string): string {
  const a = admission(j);
  if (a.isLegacy) return isEnabled(j, plugin) ? "listed in --admission-control" : "not listed in --admission-control (which replaces the default plugins)";
  if (a.disabled.has(plugin)) return "disabled by --disable-admission-plugins";
  if (a.enabled.has(plugin)) return "enabled by --enable-admission-plugins";
  if (a.defaultOn.has(plugin)) return `on by default in ${j.target}`;
  return "not enabled (not in --enable-admission-plugins and not on by default)";
}

function evidence(j: Judge, plugin: string): Obj {
  const a = admission(j);
  return { plugin, enabled: isEnabled(j, plugin), source: source(j, plugin), flags: [a.enable, a.disable, a.legacy].filter((f) => f.set) };
}

const removed = (j: Judge, plugin: string): boolean => j.atLeast(j.facts.data.admission.removed[plugin]);

const removedReason = (j: Judge, plugin: string): string =>
  `the ${plugin} admission plugin was removed in ${j.facts.data.admission.removed[plugin]} (the target runs ${j.target}; naming it stops kube-apiserver)`;

// ---- per minor: statuses for each minor the target may run (a known version: its one minor)

/** admission.enabled_at: the plugin runs on minor m with these flags. */
function enabledAt(j: Judge, plugin: string, m: number): boolean {
  const a = admission(j);
  if (a.isLegacy) return a.plugins.has(plugin);
  if (a.disabled.has(plugin)) return false;
  if (a.enabled.has(plugin)) return true;
  return j.facts.data.admission.default_on.some((e) => m >= minorOf(e.from) && m < minorOf(e.below ?? "1.999") && e.plugins.includes(plugin));
}

function removedAt(j: Judge, plugin: string, m: number): boolean {
  const r = j.facts.data.admission.removed[plugin];
  return r !== undefined && m >= minorOf(r);
}

function absentAt(j: Judge, plugin: string, m: number): boolean {
  const added = j.facts.data.admission.added[plugin];
  return removedAt(j, plugin, m) || (added !== undefined && m < minorOf(added));
}

/** admission.required_statuses: n/a where the minor has no such plugin, pass where it runs, else bad. */
const requiredStatuses = (j: Judge, plugin: string, bad: string): string[] =>
  j.possible().map((m) => (absentAt(j, plugin, m) ? "not-applicable" : enabledAt(j, plugin, m) ? "pass" : bad));

/** What the flags alone say of the plugin (admission._flag_source). */
function flagSource(j: Judge, plugin: string): string {
  const a = admission(j);
  if (a.isLegacy || a.disabled.has(plugin) || a.enabled.has(plugin)) return source(j, plugin);
  return "not named by --enable-admission-plugins or --disable-admission-plugins";
}

/** The result of an admission check judged over the range (admission.range_status/range_reason/range_evidence). */
function overRange(j: Judge, plugin: string, statuses: string[], why: string, ev: Obj): Fired {
  let reason: string;
  if (!uniform(statuses)) reason = `the ${plugin} admission plugin is ${flagSource(j, plugin)} and the version is unknown: ${j.splitReason(statuses)}`;
  else if (statuses[0] === "pass") reason = "";
  else if (statuses[0] === "not-applicable") reason = `the ${plugin} admission plugin does not exist on any version the target may run (${j.spanText()})`;
  else reason = `the ${plugin} admission plugin runs on no version the target may run (${j.spanText()}; ${flagSource(j, plugin)}): ${why}`;
  return [[rangeStatus(statuses), reason, { ...ev, versions: j.versionsEvidence() }]];
}

// ---- the family helpers (admission.required, forbidden, judge)

/** admission.versioned: a Kubernetes minor decides the plugin's default or existence. */
function versioned(j: Judge, plugin: string): boolean {
  const a = j.facts.data.admission;
  return has(a.removed, plugin) || has(a.added, plugin) || a.default_on.some((e) => e.plugins.includes(plugin));
}

/** admission.named_absent: a plugin flag names a plugin the known version lacks (kube-apiserver does not start). */
function namedAbsent(j: Judge, plugin: string): string | undefined {
  if (!j.known) return undefined;
  const a = admission(j);
  const flag = a.isLegacy && items(a.legacy.value).includes(plugin) ? "--admission-control" : a.disabled.has(plugin) ? "--disable-admission-plugins" : a.enabled.has(plugin) ? "--enable-admission-plugins" : undefined;
  if (flag === undefined) return undefined;
  const { removed: gone, added } = j.facts.data.admission;
  const lacks = gone[plugin] !== undefined && j.atLeast(gone[plugin]) ? `removed in ${gone[plugin]}` : added[plugin] !== undefined && !j.atLeast(added[plugin]) ? `added in ${added[plugin]}` : undefined;
  return lacks && `kube-apiserver ${j.target} does not start with ${plugin} named by ${flag}: the plugin was ${lacks}`;
}

interface Reasons {
  fail: string;
  warn?: string;
  why: string;
}

/** admission.judge: over the range when the version is unknown and decides the plugin, else the one status (statuses: one per possible minor). */
function judgeFamily(j: Judge, plugin: string, ev: Obj, statuses: string[], reasons: Reasons): Fired {
  if (!j.known && versioned(j, plugin)) return overRange(j, plugin, statuses, reasons.why, ev);
  const named = namedAbsent(j, plugin);
  if (named !== undefined) return [["fail", named, ev, true]];
  const status = statuses[0]!;
  let reason: string | undefined;
  if (status === "pass") reason = "";
  else if (status === "not-applicable") {
    if (removed(j, plugin)) reason = removedReason(j, plugin);
    else if (j.known && !j.atLeast(j.facts.data.admission.added[plugin])) reason = `the ${plugin} admission plugin was added in ${j.facts.data.admission.added[plugin]} (the target runs ${j.target})`;
  } else if (status === "fail") reason = reasons.fail;
  else if (status === "warn") reason = reasons.warn;
  return reason === undefined ? [] : [[status, reason, ev]];
}

/** admission.says: "the <plugin> admission plugin is <source><sep><why>". */
const says = (j: Judge, plugin: string, sep: string, why: string): string => `the ${plugin} admission plugin is ${source(j, plugin)}${sep}${why}`;

const inRequired = (required: Obj, plugin: string): boolean => Array.isArray(required.value) && required.value.includes(plugin);

/** admission.required_evidence */
const requiredEvidence = (j: Judge, plugin: string): Obj => ({ ...evidence(j, plugin), required: j.used("required-admission-plugins") });

/** admission.required: a plugin the required-admission-plugins parameter may exempt (fail, or warn when exempt). */
function requiredResult(j: Judge, plugin: string, why: string): Fired {
  const ev = requiredEvidence(j, plugin);
  const bad = inRequired(ev.required as Obj, plugin) ? "fail" : "warn";
  const warn = says(j, plugin, "; ", "the required-admission-plugins parameter does not require it: review that exemption");
  return judgeFamily(j, plugin, ev, requiredStatuses(j, plugin, bad), { fail: says(j, plugin, ": ", why), warn, why });
}

const required = (plugin: string, why: string): Check => (j) => requiredResult(j, plugin, why);

/** admission.forbidden: a plugin that must not run. */
const forbidden = (plugin: string, why: string): Check => (j) => {
  const statuses = j.possible().map((m) => (absentAt(j, plugin, m) ? "not-applicable" : enabledAt(j, plugin, m) ? "fail" : "pass"));
  return judgeFamily(j, plugin, evidence(j, plugin), statuses, { fail: says(j, plugin, ": ", why), why });
};

// ---- the checks

/** event_rate_limit_enabled: the plugin, and its configuration's limits when kubecis was given it. */
const eventRateLimit: Check = (j) => {
  const plugin = "EventRateLimit";
  const ev = requiredEvidence(j, plugin);
  if (ev.enabled !== true) return requiredResult(j, plugin, "event floods are not rate limited");
  const admissionFile = j.doc.files?.["admission-control-config-file"];
  const read = truthy(admissionFile) && admissionFile!.status === "read";
  let entry: Obj | undefined;
  if (read && isObj(admissionFile!.content)) {
    for (const e of items(admissionFile!.content.plugins)) {
      if (!isObj(e) || e.name !== plugin) continue;
      if (entry !== undefined && !equal(entry, e)) throw new ConflictError("event_rate_limit_enabled: _entry has multiple values");
      entry = e;
    }
  }
  const configuration = entry && isObj(entry.configuration) ? entry.configuration : undefined;
  const out: Fired = [];
  if (configuration) {
    const types = new Set<Json>();
    for (const limit of items(configuration.limits)) if (isObj(limit) && has(limit, "type")) types.add(limit.type!);
    const limitTypes = [...types].sort() as Json[];
    const missing = ["Server", "Namespace"].filter((t) => !types.has(t)).sort();
    const withLimits = { ...ev, limitTypes };
    if (missing.length === 0) out.push(["pass", "", withLimits]);
    else out.push(["fail", `EventRateLimit is enabled but its configuration sets no limit for ${missing.join(", ")}: those event sources are not rate limited`, withLimits]);
  }
  if (read && !entry) out.push(["fail", "EventRateLimit is enabled but the AdmissionConfiguration has no EventRateLimit entry: kube-apiserver needs its configuration", ev]);
  if (!configuration) {
    const notGiven = new Set<string>();
    if (!j.given("admission-control-config-file")) notGiven.add("--admission-control-config-file is not set");
    if (j.given("admission-control-config-file") && !truthy(admissionFile)) notGiven.add("the AdmissionConfiguration was not given");
    if (truthy(admissionFile) && has(admissionFile, "status") && admissionFile!.status !== "read") notGiven.add(`the AdmissionConfiguration is ${admissionFile!.status}`);
    if (entry && has(entry, "path")) notGiven.add(`the file its path names (${entry.path}) was not given`);
    if (notGiven.size > 1) throw new ConflictError("event_rate_limit_enabled: _not_given has multiple values");
    for (const text of notGiven) out.push(["warn", `EventRateLimit is enabled; its configuration was not given to kubecis (${text}), so its limits were not checked`, ev]);
  }
  return out;
};

const denyServiceExternalIps: Check = (j) => {
  const plugin = "DenyServiceExternalIPs";
  const wording = j.profile.name === "cis-1.23" || j.profile.name === "cis-1.24" ? "not set" : "set";
  const asks = `${j.profile.name} asks for it to be ${wording}`;
  const statuses = j.possible().map((m) => (absentAt(j, plugin, m) ? "not-applicable" : enabledAt(j, plugin, m) === (wording === "set") ? "pass" : "fail"));
  return judgeFamily(j, plugin, { ...evidence(j, plugin), wording }, statuses, { fail: says(j, plugin, "; ", asks), why: asks });
};

const podSecurityPolicy: Check = (j) => {
  const plugin = "PodSecurityPolicy";
  const why = "no pod security policy is enforced";
  return judgeFamily(j, plugin, evidence(j, plugin), requiredStatuses(j, plugin, "fail"), { fail: says(j, plugin, ": ", why), why });
};

const securityContextDeny: Check = (j) => {
  const plugin = "SecurityContextDeny";
  const psp = "PodSecurityPolicy";
  const ev = { ...evidence(j, plugin), podSecurityPolicy: evidence(j, psp) };
  const failText = "PodSecurityPolicy is not enabled either: privileged security contexts are admitted";
  if (!j.known) {
    const restrictedAt = (m: number) => enabledAt(j, plugin, m) || (enabledAt(j, psp, m) && !removedAt(j, psp, m));
    const statuses = j.possible().map((m) => (absentAt(j, plugin, m) ? "not-applicable" : restrictedAt(m) ? "pass" : "fail"));
    return overRange(j, plugin, statuses, failText, ev);
  }
  const named = namedAbsent(j, plugin);
  if (named !== undefined) return [["fail", named, ev, true]];
  if (removed(j, plugin)) return [["not-applicable", removedReason(j, plugin), ev]];
  if (isEnabled(j, plugin) || (isEnabled(j, psp) && !removed(j, psp))) return [["pass", "", ev]];
  return [["fail", `the ${plugin} admission plugin is ${source(j, plugin)} and ${failText}`, ev]];
};

export const ADMISSION_CHECKS: [string, Check][] = [
  ["deny_service_external_ips", denyServiceExternalIps],
  ["event_rate_limit_enabled", eventRateLimit],
  ["always_admit_not_enabled", forbidden("AlwaysAdmit", "every request is admitted")],
  ["always_pull_images_enabled", required("AlwaysPullImages", "pods can use images cached on the node without credentials")],
  ["service_account_plugin_enabled", required("ServiceAccount", "pods are admitted without service-account handling")],
  ["namespace_lifecycle_plugin_enabled", required("NamespaceLifecycle", "objects can be created in terminating or missing namespaces")],
  ["node_restriction_plugin_enabled", required("NodeRestriction", "kubelets can modify other nodes' objects")],
  ["pod_security_policy_plugin_enabled", podSecurityPolicy],
  ["security_context_deny_plugin_enabled", securityContextDeny],
];
