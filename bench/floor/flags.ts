// The floor's flag checks: one flag (or a pair) judged by its effective value; flags that a
// version removed or whose default changed are judged on every minor the target may run when
// the version is unknown and the flag is not set (lib.flags over_range, absent/unset statuses).
import { type Check, type Fired, type Json, type Judge, type Obj, describeFlag, equal, formatInt, hasError, isNum, rangeStatus, uniform } from "./core.js";

/** flags.absent_statuses: per possible minor, n/a where removed, else pass when the default is `good`. */
function absentStatuses(j: Judge, name: string, good: Json): string[] {
  const out: string[] = [];
  for (const m of j.possible()) {
    if (j.removedAt(name, m)) out.push("not-applicable");
    else {
      const d = j.defaultAt(name, m);
      if (d !== undefined) out.push(equal(d, good) ? "pass" : "fail");
    }
  }
  return out;
}

/** flags.unset_statuses: per possible minor, n/a where removed, else pass. */
const unsetStatuses = (j: Judge, name: string): string[] => j.possible().map((m) => (j.removedAt(name, m) ? "not-applicable" : "pass"));

/** The result of a flag check judged over the range (flags.range_status/range_reason); none when the reason is undefined. */
export function overRange(j: Judge, name: string, statuses: string[]): Fired {
  let reason: string | undefined;
  if (!uniform(statuses)) reason = `--${name} is not set and the version is unknown: ${j.splitReason(statuses)}`;
  else if (statuses[0] === "fail") reason = `--${name} is not set: its default fails on every version the target may run (${j.spanText()})`;
  else if (statuses[0] === "not-applicable") reason = `--${name} is removed on every version the target may run (${j.spanText()})`;
  else if (statuses[0] === "pass") reason = "";
  if (reason === undefined) return [];
  return [[rangeStatus(statuses), reason, { flag: j.effective(name), versions: j.versionsEvidence() }]];
}

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
export function setFlag(flag: string, failReason: string): Check {
  return (j) => {
    const f = j.effective(flag);
    return [f.set ? ["pass", "", { flag: f }] : ["fail", failReason, { flag: f }]];
  };
}

/** A flag without a default that must not be set, and that later versions removed. */
function removedFlagNotSet(flag: string, failText: string): Check {
  return (j) => {
    const f = j.effective(flag);
    const removed = j.removed(flag);
    const out: Fired = [];
    if (removed && !f.set) out.push(["not-applicable", j.removedReason(flag), { flag: f }]);
    if (j.contradicted(flag)) out.push(["fail", j.contradictionReason(flag), { flag: f }, true]);
    if (!f.set && !removed && !j.overRange(flag)) out.push(["pass", "", { flag: f }]);
    if (j.overRange(flag)) out.push(...overRange(j, flag, unsetStatuses(j, flag)));
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

export const FLAG_CHECKS: [string, Check][] = [
  ["profiling_disabled", boolFlag("profiling", false, "/debug/pprof is served")],
  ["service_account_token_expiration_not_extended", boolFlag("service-account-extend-token-expiration", false, "injected service-account tokens stay valid for up to a year")],
  ["basic_auth_file_not_set", removedFlagNotSet("basic-auth-file", "passwords are read from a plain-text file")],
  ["insecure_allow_any_token_not_set", removedFlagNotSet("insecure-allow-any-token", "any bearer token is accepted")],
  ["insecure_bind_address_not_set", removedFlagNotSet("insecure-bind-address", "the unauthenticated HTTP port is bound to an address")],
  [
    "token_auth_file_not_set",
    (j) => {
      const f = j.effective("token-auth-file");
      return [f.set ? ["fail", `${describeFlag(f)}: static bearer tokens are read from a plain-text file`, { flag: f }] : ["pass", "", { flag: f }]];
    },
  ],
  [
    "kubelet_https_enabled",
    (j) => {
      const name = "kubelet-https";
      const f = j.effective(name);
      const removed = j.removed(name);
      const ranged = j.overRange(name);
      const out: Fired = [];
      if (removed && !f.set) out.push(["not-applicable", j.removedReason(name), { flag: f }]);
      if (j.contradicted(name)) out.push(["fail", j.contradictionReason(name), { flag: f }, true]);
      if (f.value === true && !removed && !ranged) out.push(["pass", "", { flag: f }]);
      if (ranged) out.push(...overRange(j, name, absentStatuses(j, name, true)));
      if (f.value === false && !removed && !ranged) out.push(["fail", `${describeFlag(f)}: kubelets are reached over plain HTTP`, { flag: f }]);
      if (!removed && hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  ["kubelet_client_certificate_set", pairSet(["kubelet-client-certificate", "kubelet-client-key"], "the API server calls kubelets without a client certificate")],
  ["kubelet_certificate_authority_set", setFlag("kubelet-certificate-authority", "--kubelet-certificate-authority is not set: kubelet serving certificates are not verified")],
  [
    "insecure_port_disabled",
    (j) => {
      const name = "insecure-port";
      const f = j.effective(name);
      const direct = j.judgedDirectly(name);
      const out: Fired = [];
      if (j.removed(name) && !f.set) out.push(["not-applicable", j.removedReason(name), { flag: f }]);
      if (j.contradicted(name)) out.push(["fail", j.contradictionReason(name), { flag: f }, true]);
      if (direct && f.value === 0) out.push(["pass", "", { flag: f }]);
      if (direct && f.value !== undefined && f.value !== 0) out.push(["fail", `${describeFlag(f)}: the API server serves unauthenticated HTTP requests`, { flag: f }]);
      if (j.overRange(name)) out.push(...overRange(j, name, absentStatuses(j, name, 0)));
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
      const name = "repair-malformed-updates";
      const f = j.effective(name);
      const direct = j.judgedDirectly(name);
      const out: Fired = [];
      if (j.removed(name) && !f.set) out.push(["not-applicable", j.removedReason(name), { flag: f }]);
      if (j.contradicted(name)) out.push(["fail", j.contradictionReason(name), { flag: f }, true]);
      if (direct && f.value === false) out.push(["pass", "", { flag: f }]);
      if (direct && f.value !== false && !hasError(f)) out.push(["fail", `${describeFlag(f)}: malformed updates may be repaired instead of rejected`, { flag: f }]);
      if (j.overRange(name)) out.push(...overRange(j, name, absentStatuses(j, name, false)));
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
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
  [
    "service_account_lookup_enabled",
    (j) => {
      const name = "service-account-lookup";
      const f = j.effective(name);
      const ranged = j.overRange(name);
      const out: Fired = [];
      if (!ranged && f.value === true) out.push(["pass", "", { flag: f }]);
      if (!ranged && f.value === false) out.push(["fail", `${describeFlag(f)}: tokens of deleted service accounts stay valid`, { flag: f }]);
      if (ranged) out.push(...overRange(j, name, absentStatuses(j, name, true)));
      if (hasError(f)) out.push(["error", describeFlag(f), { flag: f }]);
      return out;
    },
  ],
  ["service_account_key_file_set", setFlag("service-account-key-file", "--service-account-key-file is not set: service-account tokens are verified with the TLS serving key")],
  ["etcd_client_certificate_set", pairSet(["etcd-certfile", "etcd-keyfile"], "etcd is reached without a client certificate")],
  ["tls_serving_certificate_set", pairSet(["tls-cert-file", "tls-private-key-file"], "the API server serves a self-signed certificate")],
  ["client_ca_file_set", setFlag("client-ca-file", "--client-ca-file is not set: client certificates are not verified")],
  ["etcd_cafile_set", setFlag("etcd-cafile", "--etcd-cafile is not set: etcd's serving certificate is not verified")],
  [
    "tls_cipher_suites_strong",
    (j) => {
      const f = j.effective("tls-cipher-suites");
      const min = j.effective("tls-min-version");
      const allowed = cipherAllowlist(j);
      if (!allowed) return [];
      const allowlist = { name: allowed.name, parameter: j.used("tls-cipher-allowlist") };
      // Only TLS 1.3 is served: Go fixes its suites, and the list applies to TLS 1.2 and below.
      if (min.value === "VersionTLS13") {
        const why = `${describeFlag(min)}: only TLS 1.3 is served, whose suites Go fixes (all AEAD); --tls-cipher-suites applies to TLS 1.2 and below`;
        return [["pass", why, { flag: min, cipherSuites: f, allowlist }]];
      }
      const suites = new Set(Array.isArray(allowed.suites) ? allowed.suites : []);
      const listed = Array.isArray(f.value) ? f.value : [];
      const outside = listed.filter((s) => !suites.has(s));
      const evidence = { flag: f, minVersion: min, allowlist };
      // An empty --tls-cipher-suites= is an empty list, which Go's TLS stack reads as its defaults.
      const goDefaults = !f.set || (Array.isArray(f.value) && f.value.length === 0);
      if (goDefaults) return [["fail", `${describeFlag(f)}: Go's default suites include ones outside the ${allowed.name} allow-list`, evidence]];
      if (outside.length === 0) return [["pass", "", evidence]];
      return [["fail", `--tls-cipher-suites lists suites outside the ${allowed.name} allow-list: ${outside.join(", ")}`, evidence]];
    },
  ],
];

/** params.cipher_allowlist */
function cipherAllowlist(j: Judge): { name: string; suites: Json } | undefined {
  const value = j.param("tls-cipher-allowlist");
  const lists = j.facts.data.params["tls-cipher-suites"] as Obj;
  const pick = (name: string) => (Object.prototype.hasOwnProperty.call(lists, name) ? { name, suites: lists[name]! } : undefined);
  if (value === "benchmark") return pick(j.benchmark());
  if (value === "strict") return pick("strict");
  if (Array.isArray(value)) return { name: "custom", suites: value };
  return undefined;
}

/** lib.durations: a Go duration ("0", or numbers each followed by a unit), in seconds. */
const DURATION_VALID = /^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*)$/;
const DURATION_PART = /([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/g;
const DURATION_UNITS: { [unit: string]: number } = { ns: 1, us: 1000, "µs": 1000, "μs": 1000, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };

function goSeconds(text: string): number | undefined {
  if (!DURATION_VALID.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(DURATION_PART)) total += Number(`0${m[1]}`) * DURATION_UNITS[m[2]!]!;
  return ((text.startsWith("-") ? -1 : 1) * total) / 1e9;
}
