// Distribution configuration files read as the distribution reads them (DESIGN 9): what kubeadm
// refuses to decode, what k3s turns into arguments kube-apiserver refuses, and a config file the
// server does not read, are never judged as applied. Real files, the public API and the CLI.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, normalizeInputs, testInputs, type Kubecis } from "../src/index.js";
import type { ApiServerConfig, Report, Target } from "../src/types.js";
import { SAMPLE, caseWriter, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-distconfig-"));
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

/** Each case's files, in a fresh directory (relative name → text); their paths, in order. */
const files = caseWriter(scratch);

const run = (paths: string[], version = "1.33"): Report => testInputs(paths, { kubernetesVersion: version }, kubecis);
const apiTargets = (report: Report): Target[] => report.targets.filter((t) => t.kind === "ApiServerConfig");
const status = (target: Target, id: string) => target.results.find((r) => r.id === id)?.status;

const kubeadm = (apiVersion: string, body: string) => `apiVersion: kubeadm.k8s.io/${apiVersion}\nkind: ClusterConfiguration\nkubernetesVersion: v1.30.2\n${body}`;

describe("kubeadm: a configuration kubeadm refuses to decode is an input error, never applied", () => {
  // kubeadm decodes YAML as JSON (apimachinery's serializer: sigs.k8s.io/yaml YAMLToJSON, no
  // target type) into its typed structs: a YAML boolean or number where the field is a string,
  // a map where v1beta4 has []Arg, a list where v1beta3 has map[string]string, a string where
  // the field is an int32 or a list, are "json: cannot unmarshal ..." errors.
  const REFUSED: [string, string, string, RegExp][] = [
    ["v1beta3 extraArgs value a YAML boolean", "v1beta3", "apiServer:\n  extraArgs:\n    anonymous-auth: false\n", /:6: apiServer\.extraArgs\.anonymous-auth: a boolean/],
    ["v1beta3 extraArgs value a YAML 1.1 boolean (no)", "v1beta3", "apiServer:\n  extraArgs:\n    profiling: no\n", /:6: apiServer\.extraArgs\.profiling: a boolean/],
    ["v1beta3 extraArgs value a number", "v1beta3", "apiServer:\n  extraArgs:\n    audit-log-maxage: 30\n", /:6: apiServer\.extraArgs\.audit-log-maxage: a number/],
    ["v1beta3 extraArgs value a list", "v1beta3", "apiServer:\n  extraArgs:\n    enable-admission-plugins: [NodeRestriction]\n", /:6: apiServer\.extraArgs\.enable-admission-plugins: a list/],
    ["v1beta3 extraArgs a v1beta4 list", "v1beta3", "apiServer:\n  extraArgs:\n  - name: anonymous-auth\n    value: \"false\"\n", /:6: apiServer\.extraArgs: a list where kubeadm v1beta3 expects a map/],
    ["v1beta2 extraArgs a list", "v1beta2", "apiServer:\n  extraArgs:\n  - name: anonymous-auth\n    value: \"false\"\n", /apiServer\.extraArgs: a list where kubeadm v1beta2 expects a map/],
    ["v1beta4 extraArgs a v1beta3 map", "v1beta4", "apiServer:\n  extraArgs:\n    anonymous-auth: \"false\"\n", /:6: apiServer\.extraArgs: a map where kubeadm v1beta4 expects a list/],
    ["v1beta4 value a YAML boolean", "v1beta4", "apiServer:\n  extraArgs:\n  - name: profiling\n    value: false\n", /:7: apiServer\.extraArgs\[0\]\.value: a boolean/],
    ["v1beta4 value a number", "v1beta4", "apiServer:\n  extraArgs:\n  - name: audit-log-maxage\n    value: 30\n", /apiServer\.extraArgs\[0\]\.value: a number/],
    ["v1beta4 name a number", "v1beta4", "apiServer:\n  extraArgs:\n  - name: 12\n    value: \"x\"\n", /apiServer\.extraArgs\[0\]\.name: a number/],
    ["networking.serviceSubnet a list", "v1beta3", "networking:\n  serviceSubnet: [10.96.0.0/12]\n", /:5: networking\.serviceSubnet: a list/],
    ["certificatesDir a boolean", "v1beta4", "certificatesDir: true\n", /:4: certificatesDir: a boolean/],
    ["etcd.external.endpoints a string", "v1beta3", "etcd:\n  external:\n    endpoints: https://10.0.0.1:2379\n", /etcd\.external\.endpoints: a string where kubeadm v1beta3 expects a list/],
    ["etcd.external.endpoints item a number", "v1beta3", "etcd:\n  external:\n    endpoints:\n    - 12\n", /etcd\.external\.endpoints\[0\]: a number/],
    ["kubernetesVersion a number", "v1beta3", "", /kubernetesVersion: a number/],
  ];

  it.each(REFUSED)("%s: file:line named, no target from it, the other inputs judged", (_, apiVersion, body, message) => {
    let text = kubeadm(apiVersion, body);
    if (/kubernetesVersion a number/.test(_)) text = text.replace("kubernetesVersion: v1.30.2", "kubernetesVersion: 1.30");
    const [config] = files({ "kubeadm.yaml": text });
    const report = run([config!, SAMPLE]);
    expect(report.errors.map((e) => `${e.file}:${e.line ?? ""}: ${e.message}`).join("\n")).toMatch(message);
    expect(report.errors[0]).toMatchObject({ kind: "input", file: config });
    expect(report.errors[0]!.message).toMatch(/kubeadm refuses/);
    // The sample beside it is still judged; nothing is judged from the refused file.
    expect(apiTargets(report).map((t) => t.source.path)).toEqual([SAMPLE]);
  });

  it("InitConfiguration: localAPIEndpoint.bindPort as a string is refused too (int32)", () => {
    const [config] = files({
      "kubeadm.yaml": `apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: "6443"\n---\n${kubeadm("v1beta3", "")}`,
    });
    const report = run([config!]);
    expect(report.errors[0]).toMatchObject({ kind: "input", file: config, line: 4 });
    expect(report.errors[0]!.message).toMatch(/localAPIEndpoint\.bindPort: a string where kubeadm v1beta3 expects an integer/);
  });

  it("the same settings written as kubeadm decodes them are judged (strings, null as empty)", () => {
    const [b3, b4] = files({
      "b3.yaml": kubeadm("v1beta3", 'apiServer:\n  extraArgs:\n    anonymous-auth: "false"\n    profiling: "false"\nnetworking:\n  serviceSubnet: 10.96.0.0/12\n'),
      "b4.yaml": kubeadm("v1beta4", 'apiServer:\n  extraArgs:\n  - name: anonymous-auth\n    value: "false"\n  - name: profiling\n    value: "false"\n'),
    });
    const report = run([b3!, b4!]);
    expect(report.errors).toEqual([]);
    for (const target of apiTargets(report)) {
      expect(status(target, "KAS-0001")).toBe("pass");
      expect(status(target, "KAS-0005")).toBe("pass");
    }
  });

  it("the CLI exits 4 (input) and names the file and line", () => {
    const [config] = files({ "kubeadm.yaml": kubeadm("v1beta4", 'apiServer:\n  extraArgs:\n    anonymous-auth: "false"\n') });
    const result = runKubecis(["test", config!, SAMPLE, "--kubernetes-version", "1.33"]);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain(`${config}:6: apiServer.extraArgs: a map where kubeadm v1beta4 expects a list`);
  });
});

/** Every control that reads a flag is error, naming the place (lib.flags.hidden); none passes. */
function expectNoFlagVerdict(target: Target, place: RegExp): void {
  const flagControls = kubecis.catalog.controls.filter((c) => c.component === "apiserver" && (c.flags ?? []).length > 0);
  const wrong = flagControls
    .map((c) => target.results.find((r) => r.id === c.id)!)
    .filter((r) => !(r.status === "not-applicable" && /was removed in/.test(r.reason ?? "")))
    .filter((r) => r.status !== "error" || !place.test(r.reason ?? ""))
    .map((r) => `${r.id} ${r.status}: ${r.reason ?? ""}`);
  expect(wrong).toEqual([]);
}

describe("k3s/RKE2: a config value k3s turns into an argument kube-apiserver refuses is never judged as applied", () => {
  // k3s pkg/configfilearg/parser.go readConfigFile: a value that is not a list becomes
  // `--key=` + convert.ToString(value): a map is the text "map[…]", null is "" (and, without
  // "+", replaces what earlier files set); pkg/util/args.go GetArgs then makes `--map[…]=true`
  // or `--=true` of a kube-apiserver-arg, which kube-apiserver refuses.
  const CASES: [string, Record<string, string>, RegExp][] = [
    ["kube-apiserver-arg a map", { "rancher/k3s/config.yaml": 'write-kubeconfig-mode: "0600"\nkube-apiserver-arg:\n  anonymous-auth: "true"\n  authorization-mode: AlwaysAllow\n' }, /config\.yaml:3: kube-apiserver-arg: a map/],
    ["kube-apiserver-arg an item that is a map", { "rancher/k3s/config.yaml": 'kube-apiserver-arg:\n  - anonymous-auth: "false"\n' }, /config\.yaml:2: kube-apiserver-arg\[0\]: a map/],
    ["kube-apiserver-arg an item that is null", { "rancher/k3s/config.yaml": "kube-apiserver-arg:\n  - profiling=false\n  -\n" }, /config\.yaml:3: kube-apiserver-arg\[1\]: no value/],
    [
      "a drop-in's null kube-apiserver-arg (it replaces the list before it)",
      { "rancher/k3s/config.yaml": "kube-apiserver-arg:\n  - anonymous-auth=true\n", "rancher/k3s/config.yaml.d/20-null.yaml": "kube-apiserver-arg:\n" },
      /20-null\.yaml:1: kube-apiserver-arg: no value/,
    ],
    ["kube-apiserver-arg+ a map", { "rancher/k3s/config.yaml": "kube-apiserver-arg+:\n  profiling: \"true\"\n" }, /config\.yaml:2: kube-apiserver-arg\+: a map/],
    ["a setting kubecis reads (data-dir) a map", { "rancher/k3s/config.yaml": "data-dir:\n  path: /srv/k3s\nkube-apiserver-arg: [profiling=false]\n" }, /config\.yaml:2: data-dir: a map/],
    ["a boolean setting (cluster-init) null", { "rancher/k3s/config.yaml": "cluster-init:\nkube-apiserver-arg: [profiling=false]\n" }, /config\.yaml:1: cluster-init: no value/],
    ["RKE2: kube-apiserver-arg a map", { "rancher/rke2/config.yaml": "profile: cis\nkube-apiserver-arg:\n  anonymous-auth: \"true\"\n" }, /config\.yaml:3: kube-apiserver-arg: a map/],
  ];

  it.each(CASES)("%s: every control reading a flag is error, naming file and line", (_, entries, place) => {
    const report = run(files(entries));
    expect(report.errors).toEqual([]);
    const [target] = apiTargets(report);
    expect(target!.diagnostics.some((d) => d.code === "incomplete-flags" && /kube-apiserver|k3s|RKE2/.test(d.message))).toBe(true);
    expectNoFlagVerdict(target!, place);
  });

  it("an empty `kube-apiserver-arg+:` appends nothing (k3s toSlice(nil)), and a plain string is one argument: both judged", () => {
    const report = run(
      files({
        "rancher/k3s/config.yaml": "kube-apiserver-arg: anonymous-auth=true\n",
        "rancher/k3s/config.yaml.d/10-empty.yaml": "kube-apiserver-arg+:\n",
      }),
    );
    const [target] = apiTargets(report);
    expect(target!.diagnostics.filter((d) => d.code === "incomplete-flags")).toEqual([]);
    expect(status(target!, "KAS-0001")).toBe("fail");
    expect(status(target!, "KAS-0005")).toBe("pass");
  });
});

describe("k3s/RKE2: the config file a server reads is the one --config (or <PROGRAM>_CONFIG_FILE) names", () => {
  // k3s pkg/configfilearg/parser.go findConfigFileFlag: the <PROGRAM>_CONFIG_FILE variable, else
  // --config/-c on the command line, else /etc/rancher/<program>/config.yaml; readConfigFile
  // reads that file and <file>.d/*.yaml, and no other.
  const ps = (command: string) => `UID PID PPID C STIME TTY TIME CMD\nroot 812 1 12 Dec01 ? 05:11:02 ${command}\n`;
  const HARDENED = "kube-apiserver-arg:\n  - anonymous-auth=false\n  - profiling=false\n";

  it.each([
    ["--config X", "/usr/local/bin/k3s server --config /opt/k3s/custom.yaml"],
    ["--config=X", "/usr/local/bin/k3s server --config=/opt/k3s/custom.yaml"],
    ["-c X", "/usr/local/bin/k3s server -c /opt/k3s/custom.yaml"],
  ])("server started with %s, given with rancher/k3s/config.yaml: incomplete-flags naming the file read; config.yaml is matched to no server", (_, command) => {
    const [line, config] = files({ "ps.txt": ps(command), "rancher/k3s/config.yaml": HARDENED });
    const report = run([line!, config!]);
    const targets = apiTargets(report);
    expect(targets).toHaveLength(1);
    expect(targets[0]!.source.path).toBe(line);
    expectNoFlagVerdict(targets[0]!, /ps\.txt:2: .*\/opt\/k3s\/custom\.yaml/);
    expect(report.errors).toEqual([expect.objectContaining({ kind: "input", file: config })]);
    expect(report.errors[0]!.message).toMatch(/no k3s server .* reads this file.*\/opt\/k3s\/custom\.yaml/);
  });

  it("server started with --config X, given with X (by name) and X.d drop-ins: merged and judged", () => {
    const [line, config, dropIn] = files({
      "ps.txt": ps("/usr/local/bin/k3s server --config /opt/k3s/custom.yaml"),
      "opt/k3s/custom.yaml": HARDENED,
      "opt/k3s/custom.yaml.d/10-anon.yaml": "kube-apiserver-arg+:\n  - anonymous-auth=true\n",
    });
    const report = run([line!, config!, dropIn!]);
    expect(report.errors).toEqual([]);
    const [target] = apiTargets(report);
    expect(target!.diagnostics.filter((d) => d.code === "incomplete-flags")).toEqual([]);
    expect(status(target!, "KAS-0005")).toBe("pass");
    expect(status(target!, "KAS-0001")).toBe("fail");
  });

  it.each([
    ["k3s", "K3S_CONFIG_FILE", "/usr/local/bin/k3s server", "rancher/k3s/config.yaml"],
    ["RKE2", "RKE2_CONFIG_FILE", "/usr/local/bin/rke2 server", "rancher/rke2/config.yaml"],
  ])("%s systemd unit with Environment=%s=…: the default config.yaml given is not the one read", (_, variable, exec, configName) => {
    const [unit, config] = files({
      "k3s.service": `[Service]\nEnvironment=${variable}=/opt/custom/server.yaml\nExecStart=${exec} --kube-apiserver-arg=profiling=false\n`,
      [configName]: HARDENED,
    });
    const report = run([unit!, config!]);
    const targets = apiTargets(report);
    expect(targets.map((t) => t.source.path)).toEqual([unit]);
    expectNoFlagVerdict(targets[0]!, /\/opt\/custom\/server\.yaml/);
    expect(report.errors.map((e) => e.file)).toEqual([config]);
  });

  it("a server without --config, given with rancher/k3s/config.yaml and its drop-ins: merged as before", () => {
    const [line, config] = files({ "ps.txt": ps("/usr/local/bin/k3s server --kube-apiserver-arg=profiling=false"), "rancher/k3s/config.yaml": HARDENED });
    const report = run([line!, config!]);
    expect(report.errors).toEqual([]);
    const [target] = apiTargets(report);
    expect(target!.diagnostics.filter((d) => d.code === "incomplete-flags")).toEqual([]);
    expect(status(target!, "KAS-0001")).toBe("pass");
  });
});

describe("RKE2: the flags RKE2 adds, under the conditions and on the releases it adds them", () => {
  const rke2 = (config: string) => files({ "rancher/rke2/config.yaml": config });
  const flags = (paths: string[], version: string) => {
    const { documents, errors } = normalizeInputs(paths, { kubernetesVersion: version });
    expect(errors).toEqual([]);
    const document = documents[0] as ApiServerConfig;
    return Object.fromEntries(Object.entries(document.flags).map(([k, f]) => [k, f.value]));
  };
  const AUDIT = ["KAS-0025", "KAS-0026", "KAS-0027", "KAS-0028", "KAS-0038"];

  // rke2 pkg/executor/staticpod/staticpod.go APIServer: --audit-policy-file and the
  // --audit-log-* flags only `if s.AuditPolicyFile != ""`, which CIS mode sets to the default
  // path and the audit-policy-file option sets (pkg/rke2/rke2_linux.go; since v1.21.3+rke2r2,
  // commit 3e817f17b; before it, CIS mode only).
  it("without profile: cis or audit-policy-file, RKE2 adds no audit flags: the audit controls fail", () => {
    const [target] = apiTargets(run(rke2('write-kubeconfig-mode: "0600"\n')));
    expect(AUDIT.map((id) => `${id} ${status(target!, id)}`)).toEqual(AUDIT.map((id) => `${id} fail`));
  });

  it("profile: cis adds them with the default policy path; audit-policy-file adds them with its own path", () => {
    expect(flags(rke2("profile: cis\n"), "1.33")).toMatchObject({
      "audit-policy-file": "/etc/rancher/rke2/audit-policy.yaml",
      "audit-log-path": "/var/lib/rancher/rke2/server/logs/audit.log",
      "audit-log-maxage": 30,
    });
    expect(flags(rke2("audit-policy-file: /etc/rancher/rke2/custom-audit.yaml\n"), "1.33")).toMatchObject({
      "audit-policy-file": "/etc/rancher/rke2/custom-audit.yaml",
      "audit-log-maxbackup": 10,
    });
    expect(flags(rke2("audit-policy-file: /etc/rancher/rke2/custom-audit.yaml\n"), "1.20")["audit-policy-file"]).toBeUndefined();
    expect(flags(rke2("pod-security-admission-config-file: /etc/rancher/rke2/psa.yaml\n"), "1.33")["admission-control-config-file"]).toBe("/etc/rancher/rke2/psa.yaml");
  });

  // rke2 pkg/cli/defaults/defaults.go Set prepends "enable-admission-plugins=NodeRestriction"
  // (up to v1.24: NodeRestriction,PodSecurityPolicy; commit 68e5e0ccc) to the kube-apiserver-arg
  // list, so GetArgs gives it and the user's value as two arguments, and the slice accumulates.
  it("a user's enable-admission-plugins accumulates with RKE2's NodeRestriction (k3s: replaces)", () => {
    const arg = "kube-apiserver-arg:\n  - enable-admission-plugins=AlwaysPullImages\n";
    expect(flags(rke2(`profile: cis\n${arg}`), "1.33")["enable-admission-plugins"]).toEqual(["NodeRestriction", "AlwaysPullImages"]);
    const [target] = apiTargets(run(rke2(`profile: cis\n${arg}`)));
    expect(status(target!, "KAS-0018")).toBe("pass");
    expect(flags(rke2(arg), "1.24.17")["enable-admission-plugins"]).toEqual(["NodeRestriction", "PodSecurityPolicy", "AlwaysPullImages"]);
    expect(status(apiTargets(run(rke2(arg), "1.24.17"))[0]!, "KAS-0019")).toBe("pass");
    expect(flags(files({ "rancher/k3s/config.yaml": arg }), "1.33")["enable-admission-plugins"]).toEqual(["AlwaysPullImages"]);
  });

  // staticpod.go APIServer, CIS mode: --service-account-extend-token-expiration=false, from
  // v1.31.14, v1.32.10, v1.33.6, v1.34.2 and v1.35.0 (commits a82622b19, 2f8b67450, da3b989c8,
  // 034652942, 89947de4a). Where the patch is not known, it depends on the release: warn.
  it.each([
    ["1.33.6", "profile: cis\n", "pass"],
    ["1.35.0", "profile: cis\n", "pass"],
    ["1.31.14", "profile: cis\n", "pass"],
    ["1.33.5", "profile: cis\n", "fail"],
    ["1.33", "profile: cis\n", "warn"],
    ["1.35.0", 'write-kubeconfig-mode: "0600"\n', "fail"],
  ])("Kubernetes %s, %s: KAS-0037 %s", (version, config, expected) => {
    expect(status(apiTargets(run(rke2(config), version))[0]!, "KAS-0037")).toBe(expected);
  });
});

describe("k3s/RKE2 journal: the last run, with its own release", () => {
  const at = (time: string, pid: number, msg: string) => `Dec 0${time} node k3s[${pid}]: time="2026-12-0${time}Z" level=info msg="${msg}"`;
  const RUNNING = "Running kube-apiserver --advertise-port=6443 --allow-privileged=true --anonymous-auth=false --authorization-mode=Node,RBAC --bind-address=127.0.0.1 --profiling=false --secure-port=6444";

  it("a last run that logged no Running kube-apiserver line: an input error naming its start, never the earlier run's flags", () => {
    const [journal] = files({
      "k3s.journal": [at("1 10:00:00", 100, "Starting k3s v1.30.4+k3s1 (98262b5d)"), at("1 10:00:02", 100, RUNNING), at("5 09:00:00", 200, "Starting k3s v1.33.1+k3s1 (99d91538)"), at("5 09:00:01", 200, "Reading config file /etc/rancher/k3s/config.yaml")].join("\n") + "\n",
    });
    const report = testInputs([journal!, SAMPLE], {}, kubecis);
    expect(report.errors).toEqual([expect.objectContaining({ kind: "input", file: journal, line: 3 })]);
    expect(report.errors[0]!.message).toMatch(/last run .*no "Running kube-apiserver" line/);
    expect(apiTargets(report).map((t) => t.source.path)).toEqual([SAMPLE]);
  });

  it("two runs: the flags and the release of the last one; k3s's own --advertise-port is no unknown flag", () => {
    const [journal] = files({
      "k3s.journal": [
        at("1 10:00:00", 100, "Starting k3s v1.30.4+k3s1 (98262b5d)"),
        at("1 10:00:02", 100, RUNNING.replace("--anonymous-auth=false", "--anonymous-auth=true")),
        at("5 09:00:00", 200, "Starting k3s v1.31.2+k3s1 (99d91538)"),
        at("5 09:00:02", 200, RUNNING),
      ].join("\n") + "\n",
    });
    const report = testInputs([journal!], {}, kubecis);
    expect(report.errors).toEqual([]);
    const [target] = apiTargets(report);
    expect(target!.source.line).toBe(4);
    expect(target!.kubernetesVersion.version).toBe("1.31.2");
    expect(status(target!, "KAS-0001")).toBe("pass");
    expect(target!.diagnostics.filter((d) => /advertise-port/.test(d.message))).toEqual([]);
  });

  it("a journal whose kube-apiserver line comes before the last start's: the start's version is not given to the older flags", () => {
    const [journal] = files({
      "k3s.journal": [at("1 10:00:02", 100, RUNNING), at("5 09:00:00", 200, "Starting k3s v1.33.1+k3s1 (99d91538)")].join("\n") + "\n",
    });
    const report = testInputs([journal!], {}, kubecis);
    expect(apiTargets(report)).toEqual([]);
    expect(report.errors[0]).toMatchObject({ kind: "input", file: journal, line: 2 });
  });
});

describe("systemd drop-ins: read with their unit, in systemd's order", () => {
  // systemd.unit(5) "Drop-in files": <unit>.d/*.conf are parsed after the unit, in the order of
  // their names; a later Environment= of a variable wins, an empty ExecStart= resets the list.
  const UNIT = `[Unit]\nDescription=kube-apiserver\n[Service]\nEnvironment="KUBE_API_ARGS=--anonymous-auth=false --authorization-mode=Node,RBAC"\nExecStart=/usr/local/bin/kube-apiserver $KUBE_API_ARGS --profiling=false\n`;

  it("a drop-in's Environment= replaces the unit's: the server runs the drop-in's flags", () => {
    const paths = files({
      "kube-apiserver.service": UNIT,
      "kube-apiserver.service.d/10-debug.conf": `[Service]\nEnvironment="KUBE_API_ARGS=--anonymous-auth=true --authorization-mode=AlwaysAllow"\n`,
    });
    const report = run(paths);
    expect(report.errors).toEqual([]);
    const targets = apiTargets(report);
    expect(targets).toHaveLength(1);
    expect(status(targets[0]!, "KAS-0001")).toBe("fail");
    expect(status(targets[0]!, "KAS-0002")).toBe("fail");
    expect(status(targets[0]!, "KAS-0005")).toBe("pass");
  });

  it("a drop-in's empty ExecStart= and its own ExecStart=: only that command is judged", () => {
    const paths = files({
      "kube-apiserver.service": UNIT,
      "kube-apiserver.service.d/override.conf": `[Service]\nExecStart=\nExecStart=/usr/local/bin/kube-apiserver --anonymous-auth=true --authorization-mode=AlwaysAllow\n`,
    });
    const report = run(paths);
    expect(report.errors).toEqual([]);
    const targets = apiTargets(report);
    expect(targets).toHaveLength(1);
    expect(status(targets[0]!, "KAS-0001")).toBe("fail");
    expect(targets[0]!.results.find((r) => r.id === "KAS-0001")!.evidence).toMatchObject({ flag: { origin: { file: paths[1] } } });
  });

  it("drop-ins apply by name order, whatever order they are given in", () => {
    const [unit, late, early] = files({
      "kube-apiserver.service": UNIT,
      "kube-apiserver.service.d/20-fix.conf": `[Service]\nEnvironment="KUBE_API_ARGS=--anonymous-auth=false --authorization-mode=Node,RBAC"\n`,
      "kube-apiserver.service.d/10-debug.conf": `[Service]\nEnvironment="KUBE_API_ARGS=--anonymous-auth=true --authorization-mode=AlwaysAllow"\n`,
    });
    const [target] = apiTargets(run([unit!, late!, early!]));
    expect(status(target!, "KAS-0001")).toBe("pass");
  });

  it("a drop-in given without its unit: an input error naming it, the other inputs judged", () => {
    const [dropIn] = files({ "kube-apiserver.service.d/10-debug.conf": `[Service]\nEnvironment="KUBE_API_ARGS=--anonymous-auth=true"\n` });
    const report = run([dropIn!, SAMPLE]);
    expect(report.errors).toEqual([expect.objectContaining({ kind: "input", file: dropIn })]);
    expect(report.errors[0]!.message).toMatch(/drop-in .*kube-apiserver\.service/);
    expect(apiTargets(report).map((t) => t.source.path)).toEqual([SAMPLE]);
  });
});

describe("k3s/RKE2: a config file with several YAML documents", () => {
  // k3s pkg/configfilearg/parser.go readConfigFile: yaml.Unmarshal (gopkg.in/yaml.v2) into a
  // MapSlice decodes the first document only; the others change nothing.
  it("only the first document is applied; a later one is a note, never judged", () => {
    const [config] = files({ "rancher/k3s/config.yaml": "kube-apiserver-arg: [authorization-mode=AlwaysAllow]\n---\nkube-apiserver-arg: [anonymous-auth=false]\n" });
    const report = run([config!]);
    const [target] = apiTargets(report);
    expect(apiTargets(report)).toHaveLength(1);
    expect(status(target!, "KAS-0002")).toBe("fail");
    expect(target!.diagnostics.some((d) => d.code === "ignored-setting" && d.origin.line === 3 && /first YAML document/.test(d.message))).toBe(true);
  });
});

describe("k3s/RKE2: built-in flags k3s leaves out for a user's structured configuration", () => {
  // k3s pkg/daemons/control/server.go apiServer: anonymous-auth=false only when no
  // authentication-config is in kube-apiserver-arg ("Not setting kube-apiserver 'anonymous-auth'
  // flag due to user-provided 'authentication-config' file"), the same for authorization-mode
  // and authorization-config. Leaving the built-in out never passes on a value k3s may not set.
  it("authentication-config: no built-in --anonymous-auth=false; authorization-config: no built-in --authorization-mode", () => {
    const { documents } = normalizeInputs(
      files({ "rancher/k3s/config.yaml": "kube-apiserver-arg:\n  - authentication-config=/etc/rancher/k3s/authn.yaml\n  - authorization-config=/etc/rancher/k3s/authz.yaml\n" }),
      { kubernetesVersion: "1.33" },
    );
    const document = documents[0] as ApiServerConfig;
    expect(document.flags["anonymous-auth"]).toBeUndefined();
    expect(document.flags["authorization-mode"]).toBeUndefined();
    expect(document.diagnostics.filter((d) => d.code === "conflicting-flags")).toEqual([]);
  });
});

it("a --config URL's credentials never reach a message", () => {
  const [line] = files({ "ps.txt": "UID PID PPID C STIME TTY TIME CMD\nroot 812 1 12 Dec01 ? 05:11:02 /usr/local/bin/k3s server --config https://admin:CANARYpw77@cfg.example/k3s.yaml\n" });
  const report = run([line!]);
  expect(JSON.stringify(report)).not.toContain("CANARYpw77");
  expect(apiTargets(report)[0]!.diagnostics.some((d) => d.code === "incomplete-flags" && /cfg\.example/.test(d.message))).toBe(true);
});
