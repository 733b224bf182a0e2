// The input side of the CLI as users run it (a real process): `kubecis normalize`, `kubecis
// scan` against a real process and against a host root, bad inputs, and no key material in
// any output format.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { CONFTEST, OPA, runKubecis, runTool } from "./helpers.js";

const INPUTS = join(packageRoot, "test", "inputs");
const at = (...parts: string[]) => join(INPUTS, ...parts);
const scratch = mkdtempSync(join(tmpdir(), "kubecis-inputs-"));
function scratchFile(path: string, text: string | Buffer): string {
  const full = join(scratch, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}
const schema = JSON.parse(readFileSync(join(packageRoot, "schemas/apiserverconfig.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** Every secret value written in the fixtures below. */
const SECRETS = [
  "c2VjcmV0LWtleS1tYXRlcmlhbC1kby1ub3QtbGVhayE=",
  "b2xkLWtleS1tYXRlcmlhbC1kby1ub3QtbGVhay0yISE=",
  "U0VDUkVUQk9YLUtFWS1ETy1OT1QtTEVBSy0zMmJ5dGU=",
  "QUVTR0NNLUZBTExCQUNLLUtFWS1ETy1OT1QtTEVBSyE=",
  "K10f3a0c2d9e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1",
  "3f1e2d4c5b6a7988",
  "my-shared-secret-token-value",
  "Etcd-Pa55word-DoNotLeak",
  "QlJPS0VOLUNPTkZJRy1TRUNSRVQ=",
  "LIVEPROCESSKEYMATERIAL",
];
const KEY_MATERIAL_INPUTS = [
  [at("referenced")],
  [at("referenced-kms")],
  [at("k3s")],
  [at("rke2")],
  [at("ps", "etcd-url-password.ps")],
  // An encryption config that does not parse: its error must not quote the secret.
  [
    scratchFile("broken/kube-apiserver.ps", "kube-apiserver --encryption-provider-config=/etc/kubernetes/enc.yaml --anonymous-auth=false\n"),
    scratchFile(
      "broken/enc.yaml",
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - aescbc:\n          keys:\n            - name: k\n              secret: "QlJPS0VOLUNPTkZJRy1TRUNSRVQ=\n   bad: [\n',
    ),
  ],
];

/** The choices of `kubecis <command> -o`, read from its help so new formats are covered. */
function outputFormats(command: string): string[] {
  const help = runKubecis([command, "--help"]).stdout;
  const choices = /-o, --output <format>[\s\S]*?\(choices: ([^)]*?)(?:, default|\))/.exec(help)?.[1];
  expect(choices, help).toBeDefined();
  return [...choices!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

describe("no key material in any output", () => {
  it.each(KEY_MATERIAL_INPUTS)("kubecis test and normalize, every -o format: %s", (...inputs) => {
    const formats = outputFormats("test");
    expect(formats).toEqual(expect.arrayContaining(["text", "report"]));
    const runs = [
      ...formats.map((format) => runKubecis(["test", ...inputs, "-o", format])),
      ...outputFormats("normalize").map((format) => runKubecis(["normalize", ...inputs, "-o", format])),
    ];
    for (const run of runs) {
      expect(run.status).not.toBe(ExitCode.Internal);
      for (const secret of SECRETS) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
    // The normalize output still shows the files were read (or why not).
    const normalized = runKubecis(["normalize", ...inputs]);
    expect(normalized.stdout.length).toBeGreaterThan(0);
  });

  it("an unparsable referenced file is `invalid`, with file and line but without its content", () => {
    const run = runKubecis(["normalize", ...KEY_MATERIAL_INPUTS.at(-1)!]);
    expect(run.status).toBe(ExitCode.Ok);
    const document = JSON.parse(run.stdout);
    expect(document.files["encryption-provider-config"]).toMatchObject({ status: "invalid", error: expect.stringMatching(/invalid YAML.*\(line \d+\)/) });
  });
});

describe("kubecis normalize", () => {
  it("prints schema-valid documents, as JSON or as a YAML stream", () => {
    const json = runKubecis(["normalize", at("manifests", "podlist.yaml")]);
    expect(json.status).toBe(ExitCode.Ok);
    const documents = JSON.parse(json.stdout);
    expect(documents).toHaveLength(2);
    for (const d of documents) expect(validate(d), JSON.stringify(validate.errors)).toBe(true);
    const yaml = runKubecis(["normalize", at("manifests", "podlist.yaml"), "-o", "yaml"]);
    const fromYaml = parseAllDocuments(yaml.stdout).map((d) => d.toJS());
    expect(fromYaml).toEqual(documents);
  });

  it("is ready for opa eval: the Rego bundle judges it like kubecis test does", () => {
    const normalized = runKubecis(["normalize", at("k3s")]);
    const run = runTool(OPA, ["eval", "-b", "build/out/bundle.rego.tar.gz", "--format", "json", "-I", "data.kubecis.main.report"], normalized.stdout);
    expect(run.status, run.stderr).toBe(0);
    const opa = JSON.parse(run.stdout).result[0].expressions[0].value;
    const tested = JSON.parse(runKubecis(["test", at("k3s"), "-o", "report"]).stdout).targets[0];
    const statuses = (results: { id: string; status: string }[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));
    expect(statuses(opa.results)).toEqual(statuses(tested.results));
    expect(statuses(opa.results)["KAS-0001"]).toBe("pass");
  });

  it("reads a cmdline dump from standard input (cat /proc/<pid>/cmdline | kubecis normalize -)", () => {
    const dump = ["/usr/local/bin/kube-apiserver", "--anonymous-auth=false", "--profiling", "--audit-log-maxage", "030", ""].join("\0");
    const run = runKubecis(["normalize", "-"], dump);
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    const document = JSON.parse(run.stdout);
    expect(document.metadata.source).toEqual({ path: "-", format: "cmdline" });
    expect(Object.fromEntries(Object.entries(document.flags).map(([k, v]) => [k, (v as { value: unknown }).value]))).toEqual({
      "anonymous-auth": false,
      profiling: true,
      "audit-log-maxage": 24,
    });
  });

  it("is ready for conftest: the YAML stream's failures are kubecis test's fail and error results", () => {
    const stream = scratchFile("conftest/apiservers.yaml", runKubecis(["normalize", at("manifests", "podlist.yaml"), "-o", "yaml"]).stdout);
    const run = runTool(CONFTEST, ["test", "--policy", "policies", "--data", "policies", "--namespace", "kubecis.main", "--output", "json", stream]);
    const failures = (JSON.parse(run.stdout) as { failures?: unknown[] }[]).reduce((n, r) => n + (r.failures?.length ?? 0), 0);
    const report = JSON.parse(runKubecis(["test", at("manifests", "podlist.yaml"), "-o", "report"]).stdout);
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBe(report.summary.fail + report.summary.error);
  });

  it("reports inputs it cannot use and still prints the others (exit 4)", () => {
    const run = runKubecis(["normalize", at("referenced", "encryption.yaml"), at("ps", "ps-aux.txt")]);
    expect(run.status).toBe(ExitCode.Input);
    expect(JSON.parse(run.stdout).metadata.source.format).toBe("ps");
    expect(run.stderr).toContain("encryption.yaml:1: this EncryptionConfiguration was matched to no API server");
  });
});

describe("bad input", () => {
  it("malformed JSON names file and line; the other inputs are still judged", () => {
    const bad = scratchFile("bad/pod.json", '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {"containers": [}\n}\n');
    const run = runKubecis(["test", bad, at("ps", "ps-aux.txt"), "-o", "report"]);
    expect(run.status).toBe(ExitCode.Input);
    const report = JSON.parse(run.stdout);
    expect(report.targets).toHaveLength(1);
    expect(report.errors).toEqual([expect.objectContaining({ file: bad, line: 4 })]);
  });

  it("a YAML alias bomb is refused, not expanded", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    }
    const bomb = scratchFile("bad/bomb.yaml", levels.join("\n") + "\n");
    const run = runKubecis(["test", bomb, at("ps", "ps-aux.txt")]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toMatch(/bomb\.yaml: YAML document 1: .*alias/i);
    expect(run.stdout).toContain("1 target");
  });

  it("an oversized file and a binary file are refused with the file named", () => {
    const big = scratchFile("bad/huge.yaml", "");
    truncateSync(big, 17 * 1024 * 1024);
    const elf = scratchFile("bad/kube-apiserver.bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x03, 0x00, 0x3e, 0x00]));
    const run = runKubecis(["test", big, elf, at("ps", "ps-aux.txt")]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${big}: file is 17825792 bytes; the limit is 16777216`);
    expect(run.stderr).toContain(`${elf}: binary content`);
    expect(run.stdout).toContain("1 target");
  });

  it("a file with no API server is an error, never a pass", () => {
    const kubelet = scratchFile("bad/kubelet.ps", "root 842 1 2 09:12 ? 00:01:10 /usr/bin/kubelet --kubelet-client-certificate=/x --anonymous-auth=false\n");
    const run = runKubecis(["test", kubelet]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${kubelet}: no kube-apiserver found`);
    expect(run.stdout).toContain("0 targets");
  });
});

describe("kubecis scan", () => {
  let server: ChildProcess | undefined;
  const live = join(scratch, "live");
  const encryption = join(live, "etc", "encryption.yaml");

  beforeAll(async () => {
    // A real process whose executable is named kube-apiserver: a copy of the shell, kept
    // alive by its own loop; the flags after the script are its argv, as kube-apiserver's are.
    mkdirSync(join(live, "bin"), { recursive: true });
    const executable = join(live, "bin", "kube-apiserver");
    copyFileSync("/bin/sh", executable);
    // The version stamp a Kubernetes build leaves in its binary (go build -ldflags -X …).
    appendFileSync(executable, "\0-X 'k8s.io/component-base/version.gitVersion=v1.33.4'\0");
    chmodSync(executable, 0o755);
    scratchFile(
      "live/etc/encryption.yaml",
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - secretbox:\n      keys:\n      - name: k1\n        secret: LIVEPROCESSKEYMATERIALAAAAAAAAAAAAAAAAAAAAA=\n  - identity: {}\n",
    );
    server = spawn(executable, ["-c", "while :; do sleep 1; done", "--anonymous-auth=false", "--profiling", "false", `--encryption-provider-config=${encryption}`, `--audit-policy-file=${join(live, "missing.yaml")}`], {
      stdio: "ignore",
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  afterAll(() => {
    server?.kill("SIGKILL");
  });

  it("finds the process by its executable and reads its argv and the files its flags reference", () => {
    const run = runKubecis(["normalize", "--live"]);
    const documents = [JSON.parse(run.stdout)].flat();
    const mine = documents.find((d: { metadata: { source: { path: string } } }) => d.metadata.source.path === `/proc/${server!.pid}/cmdline`);
    expect(mine, run.stdout + run.stderr).toBeDefined();
    expect(mine.metadata.source.format).toBe("live-process");
    expect(mine.kubernetesVersion).toMatchObject({ version: "1.33.4", source: `binary version v1.33.4 (the executable of process ${server!.pid})` });
    expect(mine.flags["anonymous-auth"]).toMatchObject({ value: false, origin: { file: `/proc/${server!.pid}/cmdline`, argIndex: 3 } });
    // `--profiling false` is a boolean followed by a stray word, exactly as kube-apiserver reads it.
    expect(mine.flags["profiling"].value).toBe(true);
    expect(mine.files["encryption-provider-config"]).toMatchObject({ status: "read", content: { resources: [{ providers: [{ secretbox: { keys: [{ name: "k1", secret: "REDACTED" }] } }, { identity: {} }] }] } });
    expect(mine.files["audit-policy-file"]).toMatchObject({ status: "missing", error: "no such file or directory" });
    expect(validate(mine), JSON.stringify(validate.errors)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain("LIVEPROCESSKEYMATERIAL");
  });

  it("judges it (kubecis scan -o report)", () => {
    const run = runKubecis(["scan", "-o", "report"]);
    const report = JSON.parse(run.stdout);
    const target = report.targets.find((t: { source: { path: string } }) => t.source.path === `/proc/${server!.pid}/cmdline`);
    expect(target).toBeDefined();
    expect(target.results.find((r: { id: string }) => r.id === "KAS-0001").status).toBe("pass");
    expect(run.stdout + run.stderr).not.toContain("LIVEPROCESSKEYMATERIAL");
  });

  it("--host-root: a host mounted in a container; files resolved inside it, never outside", () => {
    const root = join(scratch, "host");
    scratchFile("host/proc/4242/cmdline", [
      "/usr/local/bin/kube-apiserver",
      "--anonymous-auth=false",
      "--encryption-provider-config=/etc/kubernetes/enc/../enc/encryption.yaml",
      "--audit-policy-file=/etc/kubernetes/audit/policy.yaml",
      "--authentication-config=/etc/kubernetes/authn.yaml",
      "--admission-control-config-file=/etc/kubernetes/admission",
      "--authorization-config=/etc/kubernetes/authz.yaml",
      "",
    ].join("\0"));
    scratchFile("host/proc/4243/cmdline", "grep\0kube-apiserver\0");
    scratchFile("host/proc/self-not-a-pid/cmdline", "kube-apiserver\0");
    const manifest = scratchFile(
      "host/etc/kubernetes/manifests/kube-apiserver.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.31.2\n    command: [kube-apiserver]\n",
    );
    chmodSync(manifest, 0o640);
    scratchFile("host/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    scratchFile("host/etc/group", "root:x:0:\n");
    scratchFile("host/etc/kubernetes/enc/encryption.yaml", readFileSync(at("referenced", "encryption.yaml")));
    // A symlink that leaves the host root, and one that stays inside it.
    mkdirSync(join(root, "etc/kubernetes/audit"), { recursive: true });
    scratchFile("outside/policy.yaml", readFileSync(at("referenced", "policy.yaml")));
    symlinkSync("../../../../outside/policy.yaml", join(root, "etc/kubernetes/audit/policy.yaml"));
    symlinkSync("/etc/kubernetes/enc/encryption.yaml", join(root, "etc/kubernetes/authz.yaml"));
    mkdirSync(join(root, "etc/kubernetes/admission"), { recursive: true });

    const run = runKubecis(["normalize", "--live", "--host-root", root]);
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    const document = JSON.parse(run.stdout);
    expect(document.metadata.source).toEqual({ path: "/proc/4242/cmdline", format: "live-process" });
    expect(document.kubernetesVersion).toMatchObject({ version: "1.31.2", source: "image tag registry.k8s.io/kube-apiserver:v1.31.2" });
    expect(document.manifest).toEqual({ path: "/etc/kubernetes/manifests/kube-apiserver.yaml", mode: "0640", uid: process.getuid!(), gid: process.getgid!(), owner: "root", group: "root" });
    expect(document.files["encryption-provider-config"]).toMatchObject({ status: "read", readFrom: join(root, "etc/kubernetes/enc/encryption.yaml") });
    // A link that climbs above / stays at the host's / (as on the node): nothing outside is read.
    expect(document.files["audit-policy-file"]).toMatchObject({ status: "missing" });
    expect(document.files["authentication-config"]).toMatchObject({ status: "missing" });
    expect(document.files["admission-control-config-file"]).toMatchObject({ status: "unreadable", error: "not a regular file (a directory)" });
    // An absolute symlink is resolved inside the host root, and the wrong kind is invalid.
    expect(document.files["authorization-config"]).toMatchObject({ status: "invalid", error: "expected kind AuthorizationConfiguration, found EncryptionConfiguration" });
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(run.stdout).not.toContain("c2VjcmV0LWtleS1tYXRlcmlhbC1kby1ub3QtbGVhayE=");
  });

  it("--host-root on k3s and MicroK8s nodes: config.yaml and drop-ins, the kubelite args file", () => {
    const k3s = join(scratch, "k3s-host");
    scratchFile("k3s-host/proc/700/cmdline", "/usr/local/bin/k3s\0server\0--kube-apiserver-arg=audit-log-maxbackup=5\0");
    scratchFile("k3s-host/etc/rancher/k3s/config.yaml", readFileSync(at("k3s/etc/rancher/k3s/config.yaml")));
    scratchFile("k3s-host/etc/rancher/k3s/config.yaml.d/10-anonymous.yaml", readFileSync(at("k3s/etc/rancher/k3s/config.yaml.d/10-anonymous.yaml")));
    const run = runKubecis(["normalize", "--live", "--host-root", k3s]);
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    const document = JSON.parse(run.stdout);
    expect(document.metadata.source).toEqual({ path: "/proc/700/cmdline", format: "live-process" });
    expect(document.flags["anonymous-auth"]).toMatchObject({ value: false, origin: { file: "/etc/rancher/k3s/config.yaml.d/10-anonymous.yaml", line: 5 } });
    expect(document.flags["audit-log-maxbackup"]).toMatchObject({ value: 5, origin: { file: "/proc/700/cmdline", argIndex: 2 } });
    expect(document.flags["profiling"].origin).toEqual({ file: "/etc/rancher/k3s/config.yaml", source: "k3s built-in default" });
    expect(document.files["encryption-provider-config"]).toMatchObject({ status: "missing" });
    expect(run.stdout).not.toContain("K10f3a0c2d9e8");

    const microk8s = join(scratch, "microk8s-host");
    scratchFile("microk8s-host/proc/800/cmdline", readFileSync(at("microk8s/kubelite.ps"), "utf8").split(/\s+/).slice(7).filter(Boolean).join("\0") + "\0");
    scratchFile("microk8s-host/var/snap/microk8s/7661/args/kube-apiserver", readFileSync(at("microk8s/var/snap/microk8s/current/args/kube-apiserver")));
    const kubelite = JSON.parse(runKubecis(["normalize", "--live", "--host-root", microk8s]).stdout);
    expect(kubelite.metadata.source).toMatchObject({ format: "microk8s-args", path: "/var/snap/microk8s/7661/args/kube-apiserver" });
    expect(kubelite.flags["secure-port"].value).toBe(16443);
  });

  it("says so when no API server runs under the host root (exit 4)", () => {
    const empty = join(scratch, "empty-host");
    mkdirSync(join(empty, "proc"), { recursive: true });
    const run = runKubecis(["scan", "--host-root", empty]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain("no API server process found");
  });
});

describe("--exclude", () => {
  // A GitOps repository: a static pod manifest beside a Helm chart whose templates are not YAML
  // until rendered. Walking the repository reads the templates too, an input error on every run.
  const repo = join(scratch, "gitops");
  const manifest = join(repo, "clusters", "prod", "kube-apiserver.yaml");
  const template = join(repo, "charts", "app", "templates", "deployment.yaml");
  beforeAll(() => {
    mkdirSync(dirname(manifest), { recursive: true });
    mkdirSync(dirname(template), { recursive: true });
    copyFileSync(join(packageRoot, "samples", "cis-hardened-v1.33", "kube-apiserver.yaml"), manifest);
    writeFileSync(template, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\n");
  });

  it("leaves out the walked files a glob matches, and only those", () => {
    const all = runKubecis(["test", repo, "-o", "report"]);
    expect(all.status).toBe(ExitCode.Input);
    expect(all.stderr).toContain(template);
    // Relative globs are read from the working directory, as the paths given are.
    const inRepo = (args: string[]) => spawnSync(process.execPath, [join(packageRoot, "dist", "kubecis.mjs"), ...args], { cwd: repo, encoding: "utf8" });
    for (const [input, glob] of [[repo, "**/templates/**"], [".", "charts/**"], [repo, "charts/**"], [".", `${repo}/charts/**`]] as const) {
      const run = inRepo(["test", input, "--exclude", glob, "-o", "report"]);
      const report = JSON.parse(run.stdout);
      expect(report.errors, glob).toEqual([]);
      expect(report.targets.map((t: { source: { path: string } }) => t.source.path), glob).toEqual([input === "." ? "clusters/prod/kube-apiserver.yaml" : manifest]);
    }
    // A glob that matches the manifest too leaves nothing to judge: an error, never a pass.
    const none = runKubecis(["test", repo, "--exclude", "**/*.yaml"]);
    expect(none.status).toBe(ExitCode.Input);
    expect(none.stderr).toContain(`${repo}: no file under this directory has a name kubecis reads`);
  });

  it("never leaves out a file named on the command line, and applies to normalize", () => {
    const named = runKubecis(["test", template, "--exclude", "**"]);
    expect(named.status).toBe(ExitCode.Input);
    expect(named.stderr).toContain(template);
    const normalized = runKubecis(["normalize", repo, "--exclude", "**/templates/**"]);
    expect(normalized.status).toBe(0);
    expect(JSON.parse(normalized.stdout).metadata.source.path).toBe(manifest);
  });
});
