// Documents that reach the floor's paths which bench/corpus.mjs (generated manifests, the
// fixtures, file and option variants) does not: every version case (known, unknown with and
// without a range of minors) crossed with flag cases (removed flags set or not, empty values,
// values kube-apiserver refuses, a TLS 1.3-only server, admission lists, the legacy --admission-control, the
// EventRateLimit configuration read, partial, missing or not given), flags written under an
// alias, refused flag pairs, incomplete-flags diagnostics and audit Policies.
// bench/floor-check.mjs judges them with both kubecis and the floor. Entries are {name, doc,
// options}.

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
  ["tls-1.3-only", (d) => setFlags(d, { "tls-min-version": given("VersionTLS13"), "tls-cipher-suites": undefined })],
  ["tls-1.3-only-weak-list", (d) => setFlags(d, { "tls-min-version": given("VersionTLS13"), "tls-cipher-suites": given(["TLS_RSA_WITH_AES_128_CBC_SHA"]) })],
  ["tls-1.3-refused", (d) => setFlags(d, { "tls-min-version": refused("", "flag needs an argument") })],
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

// Flags written under an alias (flags/data.yaml `alias:`): the normalizer files them under the
// canonical name with `writtenAs` (the name the deciding occurrence used) and `spellings`
// (every name written, with its place).
const at = (argIndex) => ({ ...origin, argIndex });
const alias = (written, entry, names = [written]) => ({
  ...entry,
  ...(written ? { writtenAs: written } : {}),
  spellings: Object.fromEntries(names.map((n, i) => [n, at(90 + i)])),
});
const incomplete = (message, line) => ({ code: "incomplete-flags", message, origin: { file: origin.file, ...(line ? { line } : {}) } });
const pairRefused = (raw, other) => refused(raw, `kube-apiserver refuses it together with --${other} (mutually exclusive)`);

const ALIAS_CASES = [
  [
    "aliases",
    (d) =>
      setFlags(d, {
        "insecure-port": alias("port", given(8080)),
        "insecure-bind-address": alias("address", given("127.0.0.1")),
        "encryption-provider-config": alias("experimental-encryption-provider-config", given("/etc/kubernetes/enc.yaml")),
        "api-audiences": alias("service-account-api-audiences", given(["api"])),
      }),
  ],
  [
    "aliases-both-spellings",
    (d) =>
      setFlags(d, {
        "insecure-port": alias(undefined, given(0), ["port", "insecure-port"]),
        "encryption-provider-config": alias(undefined, given("/etc/kubernetes/enc.yaml"), ["experimental-encryption-provider-config", "encryption-provider-config"]),
      }),
  ],
  ["alias-empty", (d) => setFlags(d, { "encryption-provider-config": alias("experimental-encryption-provider-config", given("")) })],
  ["alias-refused", (d) => setFlags(d, { "insecure-port": alias("port", refused("http", "invalid port")), "insecure-bind-address": alias("address", refused("", "flag needs an argument")) })],
  [
    "refused-pairs",
    (d) =>
      setFlags(d, {
        "admission-control": pairRefused("AlwaysAdmit", "enable-admission-plugins"),
        "enable-admission-plugins": pairRefused("NodeRestriction", "admission-control"),
        "authorization-config": pairRefused("/etc/kubernetes/authz.yaml", "authorization-mode"),
        "authorization-mode": pairRefused("Node,RBAC", "authorization-config"),
      }),
  ],
  ["incomplete-flags", (d) => ({ ...d, diagnostics: [...(d.diagnostics ?? []), incomplete("argument 40 is $EXTRA_ARGS, which kubecis could not expand: it may hold any flags", 12)] })],
  [
    "incomplete-flags-twice",
    (d) => ({ ...setFlags(d, { "insecure-port": alias("port", given(8080)) }), diagnostics: [incomplete("the line looks cut short; flags after the cut are missing", 3), incomplete("the dump is exactly 4096 bytes; flags after the cut are missing")] }),
  ],
];

// Audit Policies (KAS-0044, lib.audit.policy): first-match rules, exemptions, stages, contents,
// resource names, non-resource URLs, and Policies kube-apiserver refuses to load.
const POLICY_FILE = "/etc/kubernetes/audit-policy.yaml";
const auditPolicy = (rules, extra = {}) => (d) =>
  setFlags(d, { "audit-policy-file": given(POLICY_FILE) }, { "audit-policy-file": { path: POLICY_FILE, status: "read", content: { apiVersion: "audit.k8s.io/v1", kind: "Policy", ...extra, rules } } });
const core = (...resources) => ({ group: "", resources });
const SENSITIVE = { level: "Metadata", resources: [core("secrets", "configmaps"), { group: "authentication.k8s.io", resources: ["tokenreviews"] }] };
const WORKLOADS = { level: "Request", resources: [core("pods/*", "services/proxy"), { group: "apps", resources: ["deployments"] }] };
const CATCH_ALL = { level: "Metadata" };

const AUDIT_CASES = [
  ["audit-cis", auditPolicy([{ level: "None", nonResourceURLs: ["/healthz*", "/version"] }, SENSITIVE, WORKLOADS, CATCH_ALL])],
  ["audit-exempt-named-users", auditPolicy([{ level: "None", users: ["system:kube-proxy"], verbs: ["watch"], resources: [core("pods", "secrets")] }, SENSITIVE, WORKLOADS, CATCH_ALL])],
  ["audit-exempt-group", auditPolicy([{ level: "None", userGroups: ["system:authenticated"], resources: [core("secrets")] }, SENSITIVE, CATCH_ALL])],
  ["audit-exempt-anonymous", auditPolicy([{ level: "None", users: ["system:anonymous", "bob"], resources: [core("configmaps")] }, SENSITIVE, CATCH_ALL])],
  ["audit-contents", auditPolicy([{ level: "Request", verbs: ["get", "list"], resources: [core("secrets")] }, { level: "RequestResponse", users: ["alice"], resources: [core("configmaps")] }, { level: "RequestResponse" }])],
  ["audit-silent", auditPolicy([{ level: "Metadata", omitStages: ["ResponseComplete"], resources: [core("*/exec", "pods/portforward")] }, { ...SENSITIVE, omitStages: ["ResponseStarted"] }, CATCH_ALL], { omitStages: ["RequestReceived"] })],
  [
    "audit-names-namespaces",
    auditPolicy([
      { level: "Metadata", resources: [{ group: "", resources: ["secrets"], resourceNames: ["db-password"] }] },
      { level: "Metadata", namespaces: [""], resources: [{ group: "authentication.k8s.io", resources: ["tokenreviews"] }] },
      { level: "None", namespaces: ["kube-system"], resources: [core("pods")] },
      { level: "Request", resources: [core("pods", "pods/exec", "configmaps")] },
      { level: "None" },
    ]),
  ],
  ["audit-v1beta1", (d) => auditPolicy([SENSITIVE, WORKLOADS, CATCH_ALL], { apiVersion: "audit.k8s.io/v1beta1" })(d)],
  [
    "audit-refused",
    auditPolicy(
      [
        { omitStages: ["Never"], users: "alice" },
        { level: "Verbose", nonResourceURLs: ["healthz", "/a*b", "*"], resources: [core("pods")] },
        { level: "None", resources: [{ group: "Apps_", resourceNames: ["x"] }, { group: 1, resources: [2] }], omitManagedFields: "yes" },
        "not a rule",
        { level: "", resources: "pods" },
      ],
      { apiVersion: "audit.k8s.io/v2", omitStages: "RequestReceived", omitManagedFields: 1 },
    ),
  ],
  ["audit-no-rules", auditPolicy([])],
  ["audit-rules-not-a-list", auditPolicy("all")],
];

const OPTION_CASES = [{}, { profile: "cis-1.23" }, { params: { "required-admission-plugins": ["EventRateLimit"] } }];

/** The edge cases, built on `bases` (normalized ApiServerConfig documents). */
export function edges(bases) {
  const entries = [];
  let k = 0;
  for (const [b, base] of bases.entries()) {
    for (const [version, kubernetesVersion] of VERSIONS) {
      for (const [name, mutate] of [...FLAG_CASES, ...ALIAS_CASES, ...AUDIT_CASES]) {
        const doc = mutate({ ...base, kubernetesVersion });
        const options = OPTION_CASES[k++ % OPTION_CASES.length];
        entries.push({ name: `edge/${name}/${version}/base${b}`, doc, options });
      }
    }
  }
  return entries;
}
