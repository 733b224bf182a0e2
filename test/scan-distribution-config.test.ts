// `kubecis scan` on a k3s/RKE2 node reads the config the server really reads: the file its
// <PROGRAM>_CONFIG_FILE variable names (k3s pkg/configfilearg/parser.go findConfigFileFlag: the
// variable wins over --config and the default), read from /proc/<pid>/environ, and the
// drop-ins beside it in k3s's order (dotDFiles: os.ReadDir's name order, *.yaml and *.yml in
// any case, directories skipped). Only that one variable is read: the environment also holds
// K3S_TOKEN, which never reaches any output or error. An environment kubecis cannot read is
// said (incomplete-flags), never replaced by the default path as if it were certain.
// The real CLI on a host root built of real files.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-scan-config-"));
let hosts = 0;
/** A host root holding these files (path on the node → content). */
function host(files: Record<string, string>): string {
  const root = join(scratch, `host-${hosts++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
const TOKEN = "K10canaryb7e1d2c3::server:canary9f8e7d6c";
const environ = (...vars: string[]) => ["PATH=/usr/local/sbin:/usr/bin", `K3S_TOKEN=${TOKEN}`, ...vars, "HOME=/root", `RKE2_TOKEN=${TOKEN}`].join("\0") + "\0";
const anonymous = (value: boolean) => `kube-apiserver-arg:\n  - anonymous-auth=${value}\n`;

const normalize = (root: string) => {
  const run = runKubecis(["normalize", "--live", "--host-root", root]);
  expect(run.status, run.stderr).toBe(ExitCode.Ok);
  return { run, document: JSON.parse(run.stdout) };
};

describe("kubecis scan: the config file a k3s/RKE2 server reads", () => {
  it.each(["k3s", "rke2"] as const)("%s: <PROGRAM>_CONFIG_FILE from the process's environment wins over --config and the default", (program) => {
    const upper = program.toUpperCase();
    const root = host({
      "proc/700/cmdline": `/usr/local/bin/${program}\0server\0--config\0/etc/rancher/${program}/other.yaml\0`,
      "proc/700/environ": environ(`${upper}_CONFIG_FILE=/opt/${program}/custom.yaml`),
      [`opt/${program}/custom.yaml`]: anonymous(true),
      [`etc/rancher/${program}/other.yaml`]: anonymous(false),
      [`etc/rancher/${program}/config.yaml`]: anonymous(false),
    });
    const { document } = normalize(root);
    expect(document.flags["anonymous-auth"]).toMatchObject({ value: true, origin: { file: `/opt/${program}/custom.yaml` } });
    expect(document.diagnostics.filter((d: { code: string }) => d.code === "incomplete-flags")).toEqual([]);
  });

  it("without the variable: --config, then the default; drop-ins in k3s's order, .yml and any case, directories skipped", () => {
    const root = host({
      "proc/700/cmdline": "/usr/local/bin/k3s\0server\0",
      "proc/700/environ": environ(),
      "etc/rancher/k3s/config.yaml": anonymous(false),
      "etc/rancher/k3s/config.yaml.d/10-open.YML": anonymous(true),
      "etc/rancher/k3s/config.yaml.d/20-closed.yaml": "kube-apiserver-arg+:\n  - profiling=true\n",
      "etc/rancher/k3s/config.yaml.d/30-ignored.conf": anonymous(false),
      "etc/rancher/k3s/config.yaml.d/40-dir.yaml/x": "",
    });
    const { document } = normalize(root);
    expect(document.flags["anonymous-auth"]).toMatchObject({ value: true, origin: { file: "/etc/rancher/k3s/config.yaml.d/10-open.YML" } });
    expect(document.flags["profiling"]).toMatchObject({ value: true });
    expect(document.diagnostics.filter((d: { code: string }) => d.code === "incomplete-flags")).toEqual([]);
  });

  it.each([
    ["an environ that is not a regular file", { "proc/700/environ/x": "" }],
    ["no environ at all", {}],
  ])("%s: said, every control reading a flag is error, never the default path taken as certain", (_, extra) => {
    const root = host({ "proc/700/cmdline": "/usr/local/bin/k3s\0server\0", "etc/rancher/k3s/config.yaml": anonymous(false), ...extra });
    const run = runKubecis(["scan", "--host-root", root, "-o", "report"]);
    const report = JSON.parse(run.stdout);
    const target = report.targets[0];
    const note = target.diagnostics.find((d: { code: string; message: string }) => d.code === "incomplete-flags" && /K3S_CONFIG_FILE/.test(d.message));
    expect(note?.message).toMatch(/\/proc\/700\/environ/);
    expect(target.results.find((r: { id: string }) => r.id === "KAS-0001").status).toBe("error");
  });

  it("the server's token in its environment never reaches any output or error", () => {
    const root = host({
      "proc/700/cmdline": "/usr/local/bin/k3s\0server\0",
      "proc/700/environ": environ("K3S_CONFIG_FILE=/opt/k3s/missing.yaml"),
      "proc/701/cmdline": "/usr/local/bin/rke2\0server\0",
      "proc/701/environ": environ("RKE2_CONFIG_FILE=/opt/rke2/custom.yaml"),
    });
    for (const args of [["scan", "-o", "report"], ["scan", "-o", "json"], ["scan", "-o", "text"], ["scan", "-o", "sarif"], ["normalize", "--live"]]) {
      const run = runKubecis([...args, "--host-root", root]);
      expect(`${run.stdout}\n${run.stderr}`.includes("canary"), args.join(" ")).toBe(false);
      expect(run.stdout.length + run.stderr.length).toBeGreaterThan(0);
    }
  });
});
