// The floor's KAS-0044 (audit_policy_covers_key_resources) and the audit Policy semantics it
// reads (lib.audit.policy): for each resource CIS names, the first rule that matches every
// request to it decides; earlier rules that match some of its requests and record less are
// gaps (named users: exemptions). A Policy kube-apiserver refuses to load is an error.
import { type Check, type Fired, type Json, type Judge, type Obj, formatInt, isObj, marshal, truthy } from "./core.js";

interface Request {
  group: string;
  resource: string;
  subresource: string;
  namespaced: boolean;
  metadataOnly: boolean;
}

const REQUIREMENTS: Request[] = [
  ["", "secrets", "", true, true],
  ["", "configmaps", "", true, true],
  ["authentication.k8s.io", "tokenreviews", "", false, true],
  ["", "pods", "", true, false],
  ["apps", "deployments", "", true, false],
  ["", "pods", "exec", true, false],
  ["", "pods", "portforward", true, false],
  ["", "pods", "proxy", true, false],
  ["", "services", "proxy", true, false],
].map(([group, resource, subresource, namespaced, metadataOnly]) => ({ group, resource, subresource, namespaced, metadataOnly }) as Request);

const ASKS = "(secrets, configmaps, tokenreviews at Metadata only; pods, deployments, exec, portforward and proxy logged)";
const BODYLESS = new Set(["get", "list", "watch", "delete", "deletecollection"]);
const LEVELS = new Set(["None", "Metadata", "Request", "RequestResponse"]);
const STAGES = new Set(["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"]);
const SILENCED = "with every stage it writes at omitted";
const LEAKS = "logs their contents";

/** object.get(o, key, null): undefined (the expression fails) when o is not an object. */
const get = (o: Json | undefined, key: string): Json | undefined => (isObj(o) ? (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : null) : undefined);

/** policy.list: a list field; absent, null or of another type is empty. */
function list(o: Json | undefined, key: string): Json[] {
  const v = get(o, key);
  return Array.isArray(v) ? v : [];
}

const strings = (o: Json | undefined, key: string): string[] => list(o, key) as string[];

// ---- what a rule writes

function silent(policy: Json, rule: Obj): boolean {
  const omitted = [...list(policy, "omitStages"), ...list(rule, "omitStages")];
  return omitted.includes("RequestReceived") && omitted.includes("ResponseComplete");
}

const writes = (policy: Json, rule: Obj): boolean => rule.level !== undefined && rule.level !== "None" && !silent(policy, rule);

function logsContents(rule: Obj): boolean {
  if (rule.level === "RequestResponse") return true;
  if (rule.level !== "Request") return false;
  const verbs = list(rule, "verbs");
  return !(verbs.length > 0 && verbs.every((v) => typeof v === "string" && BODYLESS.has(v)));
}

// ---- checker.go ruleMatches, over every request to one resource

const resourcePath = (r: { resource: string; subresource: string }): string => (r.subresource === "" ? r.resource : `${r.resource}/${r.subresource}`);

function nameMatches(name: Json, req: Request): boolean {
  return name === "*" || name === resourcePath(req) || name === `${req.resource}/*` || (req.subresource !== "" && name === `*/${req.subresource}`);
}

function groupResourceMatches(gr: Json, req: Request): boolean {
  const g = get(gr, "group");
  if ((typeof g === "string" ? g : "") !== req.group) return false;
  const names = list(gr, "resources");
  return names.length === 0 || names.some((n) => nameMatches(n, req));
}

const resourceRule = (rule: Obj): boolean => list(rule, "namespaces").length > 0 || list(rule, "resources").length > 0;

function mayMatch(rule: Obj, req: Request): boolean {
  const namespaces = list(rule, "namespaces");
  const resources = list(rule, "resources");
  if (namespaces.length === 0 && resources.length === 0 && list(rule, "nonResourceURLs").length === 0) return true;
  if (!resourceRule(rule)) return false;
  const namespace = namespaces.length === 0 || req.namespaced || namespaces.includes("");
  return namespace && (resources.length === 0 || resources.some((gr) => groupResourceMatches(gr, req)));
}

function everyName(rule: Obj, req: Request): boolean {
  const resources = list(rule, "resources");
  return resources.length === 0 || resources.some((gr) => groupResourceMatches(gr, req) && list(gr, "resourceNames").length === 0);
}

/** policy.reach: how many of the requests to req's resource the rule matches. */
function reach(rule: Obj, req: Request): "none" | "some" | "all" {
  if (!mayMatch(rule, req)) return "none";
  const namespaces = list(rule, "namespaces");
  const everyNamespace = namespaces.length === 0 || (!req.namespaced && namespaces.includes(""));
  const everyone = list(rule, "users").length === 0 && list(rule, "userGroups").length === 0 && list(rule, "verbs").length === 0;
  return everyone && everyNamespace && everyName(rule, req) ? "all" : "some";
}

/** policy.names: the object names that limit the rule for req's resource. */
function names(rule: Obj, req: Request): string[] {
  if (everyName(rule, req)) return [];
  return list(rule, "resources").flatMap((gr) => (groupResourceMatches(gr, req) ? strings(gr, "resourceNames") : []));
}

// ---- what kube-apiserver refuses to load (policy.refusals)

/** policy._bad_type: a present value Go would not decode into a field of that kind (null is absent). */
function badType(v: Json | undefined, kind: "list" | "strings" | "objects" | "boolean"): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return kind !== "boolean";
  if (kind === "boolean" || !Array.isArray(v)) return true;
  if (kind === "strings") return v.some((x) => typeof x !== "string");
  if (kind === "objects") return v.some((x) => !isObj(x));
  return false;
}

function typeName(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return isObj(v) ? "object" : typeof v;
}

const quote = (v: Json): string => (typeof v === "string" ? marshal(v) : `a ${typeName(v)}`);

function stageRefusals(at: string, stages: Json | undefined, out: Set<string>): void {
  if (stages === undefined) return;
  if (badType(stages, "strings")) out.add(`${at}: not a list of stages`);
  else if (Array.isArray(stages)) for (const s of stages) if (!STAGES.has(s as string)) out.add(`${at}: ${quote(s)} is not RequestReceived, ResponseStarted, ResponseComplete or Panic`);
}

function ruleRefusals(at: string, rule: Obj, out: Set<string>): void {
  const level = get(rule, "level");
  if (level === null || level === "") out.add(`${at}.level: required`);
  else if (!LEVELS.has(level as string)) out.add(`${at}.level: ${quote(level!)} is not None, Metadata, Request or RequestResponse`);
  stageRefusals(`${at}.omitStages`, get(rule, "omitStages"), out);
  for (const key of ["users", "userGroups", "verbs", "namespaces", "nonResourceURLs"]) if (badType(get(rule, key), "strings")) out.add(`${at}.${key}: not a list of strings`);
  const urls = list(rule, "nonResourceURLs");
  if (urls.length > 0 && resourceRule(rule)) out.add(`${at}.nonResourceURLs: rules cannot apply to both regular resources and non-resource URLs`);
  for (const url of urls) {
    if (typeof url !== "string" || url === "*") continue;
    if (!url.startsWith("/")) out.add(`${at}.nonResourceURLs: ${quote(url)} must begin with a '/'`);
    if (Array.from(url).slice(0, -1).includes("*")) out.add(`${at}.nonResourceURLs: ${quote(url)} may hold '*' only as its last character`);
  }
  if (badType(get(rule, "resources"), "objects")) out.add(`${at}.resources: not a list of group resources`);
  else {
    list(rule, "resources").forEach((gr, j) => {
      const here = `${at}.resources[${formatInt(j)}]`;
      for (const key of ["resources", "resourceNames"]) if (badType(get(gr, key), "strings")) out.add(`${here}.${key}: not a list of strings`);
      const g = get(gr, "group");
      if (g !== null && g !== undefined && badGroup(g)) out.add(`${here}.group: ${quote(g)} is not a lower-case DNS subdomain`);
      if (list(gr, "resourceNames").length > 0 && list(gr, "resources").length === 0) out.add(`${here}.resourceNames: using resourceNames requires at least one resource`);
    });
  }
  if (badType(get(rule, "omitManagedFields"), "boolean")) out.add(`${at}.omitManagedFields: not a boolean`);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const badGroup = (g: Json): boolean => typeof g !== "string" || (g !== "" && !(Array.from(g).length <= 253 && DNS_SUBDOMAIN.test(g)));

function refusals(j: Judge, policy: Json): string[] {
  const out = new Set<string>();
  const rules = get(policy, "rules");
  if (truthy(policy) && !(rules !== undefined && badType(rules, "list")) && list(policy, "rules").length === 0) out.add("rules: the policy has no rules");
  if (badType(rules, "list")) out.add("rules: not a list of rules");
  stageRefusals("omitStages", get(policy, "omitStages"), out);
  if (badType(get(policy, "omitManagedFields"), "boolean")) out.add("omitManagedFields: not a boolean");
  const version = get(policy, "apiVersion");
  if (version !== undefined && version !== "audit.k8s.io/v1" && version !== "audit.k8s.io/v1beta1" && version !== "audit.k8s.io/v1alpha1") out.add(`apiVersion: ${quote(version)} is not audit.k8s.io/v1`);
  if ((version === "audit.k8s.io/v1beta1" || version === "audit.k8s.io/v1alpha1") && j.highest >= 24) {
    const mayRun = j.known ? `runs ${j.target}` : "may run one of them (give --kubernetes-version if it does not)";
    out.add(`apiVersion: kube-apiserver 1.24 and later refuse ${version} and the target ${mayRun} (use audit.k8s.io/v1)`);
  }
  list(policy, "rules").forEach((rule, i) => {
    const at = `rules[${formatInt(i)}]`;
    if (!isObj(rule)) out.add(`${at}: not a rule`);
    else ruleRefusals(at, rule, out);
  });
  return [...out].sort();
}

// ---- the check

/** [text, label, named] of one rule's gap for one resource, or the decider's shortfall. */
type Line = [string, string, boolean];

const label = (r: Request): string => (r.group === "" ? resourcePath(r) : `${resourcePath(r)}.${r.group}`);

function text(level: Json, why: string, scope: string, rule: number | null): string {
  const where = rule === null ? " (no rule matches every request)" : ` (rules[${formatInt(rule)}])`;
  return `${level as string}${why === SILENCED ? ` ${SILENCED}` : ""}${scope === "" ? "" : ` for ${scope}`}${where}${why === LEAKS ? ` ${LEAKS}` : ""}`;
}

/** _grouped: "secrets, configmaps: text", one entry per text, in first-seen order. */
function grouped(items: Line[]): string[] {
  const byText = new Map<string, string[]>();
  for (const [t, l] of items) {
    const labels = byText.get(t);
    if (labels) labels.push(l);
    else byText.set(t, [l]);
  }
  return [...byText].map(([t, labels]) => `${labels.join(", ")}: ${t}`);
}

function scope(rule: Obj, req: Request): string {
  const parts: [string, string[]][] = [
    ["users", strings(rule, "users")],
    ["userGroups", strings(rule, "userGroups")],
    ["namespaces", strings(rule, "namespaces")],
    ["verbs", strings(rule, "verbs")],
    ["names", names(rule, req)],
  ];
  return parts
    .filter(([, values]) => values.length > 0)
    .map(([l, values]) => `${l} ${values.join(", ")}`)
    .join(", ");
}

function judgePolicy(policy: Json, evidenceOf: (coverage: Obj[]) => Obj): Fired {
  const rules = list(policy, "rules") as Obj[];
  const tooMuch = (rule: Obj, req: Request): boolean => req.metadataOnly && logsContents(rule);
  const leaks = (rule: Obj, req: Request): boolean => writes(policy, rule) && tooMuch(rule, req);
  const adequate = (rule: Obj, req: Request): boolean => writes(policy, rule) && !tooMuch(rule, req);
  const why = (rule: Obj, req: Request): string => (leaks(rule, req) ? LEAKS : rule.level !== "None" && silent(policy, rule) ? SILENCED : "");
  const reaches = rules.map((rule) => REQUIREMENTS.map((req) => reach(rule, req)));
  const deciders = REQUIREMENTS.map((_, k) => {
    const i = reaches.findIndex((row) => row[k] === "all");
    return i < 0 ? rules.length : i;
  });
  const isGap = (i: number, k: number): boolean => i < deciders[k]! && reaches[i]![k] === "some" && !adequate(rules[i]!, REQUIREMENTS[k]!);
  const gap = (i: number, req: Request): Obj => {
    const rule = rules[i]!;
    const users = strings(rule, "users");
    const named = users.length > 0 && !users.includes("system:anonymous") && !leaks(rule, req);
    return { rule: i, level: rule.level!, scope: scope(rule, req), named, why: why(rule, req) };
  };
  const coverage: Obj[] = REQUIREMENTS.map((req, k) => {
    const gaps: Obj[] = [];
    for (let i = 0; i < deciders[k]!; i++) if (isGap(i, k)) gaps.push(gap(i, req));
    const first = deciders[k]!;
    const decided: Obj =
      first < rules.length
        ? { level: rules[first]!.level!, rule: first, ok: adequate(rules[first]!, req), why: why(rules[first]!, req), gaps }
        : { level: "None", rule: null, ok: false, why: "no rule matches every request", gaps };
    return { group: req.group, resource: req.resource, subresource: req.subresource, ...decided };
  });
  const shortfalls: Line[] = [];
  coverage.forEach((c, k) => {
    if (c.ok === false) shortfalls.push([text(c.level!, c.why as string, "", c.rule as number | null), label(REQUIREMENTS[k]!), false]);
  });
  const findings = grouped(shortfalls);
  const exemptions: string[] = [];
  for (let i = 0; i < rules.length; i++) {
    const items: Line[] = [];
    REQUIREMENTS.forEach((req, k) => {
      if (!isGap(i, k)) return;
      const g = gap(i, req);
      items.push([text(g.level!, g.why as string, g.scope as string, i), label(req), g.named as boolean]);
    });
    findings.push(...grouped(items.filter((x) => !x[2])));
    exemptions.push(...grouped(items.filter((x) => x[2])));
  }
  const evidence = evidenceOf(coverage);
  if (findings.length > 0) {
    const named = exemptions.length > 0 ? `; named exemptions: ${exemptions.join("; ")}` : "";
    return [["fail", `the audit policy does not record what CIS asks ${ASKS}: ${findings.join("; ")}${named}`, evidence]];
  }
  if (exemptions.length > 0) return [["warn", `the audit policy exempts named users from what CIS asks ${ASKS}: ${exemptions.join("; ")}; check each exemption is intended`, evidence]];
  return [["pass", "", evidence]];
}

export const policyCoversKeyResources: Check = (j) => {
  const f = j.effective("audit-policy-file");
  const policy = f.set ? j.content("audit-policy-file") : undefined;
  const file = j.fileEvidence("audit-policy-file");
  const without = { flag: f, file };
  const state = j.fileState("audit-policy-file");
  const out: Fired = [];
  if (truthy(policy)) {
    const refused = refusals(j, policy!);
    if (refused.length === 0) out.push(...judgePolicy(policy!, (coverage) => ({ flag: f, file, coverage })));
    else if (typeof f.value === "string") out.push(["error", `kube-apiserver refuses --audit-policy-file=${f.value} and does not start: ${refused.join("; ")}`, without]);
  }
  if (!f.set) out.push(["fail", "--audit-policy-file is not set: no audit events are recorded", without]);
  if (f.set && state === "not-given" && f.value !== undefined) out.push(["warn", j.notGivenReason("audit-policy-file", f.value, "what it records"), without]);
  if (f.set && state !== "read" && state !== "not-given") out.push(["error", j.failedReason("audit-policy-file"), without]);
  // A value kube-apiserver refuses: lib.verdict gives the reason (fail closed).
  if (f.error !== undefined && f.error !== false) out.push(["error", "", without]);
  return out;
};
