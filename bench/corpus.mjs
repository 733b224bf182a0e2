// The API-server corpus that bench/report-diff.mjs and bench/floor-check.mjs judge: N seeded
// generated manifests (bench/generate.mjs) normalized by kubecis, every fixture under
// test/fixtures/apiserver/, and variants of generated documents that reach the paths the
// generator and the fixtures cannot: referenced files (read, missing, invalid; with content
// that passes, fails or warns), the manifest's file metadata, a requested profile and
// parameter overrides. Each entry is {name, doc, options}, options being what
// data.kubecis.options holds ({} when nothing is requested).
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateManifest, rng } from "./generate.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const origin = { file: "/etc/kubernetes/manifests/kube-apiserver.yaml", line: 99, argIndex: 99 };
const setFlag = (doc, name, value) => ({ ...doc, flags: { ...doc.flags, [name]: { value, origin, occurrences: 1 } } });
const withFile = (doc, flag, file) => ({ ...doc, files: { ...(doc.files ?? {}), [flag]: file } });
const read = (path, content) => ({ path, status: "read", content });

const FILE_CASES = [
  // authentication-config (anonymous block), with --anonymous-auth unset
  (d) => withFile(setFlag(d, "authentication-config", "/etc/kubernetes/authn.yaml"), "authentication-config", read("/etc/kubernetes/authn.yaml", { anonymous: { enabled: false } })),
  (d) => withFile(setFlag(d, "authentication-config", "/etc/kubernetes/authn.yaml"), "authentication-config", read("/etc/kubernetes/authn.yaml", { anonymous: { enabled: true, conditions: [{ path: "/healthz" }, { path: "/readyz" }] } })),
  (d) => withFile(setFlag(d, "authentication-config", "/etc/kubernetes/authn.yaml"), "authentication-config", read("/etc/kubernetes/authn.yaml", { anonymous: { enabled: true } })),
  (d) => withFile(setFlag(d, "authentication-config", "/etc/kubernetes/authn.yaml"), "authentication-config", read("/etc/kubernetes/authn.yaml", { jwt: [] })),
  (d) => withFile(setFlag(d, "authentication-config", "/etc/kubernetes/authn.yaml"), "authentication-config", { path: "/etc/kubernetes/authn.yaml", status: "missing", error: "no such file" }),
  // authorization-config, with --authorization-mode unset
  (d) => withFile(setFlag(d, "authorization-config", "/etc/kubernetes/authz.yaml"), "authorization-config", read("/etc/kubernetes/authz.yaml", { authorizers: [{ type: "Node", name: "node" }, { type: "RBAC", name: "rbac" }] })),
  (d) => withFile(setFlag(d, "authorization-config", "/etc/kubernetes/authz.yaml"), "authorization-config", read("/etc/kubernetes/authz.yaml", { authorizers: [{ type: "AlwaysAllow", name: "all" }] })),
  (d) => withFile(setFlag(d, "authorization-config", "/etc/kubernetes/authz.yaml"), "authorization-config", { path: "/etc/kubernetes/authz.yaml", status: "invalid", error: "line 3: mapping values are not allowed" }),
  // audit-policy-file
  (d) => withFile(setFlag(d, "audit-policy-file", "/etc/kubernetes/audit.yaml"), "audit-policy-file", read("/etc/kubernetes/audit.yaml", { rules: [{ level: "Metadata", resources: [{ group: "", resources: ["secrets", "configmaps"] }] }, { level: "None", users: ["system:kube-proxy"] }, { level: "Request", resources: [{ group: "", resources: ["pods", "pods/*", "services/proxy"] }, { group: "apps", resources: ["*"] }] }, { level: "Metadata" }] })),
  (d) => withFile(setFlag(d, "audit-policy-file", "/etc/kubernetes/audit.yaml"), "audit-policy-file", read("/etc/kubernetes/audit.yaml", { rules: [{ level: "RequestResponse", resources: [{ group: "", resources: ["*/exec"] }] }, { level: "None" }] })),
  (d) => withFile(setFlag(d, "audit-policy-file", "/etc/kubernetes/audit.yaml"), "audit-policy-file", { path: "/etc/kubernetes/audit.yaml", status: "unreadable", error: "permission denied" }),
  // encryption-provider-config
  (d) => withFile(setFlag(d, "encryption-provider-config", "/etc/kubernetes/enc.yaml"), "encryption-provider-config", read("/etc/kubernetes/enc.yaml", { resources: [{ resources: ["secrets"], providers: [{ aescbc: { keys: [{ name: "k", secret: "REDACTED" }] } }, { identity: {} }] }] })),
  (d) => withFile(setFlag(d, "encryption-provider-config", "/etc/kubernetes/enc.yaml"), "encryption-provider-config", read("/etc/kubernetes/enc.yaml", { resources: [{ resources: ["configmaps", "secrets"], providers: [{ identity: {} }] }, { resources: ["events"], providers: [{ identity: {} }] }] })),
  (d) => withFile(setFlag(d, "encryption-provider-config", "/etc/kubernetes/enc.yaml"), "encryption-provider-config", read("/etc/kubernetes/enc.yaml", { resources: [{ resources: ["*.*"], providers: [{ kms: { name: "vault", endpoint: "unix:///k.sock" } }] }] })),
  (d) => withFile(setFlag(d, "encryption-provider-config", "/etc/kubernetes/enc.yaml"), "encryption-provider-config", read("/etc/kubernetes/enc.yaml", { resources: [{ resources: ["secrets"], providers: [{ kms: { apiVersion: "v2", name: "vault" } }] }] })),
  (d) => withFile(setFlag(d, "encryption-provider-config", "/etc/kubernetes/enc.yaml"), "encryption-provider-config", read("/etc/kubernetes/enc.yaml", { resources: [{ resources: ["configmaps"], providers: [{ aesgcm: {} }] }] })),
  (d) => withFile(setFlag(d, "encryption-provider-config", "/etc/kubernetes/enc.yaml"), "encryption-provider-config", { path: "/etc/kubernetes/enc.yaml", status: "missing", error: "no such file" }),
  // the manifest's file metadata
  (d) => ({ ...d, manifest: { path: "/etc/kubernetes/manifests/kube-apiserver.yaml", mode: "0600", uid: 0, gid: 0, owner: "root", group: "root" } }),
  (d) => ({ ...d, manifest: { path: "/etc/kubernetes/manifests/kube-apiserver.yaml", mode: "0644", uid: 1000, gid: 0, owner: "admin", group: "root" } }),
  (d) => ({ ...d, manifest: { path: "/etc/kubernetes/manifests/kube-apiserver.yaml", mode: "0400", uid: 0, gid: 5 } }),
  (d) => ({ ...d, manifest: { path: "/etc/kubernetes/manifests/kube-apiserver.yaml", mode: "rw-r--r--", uid: 0, gid: 0 } }),
];

const OPTION_CASES = [
  { profile: "seed-2020" },
  { profile: "cis-1.23" },
  { params: { "audit-log-maxage": 7, "required-admission-plugins": ["NodeRestriction"], "tls-cipher-allowlist": "strict" } },
  { params: { "request-timeout-max-seconds": 3600, "manifest-max-mode": "644", "tls-cipher-allowlist": ["TLS_AES_128_GCM_SHA256"] } },
];

/** The corpus; `normalizeInputs` is kubecis's (dist/index.js). */
export function corpus(normalizeInputs, { n = 10000, seed = 7, variants = true } = {}) {
  const entries = [];
  const tmp = mkdtempSync(join(tmpdir(), "kubecis-corpus-"));
  try {
    for (let i = 0; i < n; i++) {
      const path = join(tmp, `g${String(i).padStart(5, "0")}.yaml`);
      writeFileSync(path, generateManifest(seed, i));
      const { documents, errors } = normalizeInputs([path]);
      if (errors.length > 0) throw new Error(`generated manifest ${i}: ${JSON.stringify(errors[0])}`);
      // The temporary directory's name would reach the evidence (origin.file): replace it,
      // so that two runs give the same bytes.
      documents.forEach((doc, k) => entries.push({ name: `generated/${i}/${k}`, doc: JSON.parse(JSON.stringify(doc).replaceAll(tmp, "/generated")), options: {} }));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const fixtures = join(ROOT, "test/fixtures/apiserver");
  for (const path of walk(fixtures)) {
    const { documents } = normalizeInputs([path]);
    documents.forEach((doc, k) => entries.push({ name: `fixture/${relative(fixtures, path)}/${k}`, doc, options: {} }));
  }
  if (variants) {
    const pick = rng(seed + 1);
    const base = entries.filter((e) => e.name.startsWith("generated/")).slice(0, 400);
    for (const [b, e] of base.entries()) {
      const c = FILE_CASES[b % FILE_CASES.length];
      entries.push({ name: `variant/file${b % FILE_CASES.length}/${e.name}`, doc: c(e.doc), options: {} });
      if (pick.chance(0.3)) {
        const o = OPTION_CASES[b % OPTION_CASES.length];
        entries.push({ name: `variant/options${b % OPTION_CASES.length}/${e.name}`, doc: c(e.doc), options: o });
      }
    }
  }
  return entries;
}
