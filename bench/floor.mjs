// The floor: the API-server checks hand-written in plain JavaScript (no Rego, no WASM), over
// the same ApiServerConfig document the policies judge. It returns the same {id, status,
// reason, evidence} records as main/report, so the harness can require identical verdicts
// before it compares speed. It is a benchmark baseline, not a second implementation to ship:
// the Rego under policies/ is the source of truth, and the harness refuses floor ratios when
// the catalogue has a control this file does not implement.

/** Effective flag, as lib.flags.effective: set → its parsed value; unset → the version's default. */
function effective(doc, table, name) {
  const given = doc.flags[name];
  if (given) {
    const f = { flag: name, set: true, origin: given.origin };
    if ("value" in given) f.value = given.value;
    if ("error" in given) f.error = given.error;
    if ("raw" in given) f.raw = given.raw;
    return f;
  }
  const spec = table[name] ?? {};
  const minor = doc.kubernetesVersion?.minor;
  const known = typeof minor === "number";
  let value = spec.default ?? null;
  if (known && Array.isArray(spec.defaults)) {
    for (const d of spec.defaults) if (minor >= Number(d.from.split(".")[1])) value = d.value;
  }
  const hasDefault = (spec.default !== undefined && spec.default !== null) || (spec.defaults?.length ?? 0) > 0;
  return hasDefault ? { flag: name, set: false, value, default: true } : { flag: name, set: false };
}

function render(value) {
  return typeof value === "string" ? value : Array.isArray(value) ? value.join(",") : JSON.stringify(value);
}

function describe(f) {
  if (f.set && f.error) return `--${f.flag}=${f.raw} (invalid: ${f.error})`;
  if (!("value" in f)) return `--${f.flag} is not set`;
  return `--${f.flag}=${render(f.value)}${f.set ? "" : " (default)"}`;
}

const result = (id, status, reason, evidence) => ({ id, status, reason, evidence });

function anonymousAuthDisabled(doc, table) {
  const flag = effective(doc, table, "anonymous-auth");
  const authn = effective(doc, table, "authentication-config");
  if (flag.error) return result("KAS-0001", "error", describe(flag), { flag });
  if (!flag.set && authn.set) {
    return result("KAS-0001", "warn", `--anonymous-auth is not set and --authentication-config=${authn.value} may configure anonymous access: review its anonymous block`, { flag, authenticationConfig: authn });
  }
  if (flag.value === false) return result("KAS-0001", "pass", "", { flag });
  return result("KAS-0001", "fail", `${describe(flag)}: anonymous requests are accepted`, { flag });
}

function profilingDisabled(doc, table) {
  const flag = effective(doc, table, "profiling");
  if (flag.error) return result("KAS-0005", "error", describe(flag), { flag });
  if (flag.value === false) return result("KAS-0005", "pass", "", { flag });
  return result("KAS-0005", "fail", `${describe(flag)}: /debug/pprof is served`, { flag });
}

function authorization(doc, table) {
  const modeFlag = effective(doc, table, "authorization-mode");
  const configFlag = effective(doc, table, "authorization-config");
  const fromConfig = !modeFlag.set && configFlag.set;
  const evidence = fromConfig ? { flag: modeFlag, authorizationConfig: configFlag } : { flag: modeFlag };
  const modes = new Set(fromConfig ? [] : modeFlag.value ?? []);
  const review = (what) => `authorizers are configured by --authorization-config=${configFlag.value}: review that its authorizers ${what}`;
  const includes = (id, mode) => {
    if (fromConfig) return result(id, "warn", review(`include a ${mode} authorizer`), evidence);
    if (modes.has(mode)) return result(id, "pass", "", evidence);
    return result(id, "fail", `${describe(modeFlag)}: the ${mode} authorizer is not enabled`, evidence);
  };
  return [
    fromConfig
      ? result("KAS-0002", "warn", review("do not include AlwaysAllow"), evidence)
      : modes.has("AlwaysAllow")
        ? result("KAS-0002", "fail", `${describe(modeFlag)}: AlwaysAllow authorizes every request`, evidence)
        : result("KAS-0002", "pass", "", evidence),
    includes("KAS-0003", "Node"),
    includes("KAS-0004", "RBAC"),
  ];
}

/** Control ids this floor implements. */
export const FLOOR_CONTROLS = ["KAS-0001", "KAS-0002", "KAS-0003", "KAS-0004", "KAS-0005"];

/** The profile, as main.profile: the CIS benchmark mapped from the target's minor. */
function profileOf(doc, data) {
  const requested = data.kubecis.options?.profile;
  if (requested) return { name: requested, reason: "requested with --profile" };
  const minor = doc.kubernetesVersion?.minor;
  if (typeof minor === "number") {
    for (const entry of data.kubecis.profiles.cis) {
      if (minor >= entry.from && minor <= entry.to) return { name: entry.profile, reason: `Kubernetes 1.${minor} maps to ${entry.profile}` };
    }
  }
  const target = typeof minor === "number" ? `1.${minor}` : "an unknown version";
  return { name: data.kubecis.profiles.fallback, reason: `Kubernetes ${target} has no CIS mapping; using the newest benchmark, ${data.kubecis.profiles.fallback}` };
}

/** Judges one ApiServerConfig document; `data` is the bundle's data.json. Results sorted by id. */
export function judge(doc, data) {
  const table = data.kubecis.flags;
  const results = [anonymousAuthDisabled(doc, table), ...authorization(doc, table), profilingDisabled(doc, table)];
  return {
    kind: doc.kind,
    profile: profileOf(doc, data),
    kubernetesVersion: doc.kubernetesVersion ?? { version: null, source: "unknown" },
    results,
  };
}
