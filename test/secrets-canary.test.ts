// Secrets never leave the process (DESIGN decision 11), proved with canaries: key material
// is planted in every field of every referenced-file kind, in every kube-apiserver flag, in
// unknown secret-named flags, k3s/RKE2 config keys, kubeadm, systemd Environment= and
// environment files, process lists and cmdline dumps, and in malformed inputs whose parser
// errors would quote it. The real CLI then runs once per output format over the directory,
// and no canary may appear on stdout or stderr of any of them.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFlagTable } from "../src/normalizers/flag-table.js";
import { SECRET_NAMES, SECRET_SUFFIXES, redactArgv } from "../src/redact.js";
import { packageRoot } from "../src/paths.js";
import { normalizeInputs } from "../src/scan.js";
import { CONFTEST, OPA, runKubecis, runTool } from "./helpers.js";

/** Every planted secret holds this marker; no output may. */
const MARK = "QZXCANARY";
const dir = mkdtempSync(join(tmpdir(), "kubecis-canary-"));
function plant(path: string, text: string): string {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

// Passwords with the characters that broke redaction: `,` and `@` (and `:`, `;`, `=`, ...),
// which userinfo may hold; generated, with a fixed seed so that a failure replays.
const hostile = fc.string({ unit: fc.constantFrom(..."aZ9,@:;!&()*+=~.-_"), minLength: 1, maxLength: 6 });
const passwords = fc
  .sample(fc.tuple(hostile, hostile), { numRuns: 12, seed: 17 })
  .map(([a, b], i) => `${a}${MARK}${i}${b}`);
let next = 0;
const password = () => passwords[next++ % passwords.length]!;
const url = (scheme = "https") => `${scheme}://user:${password()}@db.example:2379/p`;
const token = () => `https://${MARK}t${next++}@git.example/x`;
const pem = (label = "RSA PRIVATE KEY") => `-----BEGIN ${label}-----\nMIIE${MARK}pem${next++}\nAbCd${MARK}x\n-----END ${label}-----\n`;
const bare = () => `${MARK}b${next++}`;
// An encryption key as kube-apiserver accepts it (base64 of 32 bytes; MARK is base64 too), so
// the file is read, and its redaction is what is tested.
const keySecret = () => `${MARK}k${next++}`.padEnd(43, "A") + "=";

/** Every string leaf of a document (except apiVersion and kind) replaced by `make()`. */
function plantLeaves(value: unknown, make: () => string, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => plantLeaves(item, make));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plantLeaves(v, make, k)]));
  }
  if (typeof value !== "string" || key === "apiVersion" || key === "kind") return value;
  return key === "secret" ? keySecret() : make();
}

// One realistic document per referenced-file kind, with the secret-named fields each can
// hold (aescbc secrets, an embedded kubeconfig's token/password/client-key-data).
const REFERENCED: Record<string, { flag: string; doc: Record<string, unknown> }> = {
  encryption: {
    flag: "encryption-provider-config",
    doc: {
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "EncryptionConfiguration",
      resources: [
        {
          resources: ["secrets", "configmaps"],
          providers: [
            { kms: { apiVersion: "v2", name: "vault", endpoint: "unix:///var/run/kms.sock", timeout: "3s" } },
            { aescbc: { keys: [{ name: "key1", secret: "c2VjcmV0" }] } },
            { secretbox: { keys: [{ name: "key2", secret: "c2VjcmV0" }] } },
            { aesgcm: { keys: [{ name: "key3", secret: "c2VjcmV0" }] } },
            { identity: {} },
          ],
        },
      ],
    },
  },
  admission: {
    flag: "admission-control-config-file",
    doc: {
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "AdmissionConfiguration",
      plugins: [
        { name: "ImagePolicyWebhook", configuration: { imagePolicy: { kubeConfigFile: "/etc/kubernetes/ipw.kubeconfig", defaultAllow: false } } },
        {
          name: "PodSecurity",
          configuration: {
            apiVersion: "pod-security.admission.config.k8s.io/v1",
            kind: "PodSecurityConfiguration",
            defaults: { enforce: "restricted", "enforce-version": "latest" },
            exemptions: { usernames: ["admin"], namespaces: ["kube-system"] },
          },
        },
        {
          name: "EmbeddedKubeconfig",
          configuration: {
            users: [{ name: "u", user: { token: "abc", password: "pw", "client-key-data": "a2V5", "client-certificate-data": "Y2VydA==" } }],
            clusters: [{ name: "c", cluster: { server: "https://h", "certificate-authority-data": "Y2E=" } }],
          },
        },
      ],
    },
  },
  audit: {
    flag: "audit-policy-file",
    doc: {
      apiVersion: "audit.k8s.io/v1",
      kind: "Policy",
      omitStages: ["RequestReceived"],
      rules: [
        { level: "Metadata", resources: [{ group: "", resources: ["secrets", "configmaps"] }] },
        { level: "RequestResponse", users: ["admin"], userGroups: ["system:masters"], namespaces: ["kube-system"], verbs: ["create"] },
      ],
    },
  },
  authentication: {
    flag: "authentication-config",
    doc: {
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "AuthenticationConfiguration",
      jwt: [
        {
          issuer: {
            url: "https://issuer.example",
            discoveryURL: "https://discovery.example/.well-known/openid-configuration",
            audiences: ["kubernetes"],
            certificateAuthority: "ca",
          },
          claimMappings: { username: { claim: "sub", prefix: "oidc:" } },
          claimValidationRules: [{ expression: "claims.hd == 'example.com'", message: "wrong domain" }],
        },
      ],
      anonymous: { enabled: false },
    },
  },
  authorization: {
    flag: "authorization-config",
    doc: {
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "AuthorizationConfiguration",
      authorizers: [
        { type: "Node", name: "node" },
        { type: "RBAC", name: "rbac" },
        {
          type: "Webhook",
          name: "webhook",
          webhook: {
            timeout: "3s",
            subjectAccessReviewVersion: "v1",
            matchConditionSubjectAccessReviewVersion: "v1",
            failurePolicy: "Deny",
            connectionInfo: { type: "KubeConfigFile", kubeConfigFile: "/etc/kubernetes/authz.kubeconfig" },
          },
        },
      ],
    },
  },
};

/** Secret-named fields, with a bare canary: the name alone says it is key material. */
function plantNamed(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => plantNamed(item));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plantNamed(v, k)]));
  if (key === "secret") return keySecret();
  return /^(token|password|client-key-data)$/.test(key) ? bare() : value;
}

const VARIANTS: Record<string, (doc: unknown) => unknown> = {
  url: (doc) => plantLeaves(doc, () => url()),
  token: (doc) => plantLeaves(doc, token),
  pem: (doc) => plantLeaves(doc, () => pem()),
  named: (doc) => plantNamed(doc),
};

const flagsOfPods: string[][] = [];
for (const [kind, { flag, doc }] of Object.entries(REFERENCED)) {
  for (const [variant, make] of Object.entries(VARIANTS)) {
    const name = `${kind}-${variant}.yaml`;
    // JSON is YAML; the PEM variant is also written as block YAML (`|`), as people write it.
    plant(`referenced/${name}`, JSON.stringify(make(doc), null, 2));
    flagsOfPods.push([`--${flag}=/etc/kubernetes/${name}`]);
  }
}
// A PEM block written as block YAML (`|`), in a field that kube-apiserver takes any string in
// (an aescbc secret must be base64 of 16, 24 or 32 bytes, or the file is refused, unread).
plant(
  "referenced/encryption-block.yaml",
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - kms:\n      apiVersion: v2\n      name: vault\n      endpoint: |\n${pem()
    .split("\n")
    .map((l) => `        ${l}`)
    .join("\n")}\n`,
);
flagsOfPods.push(["--encryption-provider-config=/etc/kubernetes/encryption-block.yaml"]);

// Every kube-apiserver flag, given a URL with a password and (in another Pod) a PEM block.
const allFlags = [...loadFlagTable().keys()];
flagsOfPods.push(allFlags.map((f) => `--${f}=${url()}`));
flagsOfPods.push(allFlags.map((f) => `--${f}=${pem()}`));
flagsOfPods.push(allFlags.map((f) => `--${f}=${url("postgres")},${url("mysql")}`));
// Flags kube-apiserver does not have but people pass, named as key material.
const SECRET_FLAGS = ["etcd-s3-secret-key", "oidc-client-secret", "db-password", "bootstrap-token", "client-key-data", "api-key", "vault_token", "aws-secret-access-key"];
flagsOfPods.push([...SECRET_FLAGS.map((f) => `--${f}=${bare()}`), ...SECRET_FLAGS.flatMap((f) => [`--${f}`, bare()])]);
flagsOfPods.push([`${pem("PRIVATE KEY")}`, `-${url()}`, url(), `--etcd-servers=mysql://root:${password()}@tcp(db:3306)/k3s`]);
// A token alone as user-info, secret-named query parameters, a PEM block given as separate words.
flagsOfPods.push([`--oidc-issuer-url=${token()}`, `--etcd-servers=postgres://h/db?sslmode=require&password=${bare()}&user=u`, token()]);
const SPLIT_PEM = ["--tls-cert-file", "-----BEGIN PRIVATE KEY-----", `MIIE${MARK}split${next++}`, "-----END PRIVATE KEY-----", "--profiling=false"];
flagsOfPods.push(SPLIT_PEM);

const pod = (i: number, args: string[]) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `kube-apiserver-${i}`, namespace: "kube-system" },
    spec: { containers: [{ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.0", command: ["kube-apiserver", ...args] }] },
  });
plant("manifests/pods.yaml", flagsOfPods.map((args, i) => pod(i, args)).join("\n---\n"));

// Process lists and cmdline dumps: a PEM block split into words by ps, a password with spaces around.
plant(
  "ps/ps.txt",
  `UID PID PPID C STIME TTY TIME CMD\nroot 1 0 1 10:00 ? 00:00:01 kube-apiserver --etcd-servers=${url()} -----BEGIN PRIVATE KEY----- MIIE${MARK}ps AbCd${MARK}ps2 -----END PRIVATE KEY----- --etcd-s3-secret-key ${bare()} --oidc-client-secret=${bare()}\n`,
);
plant("ps/k3s.ps", `root 1 0 1 10:00 ? 00:00:01 /usr/local/bin/k3s server --token ${bare()} --datastore-endpoint=${url("postgres")} --kube-apiserver-arg=oidc-client-secret=${bare()} --etcd-s3-secret-key=${bare()}\n`);
plant(
  "journal/k3s.log",
  `Nov 28 08:01:03 cp-1 k3s[612]: time="2026-11-28T08:01:03Z" level=info msg="Starting k3s v1.33.1+k3s1 (99d91538)"\nNov 28 08:01:04 cp-1 k3s[612]: time="2026-11-28T08:01:04Z" level=info msg="Running kube-apiserver --etcd-servers=${url()} --oidc-client-secret=${bare()} --tls-cert-file=-----BEGIN PRIVATE KEY----- MIIE${MARK}j -----END PRIVATE KEY-----"\n`,
);
plant("proc/cmdline", ["kube-apiserver", `--etcd-servers=${url()}`, `--tls-cert-file=${pem()}`, `--db-password=${bare()}`, ""].join("\0"));

// Values with a blank in them: `ps` and journal lines join argv with blanks (so the words after
// a blank look like positional arguments), an unquoted ExecStart splits there, and a cmdline
// element or a manifest arg holds the blank inside one element.
const blanks = () => [
  `--etcd-servers=https://user:pa ss${MARK}s${next++}@db.example:2379`,
  `--oidc-client-secret=hun ter${MARK}s${next++} more`,
  `--etcd-s3-secret-key two words${MARK}s${next++}`,
  `--oidc-issuer-url=https://tok en${MARK}s${next++}@issuer.example`,
];
plant("ps/blank.txt", `root 2 0 1 10:00 ? 00:00:01 kube-apiserver ${blanks().join(" ")} --anonymous-auth=false\n`);
plant(
  "journal/blank.log",
  `Nov 28 08:01:04 cp-1 k3s[612]: time="2026-11-28T08:01:04Z" level=info msg="Running kube-apiserver ${blanks().join(" ")} --anonymous-auth=false"\n`,
);
plant("proc/blank/cmdline", ["kube-apiserver", ...blanks(), ""].join("\0"));
plant("systemd/blank.service", `[Service]\nExecStart=/usr/bin/kube-apiserver ${blanks().join(" ")}\n`);
plant("manifests/blank.yaml", pod(99, blanks()));

// k3s and RKE2 config files (the datastore DSN was split at a password's comma), kubeadm. The
// k3s config is a layer under the `k3s server` command line in ps/k3s.ps (one document).
const distributionConfig = (extra: string) =>
  [
    `token: ${JSON.stringify(bare())}`,
    `agent-token: ${JSON.stringify(bare())}`,
    `etcd-s3-secret-key: ${JSON.stringify(bare())}`,
    `etcd-s3-access-key: ${JSON.stringify(bare())}`,
    `kube-apiserver-arg:`,
    `- ${JSON.stringify(`etcd-s3-secret-key=${bare()}`)}`,
    `- ${JSON.stringify(`oidc-client-secret=${bare()}`)}`,
    `- ${JSON.stringify(`oidc-issuer-url=${url()}`)}`,
    `- ${JSON.stringify(`tls-cert-file=${pem()}`)}`,
    extra,
  ].join("\n");
plant("rancher/k3s/config.yaml", distributionConfig(`datastore-endpoint: ${JSON.stringify(url("postgres"))}`));
plant("rancher/rke2/config.yaml", distributionConfig(`datastore-endpoint: ${JSON.stringify(`${url()},${url()}`)}`));
plant(
  "kubeadm/kubeadm.yaml",
  JSON.stringify({
    apiVersion: "kubeadm.k8s.io/v1beta3",
    kind: "ClusterConfiguration",
    kubernetesVersion: "v1.33.0",
    etcd: { external: { endpoints: [url(), url()], caFile: "/ca", certFile: "/c", keyFile: "/k" } },
    apiServer: { extraArgs: { "oidc-client-secret": bare(), "oidc-issuer-url": url(), "tls-cert-file": pem() } },
  }),
);

// systemd: Environment= and an EnvironmentFile carry flags with key material.
plant(
  "systemd/kube-apiserver.service",
  `[Service]\nEnvironment="ETCD=--etcd-servers=${url()}"\nEnvironment="OIDC=--oidc-client-secret=${bare()}"\nEnvironment="DB_PASSWORD=${bare()}" "API_TOKEN=${bare()}"\nEnvironmentFile=-/etc/kubernetes/apiserver\nExecStart=/usr/bin/kube-apiserver $ETCD $OIDC $KUBE_API_ARGS --db-password=${bare()} --oidc-issuer-url=\${DB_PASSWORD} $API_TOKEN $ETCD_TOKEN\n`,
);
plant("systemd/apiserver", `KUBE_API_ARGS="--oidc-issuer-url=${url()} --etcd-s3-secret-key=${bare()}"\nETCD_TOKEN=${bare()}\n`);

// Malformed inputs whose parser messages would quote the offending text.
const malformed: Record<string, string> = {
  "block-typo.yaml": `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- providers:\n  - aescbc:\n      keys:\n      - name: k\n        secret: |${bare()}\n          more\n`,
  "unterminated.yaml": `apiVersion: v1\nkind: Pod\nspec:\n  token: "${bare()}\n`,
  "alias.yaml": `apiVersion: v1\nkind: Pod\nspec: *${bare()}\n`,
  "tab.yaml": `apiVersion: v1\nkind: Pod\nspec:\n\tpassword: ${bare()}\n`,
  "indent.yaml": `apiVersion: v1\nkind: Pod\nspec:\n  a: 1\n   secret: ${bare()} x: y\n`,
  "json.json": `{"apiVersion": "v1", "kind": "Pod", "token": "${bare()}", }\n{`,
  "flow.yaml": `apiVersion: v1\nkind: Pod\nspec: {password: ${bare()}, [\n`,
  "pem-typo.yaml": `apiVersion: v1\nkind: Pod\nkey: "-----BEGIN PRIVATE KEY-----\n MIIE${MARK}typo\n-----END PRIVATE KEY-----\nother: [\n`,
};
for (const [name, text] of Object.entries(malformed)) plant(`malformed/${name}`, text);

// Valid YAML whose keys are collections (a Helm template's `{{ .Values.x }}: v` is one): the
// yaml package warns about them on stderr, quoting the key.
plant("odd/collection-key.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  ? {password: ${bare()}}\n  : v\n`);
plant("odd/helm-template.yaml", `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  {{ .Values.${bare()} }}: v\n`);

const data = plant("data/params.yaml", `params:\n  audit-log-maxage: ${JSON.stringify(url())}\n  token: ${JSON.stringify(bare())}\n`);

const FORMATS = ["text", "report", "stdout", "json", "tap", "table", "junit", "github", "sarif"];

function expectNoCanary(label: string, output: string): void {
  const at = output.indexOf(MARK);
  expect(at, `${label}: a canary leaked: …${output.slice(Math.max(0, at - 120), at + 40)}…`).toBe(-1);
}

describe("no planted secret reaches any output", () => {
  it("the planted inputs are read and judged (the test is not vacuous)", () => {
    const run = runKubecis(["normalize", join(dir, "manifests"), join(dir, "referenced")]);
    const docs = JSON.parse(run.stdout) as { files?: Record<string, { status: string }> }[];
    expect(docs.length).toBe(flagsOfPods.length + 1);
    const read = docs.flatMap((d) => Object.values(d.files ?? {})).filter((f) => f.status === "read");
    expect(read.length).toBe(Object.keys(REFERENCED).length * Object.keys(VARIANTS).length + 1);
    expect(run.stdout).toContain("REDACTED");
  });

  it("no document or error holds a canary when it is built (not only when it is printed)", () => {
    const { documents, errors } = normalizeInputs([dir]);
    const formats = new Set(documents.map((d) => (d.kind === "ApiServerConfig" ? d.metadata.source.format : d.kind)));
    expect([...formats].sort()).toEqual(["cmdline", "journal", "kubeadm", "pod-manifest", "ps", "rke2-config", "systemd-unit"]);
    expectNoCanary("documents", JSON.stringify(documents));
    expectNoCanary("errors", JSON.stringify(errors));
  });

  for (const format of FORMATS) {
    it(`test -o ${format}`, () => {
      const run = runKubecis(["test", dir, "-o", format, "--no-color"]);
      expect(run.stdout.length).toBeGreaterThan(1000);
      expectNoCanary(`stdout of -o ${format}`, run.stdout);
      expectNoCanary(`stderr of -o ${format}`, run.stderr);
    });
  }

  for (const format of ["json", "yaml"]) {
    it(`normalize -o ${format}`, () => {
      const run = runKubecis(["normalize", dir, "-o", format]);
      expect(run.stdout).toContain("REDACTED");
      expectNoCanary(`normalize -o ${format}`, run.stdout);
      expectNoCanary(`normalize -o ${format} stderr`, run.stderr);
    });
  }

  it("every malformed input is an error naming its file, with no quoted text", () => {
    const run = runKubecis(["test", join(dir, "malformed"), join(dir, "manifests", "pods.yaml"), "-o", "github"]);
    for (const name of Object.keys(malformed)) expect(run.stdout + run.stderr).toContain(name);
    expectNoCanary("malformed stdout", run.stdout);
    expectNoCanary("malformed stderr", run.stderr);
  });

  it("--data and explain", () => {
    for (const args of [["test", join(dir, "manifests"), "--data", data], ["explain", url()]]) {
      const run = runKubecis(args);
      expectNoCanary(`${args[0]} stdout`, run.stdout);
      expectNoCanary(`${args[0]} stderr`, run.stderr);
    }
  });
});

// conftest and OPA users judge raw Pod manifests through the Rego adapter (lib.pod), which
// redacts by the rules of src/redact.ts before it reads a flag.
describe("no planted secret reaches the Rego adapter's outputs (opa, conftest)", () => {
  const BUNDLE = join(packageRoot, "build/out/bundle.rego.tar.gz");
  const opa = (query: string, input: unknown) => {
    const file = join(dir, `opa-input-${next++}.json`);
    writeFileSync(file, JSON.stringify(input));
    const run = runTool(OPA, ["eval", "-b", BUNDLE, "-i", file, "-f", "json", query]);
    expect(run.status, run.stderr).toBe(0);
    return run.stdout;
  };
  const pods = [...flagsOfPods.map((args) => ["kube-apiserver", ...args]), ["kube-apiserver", ...blanks()]];

  it("the secret names are src/redact.ts's", () => {
    const value = (query: string) => JSON.parse(opa(query, {})).result[0].expressions[0].value as string[];
    expect(value("data.kubecis.lib.pod.secret_names").sort()).toEqual([...SECRET_NAMES].sort());
    expect(value("data.kubecis.lib.pod.secret_suffixes").sort()).toEqual([...SECRET_SUFFIXES].sort());
  });

  it("redacted_argv redacts each canary Pod's argv as redactArgv does", () => {
    const theirs = JSON.parse(opa("[data.kubecis.lib.pod.redacted_argv(a) | some a in input]", pods)).result[0].expressions[0].value as string[][];
    expectNoCanary("redacted_argv", JSON.stringify(theirs));
    pods.forEach((argv, i) => {
      const ours = redactArgv(argv.map((text) => ({ text }))).map((a) => a.text);
      // redactArgv joins a PEM block given as separate words into one; the adapter replaces each word.
      const expected = argv === pods[flagsOfPods.indexOf(SPLIT_PEM)] ? ["kube-apiserver", "--tls-cert-file", "REDACTED", "REDACTED", "REDACTED", "--profiling=false"] : ours;
      expect([argv, theirs[i]]).toEqual([argv, expected]);
    });
  });

  it("opa eval lib.pod.documents, main.report and main.deny/warn, and conftest, on the canary manifests", () => {
    const podList = { apiVersion: "v1", kind: "List", items: pods.map((command, i) => ({ kind: "Pod", metadata: { name: `p${i}` }, spec: { containers: [{ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.0", command }] } })) };
    // One evaluation (lib.pod.documents is evaluated once for all four) and one conftest run.
    const out = opa('{"documents": data.kubecis.lib.pod.documents, "report": data.kubecis.main.report, "deny": data.kubecis.main.deny, "warn": data.kubecis.main.warn}', podList);
    const value = JSON.parse(out).result[0].expressions[0].value as { documents: unknown[]; deny: unknown[]; warn: unknown[] };
    expect(value.documents).toHaveLength(pods.length);
    expect(value.deny.length).toBeGreaterThan(0);
    expect(value.warn.length).toBeGreaterThan(0);
    expect(out).toContain("REDACTED");
    expectNoCanary("opa eval lib.pod.documents, main.report, main.deny, main.warn", out);
    const bundle = join(dir, "bundle");
    mkdirSync(bundle, { recursive: true });
    expect(runTool("tar", ["-xzf", BUNDLE, "-C", bundle]).status).toBe(0);
    const run = runTool(CONFTEST, ["test", "--no-color", "--namespace", "kubecis.main", "-p", bundle, "-d", join(bundle, "data.json"), "-o", "json", join(dir, "manifests/pods.yaml"), join(dir, "manifests/blank.yaml")]);
    expect(run.stdout).toMatch(/KAS-\d{4}/);
    expectNoCanary("conftest -o json", run.stdout + run.stderr);
  }, 180_000);
});
