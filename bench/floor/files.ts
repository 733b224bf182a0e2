// The floor's checks of what flags point at: the authentication and authorization
// configuration files, the encryption configuration, and the manifest's own file metadata.
import { type Check, type Fired, type Flag, type Json, type Judge, type Obj, ConflictError, describeFlag, formatInt, givenText, has, hasError, isObj, marshal, truthy } from "./core.js";

const SECRETS_NAMES = new Set(["secrets", "*.", "*.*"]);
const STRONG_PROVIDERS = new Set(["aescbc", "secretbox", "kms"]);

const anonymousAuth: Check = (j) => {
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
  const authnText = givenText(authn);
  if (enabled === true && authnText !== undefined) {
    const conditions = isObj(anonymous) && Array.isArray(anonymous.conditions) ? anonymous.conditions : [];
    const paths = conditions.filter((c) => isObj(c) && has(c, "path")).map((c) => (c as Obj).path);
    const suffix = conditions.length > 0 ? ` for ${paths.join(", ")}` : "";
    out.push(["fail", `--authentication-config=${authnText} enables anonymous requests (anonymous.enabled: true${suffix})`, configEvidence]);
  }
  if (truthy(content) && structured && anon === undefined && authnText !== undefined) {
    out.push(["fail", `--authentication-config=${authnText} has no anonymous block and --anonymous-auth is not set: anonymous requests are accepted (default true)`, configEvidence]);
  }
  const state = j.fileState("authentication-config");
  if (structured && state === "not-given" && authnText !== undefined) {
    out.push(["warn", `--anonymous-auth is not set and --authentication-config=${authnText} may configure anonymous access, but the file was not given to kubecis: provide it or review its anonymous block`, configEvidence]);
  }
  if (structured && state !== "read" && state !== "not-given") out.push(["error", j.failedReason("authentication-config"), configEvidence]);
  return out;
};

// ---- lib.authorization

interface Authorization {
  config: Flag;
  judged: boolean;
  pending: boolean;
  failed: boolean;
  modes: Set<Json> | undefined;
  evidence: Obj;
  describe: string | undefined;
}

function authorization(j: Judge): Authorization {
  const cached = j.memo.get("authorization") as Authorization | undefined;
  if (cached) return cached;
  const mode = j.effective("authorization-mode");
  const config = j.effective("authorization-config");
  const fromConfig = !mode.set && config.set;
  const content = fromConfig ? j.content("authorization-config") : undefined;
  const configContent = truthy(content) ? (content as Obj) : undefined;
  const state = j.fileState("authorization-config");
  const authorizers = configContent && Array.isArray(configContent.authorizers) ? (configContent.authorizers as Obj[]) : [];
  const types = authorizers.filter((a) => has(a, "type")).map((a) => a.type!);
  let modes: Set<Json> | undefined;
  if (!fromConfig) modes = new Set(Array.isArray(mode.value) ? mode.value : []);
  else if (configContent) modes = new Set(types);
  let evidence: Obj = { flag: mode };
  if (fromConfig) evidence = { flag: config, authorizationMode: mode, file: j.fileEvidence("authorization-config") };
  if (configContent) {
    const filtered = authorizers.map((a) => {
      const o: Obj = {};
      if (has(a, "type")) o.type = a.type!;
      if (has(a, "name")) o.name = a.name!;
      return o;
    });
    evidence = { ...evidence, authorizers: filtered, satisfiedBy: "authorization-config" };
  }
  let describe: string | undefined;
  if (!fromConfig) describe = describeFlag(mode);
  else if (configContent && givenText(config) !== undefined) describe = `--authorization-config=${givenText(config)} (authorizers: ${types.join(",")})`;
  const a = {
    config,
    judged: !fromConfig || configContent !== undefined,
    pending: fromConfig && state === "not-given",
    failed: fromConfig && state !== "read" && state !== "not-given",
    modes,
    evidence,
    describe,
  };
  j.memo.set("authorization", a);
  return a;
}

const configReason = (a: Authorization, what: string): string =>
  `authorizers are configured by --authorization-config=${givenText(a.config)}, which was not given to kubecis: provide the file, or review that its authorizers ${what}`;

function authorizerIncluded(mode: string): Check {
  return (j) => {
    const a = authorization(j);
    const out: Fired = [];
    const included = a.modes?.has(mode) ?? false;
    if (included) out.push(["pass", "", a.evidence]);
    if (a.judged && !included && a.describe !== undefined) out.push(["fail", `${a.describe}: the ${mode} authorizer is not enabled`, a.evidence]);
    if (a.pending && givenText(a.config) !== undefined) out.push(["warn", configReason(a, `include a ${mode} authorizer`), a.evidence]);
    if (a.failed) out.push(["error", j.failedReason("authorization-config"), a.evidence]);
    return out;
  };
}

const notAlwaysAllow: Check = (j) => {
  const a = authorization(j);
  const out: Fired = [];
  const always = a.modes?.has("AlwaysAllow") ?? false;
  if (a.judged && !always) out.push(["pass", "", a.evidence]);
  if (always && a.describe !== undefined) out.push(["fail", `${a.describe}: AlwaysAllow authorizes every request`, a.evidence]);
  if (a.pending && givenText(a.config) !== undefined) out.push(["warn", configReason(a, "do not include AlwaysAllow"), a.evidence]);
  if (a.failed) out.push(["error", j.failedReason("authorization-config"), a.evidence]);
  return out;
};

// ---- encryption

/** --encryption-provider-config (the normalizer reads the old --experimental-… name as it). */
function encryptionFlag(j: Judge): Flag {
  return j.effective("encryption-provider-config");
}

const coversSecrets = (entry: Json): boolean => isObj(entry) && Array.isArray(entry.resources) && entry.resources.some((n) => typeof n === "string" && SECRETS_NAMES.has(n));

const encryptionConfigSet: Check = (j) => {
  const f = encryptionFlag(j);
  const evidence = { flag: f, file: j.fileEvidence(f.flag) };
  const content = j.content(f.flag);
  const covers = isObj(content) && Array.isArray(content.resources) && content.resources.some(coversSecrets);
  const uncovered = truthy(content) && !covers;
  const out: Fired = [];
  if (f.set && !uncovered) out.push(["pass", "", evidence]);
  if (!f.set) out.push(["fail", `${describeFlag(f)}: secrets are stored unencrypted in etcd`, evidence]);
  if (f.set && uncovered) out.push(["fail", `${describeFlag(f)}: no resources entry covers secrets`, evidence]);
  return out;
};

const encryptionProvidersStrong: Check = (j) => {
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
  if (f.set && state === "not-given" && f.value !== undefined) out.push(["warn", j.notGivenReason(f.flag, f.value, "which providers encrypt secrets"), without]);
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
  // A value kube-apiserver refuses: lib.verdict gives the reason (fail closed).
  if (hasError(f)) out.push(["error", "", without]);
  return out;
};

// ---- the manifest's file metadata

const manifestMode: Check = (j) => {
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
};

const manifestOwner: Check = (j) => {
  const m = j.doc.manifest;
  if (!truthy(m)) return [["warn", "the manifest's file metadata is not part of this input: check that stat -c %U:%G /etc/kubernetes/manifests/kube-apiserver.yaml on each control-plane node shows root:root", { manifest: "not collected" }]];
  const evidence = { manifest: m! };
  if (m!.uid === 0 && m!.gid === 0) return [["pass", "", evidence]];
  const name = (key: string, id: string) => (truthy(m![key]) ? (m![key] as string) : formatInt(m![id] as number));
  return [["fail", `${m!.path} is owned by ${name("owner", "uid")}:${name("group", "gid")}, not root:root`, evidence]];
};

export const FILE_CHECKS: [string, Check][] = [
  ["anonymous_auth_disabled", anonymousAuth],
  ["authorization_mode_not_always_allow", notAlwaysAllow],
  ["authorization_mode_includes_node", authorizerIncluded("Node")],
  ["authorization_mode_includes_rbac", authorizerIncluded("RBAC")],
  ["encryption_provider_config_set", encryptionConfigSet],
  ["encryption_providers_strong", encryptionProvidersStrong],
  ["manifest_file_mode_restricted", manifestMode],
  ["manifest_file_owned_by_root", manifestOwner],
];
