// Documents that reach the floor's paths which bench/corpus.mjs (generated manifests, the
// fixtures, file and option variants) does not: every version case (known, unknown with and
// without a range of minors) crossed with flag cases (removed flags set or not, empty values,
// values kube-apiserver refuses, admission lists, the legacy --admission-control, the
// EventRateLimit configuration read, partial, missing or not given). bench/floor-check.mjs
// judges them with both kubecis and the floor. Entries are {name, doc, options}.

const origin = { file: "/etc/kubernetes/manifests/kube-apiserver.yaml", line: 99, argIndex: 99 };
const given = (value) => ({ value, origin, occurrences: 1 });
const refused = (raw, error) => ({ raw, error, origin, occurrences: 1 });

const known = (minor) => ({ version: `1.${minor}.0`, major: 1, minor, source: "edge case" });
const unknown = (range) => ({ version: null, source: "unknown (edge case)", ...(range ? { range: { ...range, reasons: ["edge case"] } } : {}) });
const VERSIONS = [
  ["1.9", known(9)],
  ["1.18", known(18)],
  ["1.23", known(23)],
  ["1.30", known(30)],
  ["unknown", unknown()],
  ["below-1.8", unknown({ below: 8 })],
  ["below-1.19", unknown({ below: 19 })],
  ["1.20-1.23", unknown({ from: 20, below: 24 })],
  ["from-1.19", unknown({ from: 19 })],
  ["from-1.25", unknown({ from: 25 })],
  ["1.29-1.30", unknown({ from: 29, below: 31 })],
];

/** Flags set, replaced or removed ({name: undefined} deletes), and referenced files. */
const setFlags = (doc, changes, files) => {
  const flags = { ...doc.flags };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete flags[name];
    else flags[name] = value;
  }
  return { ...doc, flags, ...(files ? { files: { ...(doc.files ?? {}), ...files } } : {}) };
};

const UNSET = Object.fromEntries(
  ["basic-auth-file", "insecure-allow-any-token", "insecure-bind-address", "insecure-port", "kubelet-https", "repair-malformed-updates", "service-account-lookup", "feature-gates", "enable-admission-plugins", "disable-admission-plugins", "admission-control"].map((n) => [n, undefined]),
);
const ADMISSION_FILE = "/etc/kubernetes/admission.yaml";
const admissionConfig = () => ({ "enable-admission-plugins": given(["NodeRestriction", "EventRateLimit"]), "admission-control-config-file": given(ADMISSION_FILE) });
const readAdmission = (plugins) => ({ "admission-control-config-file": { path: ADMISSION_FILE, status: "read", content: { kind: "AdmissionConfiguration", plugins } } });

const FLAG_CASES = [
  ["as-generated", (d) => d],
  ["unset", (d) => setFlags(d, UNSET)],
  [
    "removed-flags-set",
    (d) =>
      setFlags(d, {
        "insecure-port": given(8080),
        "basic-auth-file": given("/etc/pw.csv"),
        "insecure-bind-address": given("0.0.0.0"),
        "insecure-allow-any-token": given("x"),
        "kubelet-https": given(false),
        "repair-malformed-updates": given(false),
        "feature-gates": given({ AdvancedAuditing: false }),
      }),
  ],
  ["insecure-port-0", (d) => setFlags(d, { ...UNSET, "insecure-port": given(0), "kubelet-https": given(true), "repair-malformed-updates": given(true) })],
  ["admission-lists", (d) => setFlags(d, { ...UNSET, "enable-admission-plugins": given(["PodSecurityPolicy", "DenyServiceExternalIPs", "AlwaysPullImages"]), "disable-admission-plugins": given(["ServiceAccount", "NamespaceLifecycle"]) })],
  ["admission-psp", (d) => setFlags(d, { ...UNSET, "enable-admission-plugins": given(["PodSecurityPolicy"]) })],
  ["admission-legacy", (d) => setFlags(d, { ...UNSET, "admission-control": given(["NamespaceLifecycle", "SecurityContextDeny", "AlwaysAdmit"]) })],
  ["empty-values", (d) => setFlags(d, { "audit-log-path": given(""), "basic-auth-file": given(""), "encryption-provider-config": given(""), "audit-policy-file": given(""), "tls-cipher-suites": given([]), "token-auth-file": given("") })],
  [
    "refused-values",
    (d) =>
      setFlags(d, {
        "authorization-mode": refused("Node,", "empty item in a list"),
        "enable-admission-plugins": refused("", "flag needs an argument"),
        profiling: refused("", "flag needs an argument"),
        "feature-gates": refused("AdvancedAuditing=maybe", "invalid boolean"),
        "request-timeout": refused("$TIMEOUT", "unexpanded variable"),
        "insecure-port": refused("http", "invalid port"),
        "audit-policy-file": refused("", "flag needs an argument"),
      }),
  ],
  ["refused-authentication-config", (d) => setFlags(d, { "anonymous-auth": undefined, "authentication-config": refused("", "flag needs an argument") })],
  ["refused-authorization-config", (d) => setFlags(d, { "authorization-mode": undefined, "authorization-config": refused("", "flag needs an argument") })],
  [
    "refused-authorization-config-read",
    (d) => setFlags(d, { "authorization-mode": undefined, "authorization-config": refused("$AUTHZ", "unexpanded variable") }, { "authorization-config": { path: "/etc/kubernetes/authz.yaml", status: "read", content: { authorizers: [{ type: "Node" }, { type: "RBAC" }] } } }),
  ],
  ["refused-encryption", (d) => setFlags(d, { "encryption-provider-config": refused("", "flag needs an argument") })],
  ["refused-legacy-encryption", (d) => setFlags(d, { "encryption-provider-config": undefined, "experimental-encryption-provider-config": refused("", "flag needs an argument") })],
  ["event-rate-limit-complete", (d) => setFlags(d, admissionConfig(), readAdmission([{ name: "EventRateLimit", configuration: { kind: "Configuration", limits: [{ type: "Server", qps: 50 }, { type: "Namespace", qps: 10 }, { type: "User" }] } }]))],
  ["event-rate-limit-partial", (d) => setFlags(d, admissionConfig(), readAdmission([{ name: "PodSecurity", configuration: {} }, { name: "EventRateLimit", configuration: { limits: [{ type: "Server" }] } }]))],
  ["event-rate-limit-no-entry", (d) => setFlags(d, admissionConfig(), readAdmission([{ name: "PodSecurity", configuration: {} }]))],
  ["event-rate-limit-path-not-given", (d) => setFlags(d, admissionConfig(), readAdmission([{ name: "EventRateLimit", path: "/etc/kubernetes/eventconfig.yaml" }]))],
  ["event-rate-limit-invalid", (d) => setFlags(d, admissionConfig(), { "admission-control-config-file": { path: ADMISSION_FILE, status: "invalid", error: "line 2: did not find expected key" } })],
  ["event-rate-limit-not-given", (d) => setFlags(d, admissionConfig())],
  ["event-rate-limit-no-file-flag", (d) => setFlags(d, { "enable-admission-plugins": given(["EventRateLimit"]), "admission-control-config-file": undefined })],
  ["refused-admission-file", (d) => setFlags(d, { "enable-admission-plugins": given(["EventRateLimit"]), "admission-control-config-file": refused("", "flag needs an argument") })],
];

const OPTION_CASES = [{}, { profile: "cis-1.23" }, { params: { "required-admission-plugins": ["EventRateLimit"] } }];

/** The edge cases, built on `bases` (normalized ApiServerConfig documents). */
export function edges(bases) {
  const entries = [];
  let k = 0;
  for (const [b, base] of bases.entries()) {
    for (const [version, kubernetesVersion] of VERSIONS) {
      for (const [name, mutate] of FLAG_CASES) {
        const doc = mutate({ ...base, kubernetesVersion });
        const options = OPTION_CASES[k++ % OPTION_CASES.length];
        entries.push({ name: `edge/${name}/${version}/base${b}`, doc, options });
      }
    }
  }
  return entries;
}
