// Every input form kubecis reads, through the public API: each form's fixture under
// test/inputs/<form>/, normalized with kube-apiserver's semantics and valid against the schema.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { sortVerdicts } from "../src/engine/opa-wasm.js";
import { packageRoot } from "../src/paths.js";
import type { ApiServerConfig, EffectiveFlag, EngineReport } from "../src/types.js";
import { OPA, runTool } from "./helpers.js";

const INPUTS = join(packageRoot, "test", "inputs");
const at = (...parts: string[]) => join(INPUTS, ...parts);
const manifestWithEncryption = at("referenced", "kube-apiserver.yaml");

function normalizeOk(...paths: string[]): ApiServerConfig[] {
  const { documents, errors } = normalizeInputs(paths);
  expect(errors).toEqual([]);
  expect(documents.every((d) => d.kind === "ApiServerConfig")).toBe(true);
  return documents as ApiServerConfig[];
}
function only(...paths: string[]): ApiServerConfig {
  const documents = normalizeOk(...paths);
  expect(documents).toHaveLength(1);
  return documents[0]!;
}
const values = (document: ApiServerConfig) =>
  Object.fromEntries(Object.entries(document.flags).map(([name, flag]) => [name, flag.value ?? { error: flag.error }]));
const flag = (document: ApiServerConfig, name: string): EffectiveFlag => {
  const found = document.flags[name];
  expect(found, `flag ${name}`).toBeDefined();
  return found!;
};

const schema = JSON.parse(readFileSync(join(packageRoot, "schemas/apiserverconfig.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe("one configuration, every form", () => {
  const forms = ["manifest.yaml", "ps-ef.txt", "kube-apiserver.cmdline", "kubeadm-v1beta4.yaml", "kubeadm-v1beta3.yaml"];
  it("a manifest, a ps line, a cmdline dump and kubeadm v1beta3/v1beta4 configs give the same effective flags", () => {
    const [manifest, ...others] = forms.map((form) => only(at("equivalence", form)));
    const expected = values(manifest!);
    expect(Object.keys(expected)).toHaveLength(37);
    expect(expected["enable-admission-plugins"]).toEqual(["NodeRestriction", "EventRateLimit"]);
    expect(expected["anonymous-auth"]).toBe(false);
    for (const document of others) {
      expect(values(document)).toEqual(expected);
      expect(document.diagnostics).toEqual([]);
    }
  });

  it("each form says where each value came from", () => {
    const [manifest, ps, cmdline, v1beta4] = forms.map((form) => only(at("equivalence", form)));
    expect(flag(manifest!, "profiling").origin).toEqual({ file: at("equivalence", "manifest.yaml"), line: 38, argIndex: 22 });
    expect(flag(ps!, "profiling").origin).toEqual({ file: at("equivalence", "ps-ef.txt"), line: 5, argIndex: 22 });
    expect(flag(cmdline!, "profiling").origin).toEqual({ file: at("equivalence", "kube-apiserver.cmdline"), argIndex: 22 });
    // An extraArgs entry: its line; a generated flag: the kubeadm default it is.
    expect(flag(v1beta4!, "profiling").origin).toEqual({ file: at("equivalence", "kubeadm-v1beta4.yaml"), line: 41 });
    expect(flag(v1beta4!, "enable-bootstrap-token-auth").origin).toEqual({
      file: at("equivalence", "kubeadm-v1beta4.yaml"),
      source: "kubeadm v1beta4 generated flag",
    });
    expect(flag(v1beta4!, "advertise-address").origin).toMatchObject({ line: 6, source: "kubeadm v1beta4 generated flag, from localAPIEndpoint.advertiseAddress" });
  });

  it("versions: image tag and kubeadm kubernetesVersion are used and named; ps and cmdline say unknown", () => {
    const [manifest, ps, cmdline, v1beta4] = forms.map((form) => only(at("equivalence", form)));
    expect(manifest!.kubernetesVersion).toMatchObject({ version: "1.33.0", source: "image tag registry.k8s.io/kube-apiserver:v1.33.0" });
    expect(v1beta4!.kubernetesVersion).toMatchObject({ version: "1.33.0", source: expect.stringMatching(/^kubeadm kubernetesVersion v1\.33\.0 \(.*kubeadm-v1beta4\.yaml:14\)$/) });
    for (const d of [ps!, cmdline!]) expect(d.kubernetesVersion).toMatchObject({ version: null, source: expect.stringMatching(/^unknown/) });
    const overridden = normalizeInputs([at("equivalence", "manifest.yaml")], { kubernetesVersion: "1.30" }).documents[0]!;
    expect(overridden.kubernetesVersion).toEqual({ version: "1.30", major: 1, minor: 30, source: "--kubernetes-version" });
  });
});

describe("process listings", () => {
  it("ps -ef: the kube-apiserver process only; the grep line and the kubelet (--kubelet-* flags) are not taken", () => {
    const document = only(at("equivalence", "ps-ef.txt"));
    expect(document.metadata.source).toEqual({ path: at("equivalence", "ps-ef.txt"), format: "ps", line: 5 });
  });

  it("ps aux columns, hyperkube apiserver (not hyperkube kubelet), CRLF line ends", () => {
    expect(values(only(at("ps", "ps-aux.txt")))).toEqual({ "anonymous-auth": false, profiling: false, "authorization-mode": ["Node", "RBAC"] });
    const hyperkube = only(at("ps", "hyperkube.ps"));
    expect(hyperkube.metadata.source.line).toBe(2);
    expect(flag(hyperkube, "anonymous-auth")).toMatchObject({ value: false, origin: { argIndex: 4 } });
    expect(values(only(at("ps", "crlf.ps")))).toEqual({ "anonymous-auth": false, profiling: false });
  });

  it("a wrapped command continues on the next lines", () => {
    const document = only(at("ps", "wrapped.txt"));
    expect(values(document)).toMatchObject({ "authorization-mode": ["Node", "RBAC"], "anonymous-auth": false, profiling: false, "secure-port": 6443 });
    expect(document.diagnostics).toEqual([]);
  });

  it("a truncated line is said to be truncated, and the cut value is not judged as a value", () => {
    const document = only(at("ps", "truncated.txt"));
    expect(document.diagnostics[0]).toMatchObject({ code: "incomplete-flags", message: expect.stringContaining("exactly 80 characters") });
    expect(flag(document, "anonymous-auth")).toMatchObject({ raw: "", error: expect.stringContaining("invalid boolean") });
    const ellipsis = normalizeInputs(["-"], { stdin: () => Buffer.from("kube-apiserver --anonymous-auth=false --authorization-mode=Node,RB…\n") }).documents[0]!;
    expect(ellipsis.diagnostics[0]).toMatchObject({ code: "incomplete-flags", message: expect.stringContaining("ellipsis") });
    expect(only(at("ps", "ps-aux.txt")).diagnostics).toEqual([]);
  });

  it("k3s server: --kube-apiserver-arg merged over k3s's built-in argument map", () => {
    const document = only(at("ps", "k3s-server.ps"));
    expect(values(document)).toMatchObject({
      "anonymous-auth": false,
      profiling: false,
      "audit-log-maxage": 30,
      "enable-admission-plugins": ["NodeRestriction", "EventRateLimit"],
      "encryption-provider-config": "/var/lib/rancher/k3s/server/cred/encryption-config.json",
      "etcd-servers": ["unix://kine.sock"],
      "secure-port": 6444,
    });
    expect(flag(document, "anonymous-auth").origin).toEqual({ file: at("ps", "k3s-server.ps"), source: "k3s built-in default" });
    expect(flag(document, "audit-log-maxage").origin).toEqual({ file: at("ps", "k3s-server.ps"), line: 2, argIndex: 5 });
    // k3s's `enable-admission-plugins+=…` gives a second argument, which the slice flag accumulates.
    expect(flag(document, "enable-admission-plugins").occurrences).toBe(2);
  });

  it("/proc/<pid>/cmdline: NUL-separated argv, values as separate words", () => {
    expect(values(only(at("cmdline", "cmdline")))).toEqual({
      "anonymous-auth": false,
      "authorization-mode": ["Node", "RBAC"],
      profiling: false,
      "kubelet-certificate-authority": "/etc/kubernetes/pki/ca.crt",
    });
    const spaced = only(at("cmdline", "space-separated.cmdline"));
    expect(values(spaced)).toEqual({ "authorization-mode": ["Node", "RBAC"], "anonymous-auth": false, "audit-log-maxage": 30 });
    expect(flag(spaced, "audit-log-maxage").origin).toEqual({ file: at("cmdline", "space-separated.cmdline"), argIndex: 4 });
  });

  it("k3s journal: the last run's arguments and the k3s release it logged", () => {
    const document = only(at("journal", "k3s.log"));
    expect(document.metadata.source).toMatchObject({ format: "journal", line: 6 });
    expect(flag(document, "anonymous-auth")).toMatchObject({ value: false, origin: { line: 6 } });
    expect(document.kubernetesVersion).toMatchObject({ version: "1.33.1", source: expect.stringMatching(/^k3s version v1\.33\.1\+k3s1 \(.*k3s\.log:5\)$/) });
  });
});

describe("directories", () => {
  it("a walked directory skips files without an API server (etcd, scheduler) instead of failing on them", () => {
    const documents = normalizeOk(at("directory"));
    expect(documents.map((d) => d.metadata.source.path)).toEqual([at("directory/etc/kubernetes/manifests/kube-apiserver.yaml")]);
  });

  it("a directory where no file holds an API server is one error, never a pass", () => {
    const { documents, errors } = normalizeInputs([at("k3s-lookalike")]);
    expect(documents).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ file: at("k3s-lookalike"), message: "no kube-apiserver found in any of the 1 files read under this directory" })]);
  });
});

describe("manifests", () => {
  it("kubectl get -o json List: the kube-apiserver container; the healthcheck sidecar and etcd are ignored", () => {
    const document = only(at("manifests", "podlist.json"));
    expect(document.metadata.source).toMatchObject({ format: "pod-manifest", container: "kube-apiserver", line: 11 });
    // command + args; a bare boolean followed by another flag
    expect(values(document)).toEqual({
      "advertise-address": "10.0.0.10",
      "authorization-mode": ["Node", "RBAC"],
      "anonymous-auth": true,
      profiling: false,
      "audit-log-maxage": 30,
    });
  });

  it("a PodList gives one target per API server", () => {
    const documents = normalizeOk(at("manifests", "podlist.yaml"));
    expect(documents.map((d) => d.flags["anonymous-auth"]?.value)).toEqual([false, true]);
  });

  it("/bin/sh -c and go-runner wrappers; multi-document streams", () => {
    const shell = only(at("manifests", "sh-c.yaml"));
    expect(values(shell)).toMatchObject({ "anonymous-auth": false, profiling: false, "audit-log-path": "/var/log/kube-apiserver-audit.log" });
    // `1>>/var/log/kube-apiserver.log 2>&1` are the shell's redirections (POSIX XCU 2.7): sh
    // applies them and never passes them to kube-apiserver as arguments.
    expect(shell.diagnostics).toEqual([]);
    const runner = only(at("manifests", "go-runner.yaml"));
    expect(values(runner)).toEqual({ "anonymous-auth": false, "authorization-mode": ["Node", "RBAC"], profiling: false });
    expect(runner.kubernetesVersion.source).toBe("image tag registry.k8s.io/kube-apiserver:v1.30.6");
    const multi = only(at("manifests", "multi-document.yaml"));
    expect(multi.metadata.source.document).toBe(1);
  });
});

describe("kubeadm", () => {
  it("v1beta4: repeated extraArgs give repeated arguments; external etcd; --authorization-config drops kubeadm's --authorization-mode", () => {
    const document = only(at("kubeadm", "v1beta4-repeated.yaml"));
    expect(values(document)).toMatchObject({
      "service-account-key-file": ["/etc/kubernetes/pki/sa.pub", "/etc/kubernetes/pki/sa-old.pub"],
      "audit-log-maxage": 30,
      "etcd-servers": ["https://10.0.1.11:2379", "https://10.0.1.12:2379"],
      "authorization-config": "/etc/kubernetes/authz/authorization-config.yaml",
    });
    expect(document.flags["authorization-mode"]).toBeUndefined();
    expect(flag(document, "audit-log-maxage")).toMatchObject({ occurrences: 2, origin: { line: 24 } });
    expect(document.kubernetesVersion.version).toBe("1.32.3");
  });

  it.each([
    ["a string item (v1beta4)", '  - name: profiling\n    value: "false"\n  - "--anonymous-auth=true"\n', "apiServer.extraArgs[1]: a string where kubeadm v1beta4 expects a map", 8],
    ["an item without a name (v1beta4)", "  - value: AlwaysAllow\n", "apiServer.extraArgs[0]: an item without a name: kubeadm expects {name: <flag>, value: <value>}", 6],
    ["extraArgs that is a string", "    --anonymous-auth=true\n", "apiServer.extraArgs: a string where kubeadm v1beta4 expects a list", 6],
  ])("extraArgs kubeadm refuses, %s: an input error naming the field, never a flag left out", (_, args, message, line) => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-kubeadm-"));
    const path = join(dir, "kubeadm.yaml");
    writeFileSync(path, `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.33.0\napiServer:\n  extraArgs:\n${args}`);
    const { documents, errors } = normalizeInputs([path]);
    expect(documents).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ kind: "input", file: path, line, message: `${message}; kubeadm refuses this configuration` })]);
  });

  it("v1beta2 for Kubernetes 1.19: kubeadm's explicit --insecure-port=0 of that era", () => {
    const document = only(at("kubeadm", "v1beta2-1.19.yaml"));
    expect(flag(document, "insecure-port")).toMatchObject({ value: 0, origin: { source: "kubeadm v1beta2 generated flag" } });
    expect(only(at("equivalence", "kubeadm-v1beta4.yaml")).flags["insecure-port"]).toBeUndefined();
  });

  it("v1beta3: extraArgs map over generated flags; a release label is not a version", () => {
    const document = only(at("kubeadm", "v1beta3-stable.yaml"));
    expect(values(document)).toMatchObject({
      "anonymous-auth": false,
      "service-cluster-ip-range": "10.100.0.0/16",
      "service-account-issuer": ["https://kubernetes.default.svc.corp.local"],
      "authorization-mode": ["Node", "RBAC"],
    });
    expect(document.kubernetesVersion.version).toBeNull();
  });
});

describe("k3s and RKE2 config files", () => {
  it("config.yaml, then config.yaml.d drop-ins by name: plain keys replace, key+ appends, over the k3s built-in map", () => {
    const document = only(at("k3s"));
    expect(document.metadata.source).toMatchObject({ format: "k3s-config" });
    expect(values(document)).toMatchObject({
      "anonymous-auth": false,
      "audit-log-maxage": 30,
      "audit-log-maxbackup": 10,
      "enable-admission-plugins": ["NodeRestriction", "EventRateLimit"],
      "admission-control-config-file": "/var/lib/rancher/k3s/server/psa.yaml",
      // cluster-init: embedded etcd; secrets-encryption: the encryption config
      "etcd-servers": ["https://127.0.0.1:2379"],
      "encryption-provider-config": "/var/lib/rancher/k3s/server/cred/encryption-config.json",
    });
    expect(flag(document, "anonymous-auth").origin).toEqual({ file: at("k3s/etc/rancher/k3s/config.yaml.d/10-anonymous.yaml"), line: 5 });
    expect(flag(document, "audit-log-maxage").origin).toEqual({ file: at("k3s/etc/rancher/k3s/config.yaml.d/20-hardening.yaml"), line: 3 });
    expect(flag(document, "profiling").origin).toEqual({ file: at("k3s/etc/rancher/k3s/config.yaml"), source: "k3s built-in default" });
    expect(JSON.stringify(document)).not.toContain("K10f3a0c2d9e8");
  });

  it("a k3s server command line comes after the config files: its --kube-apiserver-arg adds to theirs", () => {
    const document = only(at("k3s"), at("ps", "k3s-server.ps"));
    expect(document.metadata.source).toMatchObject({ format: "ps", line: 2 });
    expect(values(document)).toMatchObject({
      "admission-control-config-file": "/var/lib/rancher/k3s/server/psa.yaml",
      "audit-log-maxbackup": 10,
      // GetArgs: the built-in value is kept by the first `+=` only.
      "enable-admission-plugins": ["NodeRestriction", "EventRateLimit", "EventRateLimit"],
    });
    // 20-hardening.yaml and the command line both set audit-log-maxage; the command line is last.
    expect(flag(document, "audit-log-maxage")).toMatchObject({ value: 30, occurrences: 2, origin: { file: at("ps", "k3s-server.ps") } });
  });

  it("a YAML map with only generic keys (server, token) is not taken for a k3s config", () => {
    const { documents, errors } = normalizeInputs([at("k3s-lookalike", "values.yaml")]);
    expect(documents).toEqual([]);
    expect(errors[0]?.message).toMatch(/^no kube-apiserver found/);
  });

  it("RKE2 with profile: cis: RKE2's defaults (audit, PSA config, encryption), the profile named in the origin", () => {
    const document = only(at("rke2"));
    expect(values(document)).toMatchObject({
      "audit-log-maxage": 90,
      "audit-policy-file": "/etc/rancher/rke2/audit-policy.yaml",
      "admission-control-config-file": "/etc/rancher/rke2/rke2-pss.yaml",
      "secure-port": 6443,
      "tls-cipher-suites": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
    });
    expect(flag(document, "profiling").origin.source).toBe("RKE2 built-in default (profile: cis)");
    expect(JSON.stringify(document)).not.toContain("my-shared-secret-token-value");
  });
});

describe("systemd and MicroK8s", () => {
  const unit = at("systemd/usr/lib/systemd/system/kube-apiserver.service");
  it("ExecStart= with $VARs from Environment= and EnvironmentFile= (CRLF, quotes, continuations)", () => {
    const document = only(unit, at("systemd/etc/kubernetes/apiserver"), at("systemd/etc/kubernetes/config"));
    expect(values(document)).toMatchObject({
      "anonymous-auth": false,
      "authorization-mode": ["Node", "RBAC"],
      profiling: false,
      "allow-privileged": false,
      "secure-port": 6443,
      v: 0,
      "enable-admission-plugins": ["NamespaceLifecycle", "NodeRestriction", "LimitRanger", "ServiceAccount", "ResourceQuota"],
    });
    expect(flag(document, "profiling").origin).toMatchObject({ file: at("systemd/etc/kubernetes/apiserver"), line: 17 });
    expect(flag(document, "secure-port").origin).toMatchObject({ file: unit, line: 9 });
    expect(document.diagnostics.filter((d) => d.code === "unresolved-variable")).toEqual([]);
  });

  it("ExecStart=@PATH ARGV0 …: the second word is argv[0], not an argument (systemd.service(5))", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-unit-"));
    const file = join(dir, "kube-apiserver.service");
    writeFileSync(file, "[Service]\nExecStart=-@/usr/local/bin/kube-apiserver kube-apiserver --profiling=false --secure-port=6443\n");
    const document = only(file);
    expect(document.diagnostics).toEqual([]);
    expect(values(document)).toMatchObject({ profiling: false, "secure-port": 6443 });
  });

  it("an environment file that was not given is said, variable by variable: those it may set, before the given one, are unknown", () => {
    const document = only(unit, at("systemd/etc/kubernetes/apiserver"));
    const said = document.diagnostics.map((d) => [d.code, d.message.replace(/ .*/, "")]);
    expect(said).toEqual([
      ["unresolved-variable", "EnvironmentFile=-/etc/kubernetes/config"],
      ["incomplete-flags", "$KUBE_LOGTOSTDERR"],
      ["incomplete-flags", "$KUBE_LOG_LEVEL"],
      // Environment= comes before every file: the one not given may replace it.
      ["incomplete-flags", "$KUBE_SECURE_PORT"],
      ["incomplete-flags", "$KUBE_ALLOW_PRIV"],
    ]);
  });

  it("MicroK8s args file (${SNAP_DATA} expanded); kubelite alone points at it", () => {
    const argsFile = at("microk8s/var/snap/microk8s/current/args/kube-apiserver");
    const document = only(argsFile);
    expect(values(document)).toMatchObject({
      "authorization-mode": ["RBAC", "Node"],
      "client-ca-file": "/var/snap/microk8s/current/certs/ca.crt",
      "service-account-issuer": ["https://kubernetes.default.svc"],
      profiling: false,
    });
    expect(flag(document, "profiling").origin).toEqual({ file: argsFile, line: 16 });
    const alone = normalizeInputs([at("microk8s/kubelite.ps")]);
    expect(alone.documents).toEqual([]);
    expect(alone.errors[0]?.message).toContain("kubelite (MicroK8s) reads kube-apiserver's flags from /var/snap/microk8s/7661/args/kube-apiserver");
    expect(normalizeOk(at("microk8s/kubelite.ps"), argsFile)).toHaveLength(1);
  });
});

describe("referenced configuration files", () => {
  const manifest = at("referenced", "kube-apiserver.yaml");
  it("are matched to their flags by kind, parsed, and their key material redacted", () => {
    const document = only(at("referenced"));
    expect(Object.keys(document.files ?? {}).sort()).toEqual([
      "admission-control-config-file",
      "audit-policy-file",
      "authentication-config",
      "authorization-config",
      "encryption-provider-config",
    ]);
    const encryption = document.files!["encryption-provider-config"]!;
    expect(encryption).toMatchObject({ path: "/etc/kubernetes/enc/encryption.yaml", status: "read", readFrom: at("referenced", "encryption.yaml") });
    expect(encryption.content).toMatchObject({
      kind: "EncryptionConfiguration",
      resources: [{ resources: ["secrets", "configmaps"], providers: [{ aescbc: { keys: [{ name: "key-2026-11", secret: "REDACTED" }, { name: "key-2026-05", secret: "REDACTED" }] } }, { secretbox: { keys: [{ name: "sb1", secret: "REDACTED" }] } }, { identity: {} }] }],
    });
    expect(document.files!["admission-control-config-file"]!.content).toMatchObject({ plugins: [{ name: "EventRateLimit", configuration: { limits: [{ type: "Namespace", qps: 50 }, { type: "User" }] } }, { name: "PodSecurity" }] });
    expect(document.files!["authorization-config"]!.content).toMatchObject({ authorizers: [{ type: "Node" }, { type: "RBAC" }, { type: "Webhook" }] });
    expect(document.files!["authentication-config"]!.content).toMatchObject({ anonymous: { enabled: true } });
    expect(JSON.stringify(document)).not.toMatch(/c2VjcmV0LWtleS1tYXRlcmlhbC|b2xkLWtleS1tYXRlcmlh|U0VDUkVUQk9YLUtFWS/);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it("a config given without an API server that references it is an error, not a silent pass", () => {
    const { documents, errors } = normalizeInputs([at("referenced", "encryption.yaml")]);
    expect(documents).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ file: at("referenced", "encryption.yaml"), message: expect.stringContaining("matched to no API server") })]);
  });

  it("with several of one kind, the basename decides; a flag whose file was not given has no entry", () => {
    const { documents, errors } = normalizeInputs([manifest, at("referenced", "encryption.yaml"), at("referenced-kms", "kms-and-token.json")]);
    const [first] = documents as ApiServerConfig[];
    expect(first!.files!["encryption-provider-config"]!.readFrom).toBe(at("referenced", "encryption.yaml"));
    expect(errors.map((e) => e.file)).toEqual([at("referenced-kms", "kms-and-token.json")]);
    expect(Object.keys(first!.files!)).toEqual(["encryption-provider-config"]);
    const kms = only(at("referenced-kms"));
    expect(kms.files!["encryption-provider-config"]!.content).toMatchObject({
      resources: [{ providers: [{ kms: { apiVersion: "v2", name: "vault" } }, { aesgcm: { keys: [{ name: "fallback", secret: "REDACTED" }] } }, { identity: {} }] }],
    });
  });
});

describe("an EncryptionConfiguration kube-apiserver refuses (it would not start)", () => {
  const key = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");
  const config = (providers: string) =>
    `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n${providers}`;
  it.each([
    ["aescbc without keys", "  - aescbc: {keys: []}\n", "resources[0].providers[0].aescbc.keys: at least one key is required"],
    ["a 10-byte aescbc key", `  - aescbc: {keys: [{name: k, secret: ${key(10)}}]}\n`, "resources[0].providers[0].aescbc.keys[0].secret: must be 16, 24 or 32 bytes once base64-decoded for aescbc"],
    ["a 16-byte secretbox key", `  - secretbox: {keys: [{name: k, secret: ${key(16)}}]}\n`, "resources[0].providers[0].secretbox.keys[0].secret: must be 32 bytes once base64-decoded for secretbox"],
    ["a key that is not base64", "  - aescbc: {keys: [{name: k, secret: not-base64!}]}\n", "resources[0].providers[0].aescbc.keys[0].secret: not base64"],
    ["a key without a name", `  - aescbc: {keys: [{secret: ${key(32)}}]}\n`, "resources[0].providers[0].aescbc.keys[0].name: required"],
    ["a kms provider without endpoint", "  - kms: {apiVersion: v2, name: vault}\n", "resources[0].providers[0].kms.endpoint: required"],
    ["two providers in one entry", `  - {aescbc: {keys: [{name: k, secret: ${key(32)}}]}, identity: {}}\n`, "resources[0].providers[0]: exactly one of aescbc, aesgcm, secretbox, identity, kms is required"],
  ])("%s: invalid, never read as encrypting", (_, providers, message) => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-enc-"));
    const path = join(dir, "encryption.yaml");
    writeFileSync(path, config(providers));
    const [document] = normalizeOk(manifestWithEncryption, path);
    expect(document!.files!["encryption-provider-config"]).toMatchObject({ status: "invalid", error: message });
  });

  it("a valid one is read", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-enc-"));
    const path = join(dir, "encryption.yaml");
    writeFileSync(path, config(`  - aescbc: {keys: [{name: a, secret: ${key(32)}}, {name: b, secret: ${key(16)}}]}\n  - identity: {}\n`));
    const [document] = normalizeOk(manifestWithEncryption, path);
    expect(document!.files!["encryption-provider-config"]!.status).toBe("read");
  });
});

describe("schema, and WASM/opa eval parity", () => {
  const kubecis = loadKubecis();
  const everything = [
    ["equivalence"],
    ["ps"],
    ["cmdline"],
    ["journal"],
    ["manifests"],
    ["kubeadm"],
    ["k3s"],
    ["rke2"],
    ["systemd/usr/lib/systemd/system/kube-apiserver.service", "systemd/etc/kubernetes/apiserver", "systemd/etc/kubernetes/config"],
    ["microk8s/var/snap/microk8s/current/args/kube-apiserver"],
    ["referenced"],
    ["referenced-kms"],
  ];
  it.each(everything)("every document from %s is valid and judged alike by WASM and opa eval", (...parts) => {
    const { documents } = normalizeInputs(parts.map((p) => at(p)));
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
      // The policies judge every form alike in both runtimes (files, distribution origins).
      const run = runTool(OPA, ["eval", "-b", "build/out/bundle.rego.tar.gz", "--format", "json", "-I", "data.kubecis.main.report"], JSON.stringify(document));
      expect(run.status, run.stderr).toBe(0);
      const topdown = JSON.parse(run.stdout).result[0].expressions[0].value as EngineReport;
      expect(kubecis.engine.evaluate(document)).toEqual({ ...topdown, results: sortVerdicts(topdown.results) });
    }
  });
});
