// Fail closed (DESIGN decision 9): what kube-apiserver would do with a value that is empty,
// missing, an unexpanded variable or a malformed list is judged, never taken as a pass.
// Each block is one class of input, tried over every control that reads the affected flag.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFlagTable, loadKubecis, renderText, testInputs, type Kubecis } from "../src/index.js";
import { readBundle } from "../src/engine/bundle.js";
import { packageRoot, wasmBundlePath } from "../src/paths.js";
import { paramProblem } from "../src/scan.js";
import type { Report, Result, Target } from "../src/types.js";
import { runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-failclosed-"));
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

/** kubeadm 1.33's flags: a hardened baseline the cases below add to or replace. */
const BASE = [
  "--authorization-mode=Node,RBAC",
  "--client-ca-file=/etc/kubernetes/pki/ca.crt",
  "--enable-admission-plugins=NodeRestriction",
  "--secure-port=6443",
  "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
  "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
];

interface ContainerShape {
  command?: unknown;
  args?: unknown;
  env?: unknown;
}

let counter = 0;
function podFile(containers: unknown[]): string {
  const path = join(scratch, `pod-${counter++}.yaml`);
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-apiserver", namespace: "kube-system" },
    spec: { containers },
  };
  writeFileSync(path, stringify(pod));
  return path;
}
const container = (shape: ContainerShape) => ({ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.0", ...shape });
const judgeReport = (args: string[]): Report => {
  const report = testInputs([podFile([container({ command: ["kube-apiserver", ...args] })])], {}, kubecis);
  expect(report.targets).toHaveLength(1);
  return report;
};
const judge = (args: string[]): Target => judgeReport(args).targets[0]!;
const readers = (flag: string) => kubecis.catalog.controls.filter((c) => (c.flags ?? []).includes(flag));
const statusOf = (target: Target, id: string): Result => target.results.find((r) => r.id === id)!;
/** The verdict, also for a control outside the profile (reported not-applicable, verdict kept). */
const verdict = (target: Target, id: string): { status: string; reason: string } => {
  const r = statusOf(target, id);
  const outside = r.evidence["outsideProfile"] as { status: string; reason: string } | undefined;
  return outside ?? { status: r.status, reason: r.reason ?? "" };
};
const TABLE = loadFlagTable();
const judgedFlags = () => [...new Set(kubecis.catalog.controls.flatMap((c) => c.flags ?? []))].filter((f) => TABLE.has(f));

describe("a valued flag with no value", () => {
  it("is an error, with the reason, for every control that reads it (kube-apiserver: flag needs an argument)", () => {
    const wrong: string[] = [];
    for (const flag of judgedFlags().filter((f) => TABLE.get(f)!.type !== "bool")) {
      const report = judgeReport([...BASE.filter((a) => !a.startsWith(`--${flag}=`)), `--${flag}`]);
      const target = report.targets[0]!;
      expect(target.diagnostics.some((d) => d.code === "missing-value" && d.flag === flag)).toBe(true);
      for (const control of readers(flag)) {
        const r = verdict(target, control.id);
        if (r.status !== "error" || !/needs an argument/.test(r.reason)) wrong.push(`--${flag}: ${control.id} ${r.status} ${r.reason}`);
      }
      const text = renderText(report, { colour: false } as never);
      if (/undefined/.test(text)) wrong.push(`--${flag}: the text report says "undefined"`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("a refused value followed by a good one", () => {
  it.each([
    ["profiling", ["--profiling=maybe", "--profiling=false"]],
    ["secure-port", ["--secure-port=abc", "--secure-port=6443"]],
    ["authorization-mode", ["--authorization-mode=Rbac", "--authorization-mode=Node,RBAC"]],
  ])("--%s: pflag stops at the first, kube-apiserver does not start: error", (flag, args) => {
    const target = judge([...BASE.filter((a) => !a.startsWith(`--${flag}=`)), ...args]);
    for (const control of readers(flag)) expect(verdict(target, control.id).status, control.id).toBe("error");
  });
});

describe("an empty value", () => {
  it("of a string flag without a default is judged as kube-apiserver reads it: the same as not set", () => {
    const wrong: string[] = [];
    for (const flag of judgedFlags().filter((f) => TABLE.get(f)!.type === "string" && TABLE.get(f)!.default === undefined && !TABLE.get(f)!.removed)) {
      const without = BASE.filter((a) => !a.startsWith(`--${flag}=`));
      const absent = judge(without);
      const empty = judge([...without, `--${flag}=`]);
      for (const control of readers(flag)) {
        const a = statusOf(absent, control.id).status;
        const e = statusOf(empty, control.id).status;
        if (a !== e) wrong.push(`--${flag}=: ${control.id} is ${e}, not set it is ${a}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("--audit-log-path= writes no audit log: the audit controls fail", () => {
    const target = judge([...BASE, "--audit-log-path=", "--audit-log-maxage=30"]);
    for (const control of readers("audit-log-path")) expect(statusOf(target, control.id).status).toBe("fail");
  });

  it("--authorization-mode= stops kube-apiserver (at least one authorization-mode must be passed)", () => {
    const target = judge([...BASE.filter((a) => !a.startsWith("--authorization-mode")), "--authorization-mode="]);
    for (const control of readers("authorization-mode")) {
      const r = verdict(target, control.id);
      expect(r.status, control.id).toBe("error");
      expect(r.reason).toMatch(/--authorization-mode: at least one value must be passed/);
    }
  });

  it("--tls-cipher-suites= is Go's default list: judged as when it is not set", () => {
    const absent = judge(BASE);
    const empty = judge([...BASE, "--tls-cipher-suites="]);
    for (const control of readers("tls-cipher-suites")) {
      expect(statusOf(empty, control.id).status).toBe(statusOf(absent, control.id).status);
    }
  });
});

describe("lists with empty, padded or quoted items (pflag reads slices as one CSV record)", () => {
  const withMode = (mode: string) => judge([...BASE.filter((a) => !a.startsWith("--authorization-mode")), `--authorization-mode=${mode}`]);
  it.each(["Node, RBAC,AlwaysAllow ", "RBAC,,Node", "Node,RBAC ", "RBAC,Node,RBAC", "\"Node,RBAC\"", "Node,Rbac"])(
    "--authorization-mode=%s is a mode kube-apiserver refuses: error, never pass",
    (mode) => {
      const target = withMode(mode);
      expect(target.diagnostics.some((d) => d.code === "invalid-value" && d.flag === "authorization-mode")).toBe(true);
      for (const control of readers("authorization-mode")) expect(verdict(target, control.id).status, control.id).toBe("error");
    },
  );

  it("quoted CSV fields are read as pflag reads them", () => {
    const target = withMode('"Node","RBAC"');
    for (const control of readers("authorization-mode")) expect(statusOf(target, control.id).status, control.id).toBe("pass");
  });

  it.each(["enable-admission-plugins", "disable-admission-plugins", "tls-cipher-suites"])("--%s with an empty or padded item is an error", (flag) => {
    for (const value of ["NodeRestriction, AlwaysPullImages", "NodeRestriction,,AlwaysPullImages", " NodeRestriction"]) {
      const target = judge([...BASE.filter((a) => !a.startsWith(`--${flag}=`)), `--${flag}=${value}`]);
      expect(target.diagnostics.some((d) => d.code === "invalid-value" && d.flag === flag), value).toBe(true);
      for (const control of readers(flag)) expect(verdict(target, control.id).status, `${control.id} ${value}`).toBe("error");
    }
  });
});

describe("shell variables in a `sh -c` command", () => {
  const shell = (script: string, env?: unknown) =>
    testInputs([podFile([container({ command: ["/bin/sh", "-c", script], ...(env ? { env } : {}) })])], {}, kubecis).targets[0]!;
  const script = (mode: string) => `exec kube-apiserver ${BASE.filter((a) => !a.startsWith("--authorization-mode")).join(" ")} --authorization-mode=${mode}`;
  const authz = (target: Target) => readers("authorization-mode").map((c) => statusOf(target, c.id).status);

  it("a ${VAR:-default} the container does not set takes its default", () => {
    const target = shell(script("${AUTHZ:-AlwaysAllow}"));
    expect(target.results.find((r) => r.id === "KAS-0002")!.status).toBe("fail");
    expect(target.diagnostics.filter((d) => d.code === "unresolved-variable")).toEqual([]);
  });

  it("a variable the container's env sets with a literal value is expanded", () => {
    const target = shell(script("${AUTHZ:-AlwaysAllow}"), [{ name: "AUTHZ", value: "Node,RBAC" }]);
    expect(authz(target).every((s) => s === "pass")).toBe(true);
    const plain = shell(script("$AUTHZ"), [{ name: "AUTHZ", value: "Node,RBAC" }]);
    expect(authz(plain).every((s) => s === "pass")).toBe(true);
  });

  it.each([
    ["$AUTHZ", undefined],
    ["${AUTHZ}", [{ name: "AUTHZ", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }]],
    ["$(cat /etc/authz)", undefined],
    ["`cat /etc/authz`", undefined],
    ["${AUTHZ:?unset}", undefined],
  ])("%s that cannot be resolved is an unresolved-variable diagnostic and an error", (mode, env) => {
    const target = shell(script(mode), env);
    expect(target.diagnostics.some((d) => d.code === "unresolved-variable")).toBe(true);
    expect(authz(target).every((s) => s === "error")).toBe(true);
  });

  it("single quotes keep a $ literal, as the shell does (and kube-apiserver refuses the mode)", () => {
    const target = shell(script("'$AUTHZ'"), [{ name: "AUTHZ", value: "Node,RBAC" }]);
    expect(authz(target).every((s) => s === "error")).toBe(true);
  });
});

describe("options and data files that cannot be understood", () => {
  const file = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };
  const sample = join(packageRoot, "samples", "kubeadm-v1.33", "kube-apiserver.yaml");

  it.each([
    ["null", "params:\n  audit-log-maxage: null\n", 'parameter "audit-log-maxage": expected a whole number of 0 or more, got null'],
    ["negative", "params:\n  audit-log-maxsize: -5\n", 'parameter "audit-log-maxsize": expected a whole number of 0 or more, got number -5'],
    ["a string for a number", "params:\n  audit-log-maxbackup: '10'\n", 'parameter "audit-log-maxbackup": expected a whole number'],
    ["a fraction", "params:\n  request-timeout-max-seconds: 2.5\n", 'parameter "request-timeout-max-seconds": expected a whole number'],
    ["a map for a list", "params:\n  required-admission-plugins: {a: b}\n", 'parameter "required-admission-plugins": expected a list of names, got a map'],
    ["a list with a null", "params:\n  required-admission-plugins: [NodeRestriction, null]\n", 'parameter "required-admission-plugins": expected a list of names'],
    ["an unknown allow-list", "params:\n  tls-cipher-allowlist: lenient\n", 'parameter "tls-cipher-allowlist": expected "benchmark", "strict" or a list'],
    ["a numeric mode", "params:\n  manifest-max-mode: 600\n", 'parameter "manifest-max-mode": expected octal mode bits'],
    ["a word for a switch", "params:\n  gate-rbac-risks: 'no'\n", 'parameter "gate-rbac-risks": expected true or false, got string "no"'],
  ])("--data with %s: exit 4 naming the file, line and parameter", (_, text, message) => {
    const data = file(`data-${counter++}.yaml`, text);
    const run = runKubecis(["test", sample, "--data", data]);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain(`kubecis: ${data}:2: --data: ${message}`);
  });

  it("every parameter's default is accepted, and null refused, by the shape check", () => {
    const defaults = (readBundle(wasmBundlePath).data as { kubecis: { params: Record<string, unknown> } }).kubecis.params;
    expect(Object.keys(defaults).length).toBeGreaterThan(10);
    for (const [key, value] of Object.entries(defaults)) {
      expect(paramProblem(key, value, value), key).toBeUndefined();
      expect(paramProblem(key, null, value), key).toMatch(/got null$/);
    }
  });

  it.each(["2027-13-45", "2027-02-30", "'2027-02-29'", "2027-2-3"])("a waiver expiring %s (not a real date) is an input error, not rolled over", (date) => {
    const exceptions = file(`exceptions-${counter++}.yaml`, `kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: r\n    expires: ${date}\n`);
    const run = runKubecis(["test", sample, "--exceptions", exceptions]);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain(exceptions);
    expect(run.stderr).toContain(`expires must be a date YYYY-MM-DD (a real calendar date), got "${date.replace(/'/g, "")}"`);
  });

  it("a waiver expiring on a real leap day is read", () => {
    const exceptions = file(`exceptions-${counter++}.yaml`, "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005]\n    reason: r\n    expires: 2028-02-29\n");
    const run = runKubecis(["test", sample, "--exceptions", exceptions, "-o", "report"]);
    const r = JSON.parse(run.stdout).targets[0].results.find((x: Result) => x.id === "KAS-0005");
    expect(r.waived).toMatchObject({ expires: "2028-02-29" });
  });

  it.each([["KAS-9999"], ["1.2.999"], ["9"], ["S99"]])("--skip %s, which no control has, is a usage error (exit 3) naming it", (id) => {
    const run = runKubecis(["test", sample, "--skip", `KAS-0001,${id}`]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`"${id}"`);
    expect(run.stderr).not.toContain('"KAS-0001"');
  });

  it("an exceptions entry naming no control is a warning on stderr naming the file and entry; the run goes on", () => {
    const exceptions = file(`exceptions-${counter++}.yaml`, "kind: Exceptions\nexceptions:\n  - controls: [KAS-0005, KAS-9999]\n    reason: r\n");
    const run = runKubecis(["test", sample, "--exceptions", exceptions, "-o", "report"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`kubecis: warning: ${exceptions}#1: "KAS-9999": no control has this id`);
    expect(JSON.parse(run.stdout).targets[0].results.find((x: Result) => x.id === "KAS-0005").waived).toBeDefined();
  });
});

describe("a Pod whose containers, command or args have the wrong shape", () => {
  const good = container({ command: ["kube-apiserver", ...BASE] });
  it.each([
    ["args is a string", [container({ command: ["kube-apiserver"], args: "--anonymous-auth=false" })], "spec.containers[0].args: expected a list of strings, got a string", 12],
    ["command is a number", [container({ command: 6443 })], "spec.containers[0].command: expected a list of strings, got a number", 10],
    ["a command item is a number", [container({ command: ["kube-apiserver", "--secure-port", 6443] })], "spec.containers[0].command[2]: expected a string, got a number", 13],
    ["a container is null", [good, null], "spec.containers[1]: expected a container (a mapping), got null", 18],
    ["containers is a string", "kube-apiserver", "spec.containers: expected a list of containers, got a string", 7],
  ])("%s: an input error naming the field and line; the other inputs are still judged", (_, containers, message, line) => {
    const bad = Array.isArray(containers) ? podFile(containers) : join(scratch, `pod-${counter++}.yaml`);
    if (!Array.isArray(containers)) {
      writeFileSync(bad, stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "kube-apiserver", namespace: "kube-system" }, spec: { containers } }));
    }
    const other = podFile([good]);
    const report = testInputs([bad, other], {}, kubecis);
    expect(report.errors).toContainEqual(expect.objectContaining({ file: bad, line, message: expect.stringContaining(message) }));
    expect(report.targets.map((t) => t.source.path)).toContain(other);
    expect(report.targets.find((t) => t.source.path === other)!.results.length).toBeGreaterThan(0);
  });

  it("containers: [null] among other documents of the same file: the other Pod is judged", () => {
    const path = join(scratch, `pods-${counter++}.yaml`);
    const pod = (containers: unknown) => stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers } });
    writeFileSync(path, `${pod([null])}---\n${pod([good])}`);
    const report = testInputs([path], {}, kubecis);
    expect(report.errors).toContainEqual(expect.objectContaining({ file: path, line: 7, message: expect.stringContaining("spec.containers[0]: expected a container") }));
    expect(report.targets).toHaveLength(1);
  });
});

// kubelet expands $(VAR) in command and args from the container's env before anything runs
// (pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs; third_party/forked/golang/
// expansion Expand: $(NAME) defined -> its value, $$ -> $, anything else as written), and each
// env value from the entries before it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables).
describe("kubelet $(VAR) references in command and args", () => {
  const run = (command: string[], env?: unknown, extra: Record<string, unknown> = {}) =>
    testInputs([podFile([container({ command, ...(env ? { env } : {}), ...extra })])], {}, kubecis).targets[0]!;
  const literal = (value: string) => ({ name: "X", value });

  it("a reference to an env value is expanded: judged exactly like the literal argv", () => {
    const cases: [string[], unknown[], string[]][] = [
      [["--enable-admission-plugins=NodeRestriction,$(EXTRA)"], [{ name: "EXTRA", value: "AlwaysAdmit" }], ["--enable-admission-plugins=NodeRestriction,AlwaysAdmit"]],
      [["--authorization-mode=$(B)"], [{ name: "A", value: "Node" }, { name: "B", value: "$(A),RBAC" }], ["--authorization-mode=Node,RBAC"]],
      [["--authorization-mode=$(X)"], [literal("RBAC"), literal("AlwaysAllow")], ["--authorization-mode=AlwaysAllow"]],
      [["--anonymous-auth=$(X)", "--audit-log-maxage=$$3$$0"], [literal("false")], ["--anonymous-auth=false", "--audit-log-maxage=$3$0"]],
      [["--profiling=$(X", "--audit-log-path=$X$"], [literal("false")], ["--profiling=$(X", "--audit-log-path=$X$"]],
    ];
    for (const [args, env, expanded] of cases) {
      const ours = run(["kube-apiserver", ...BASE, ...args], env);
      const plain = run(["kube-apiserver", ...BASE, ...expanded]);
      expect(ours.results.map((r) => [r.id, r.status]), args.join(" ")).toEqual(plain.results.map((r) => [r.id, r.status]));
      expect(ours.diagnostics.filter((d) => d.code === "unresolved-variable"), args.join(" ")).toEqual([]);
    }
    expect(statusOf(run(["kube-apiserver", ...BASE, "--enable-admission-plugins=NodeRestriction,$(EXTRA)"], [{ name: "EXTRA", value: "AlwaysAdmit" }]), "KAS-0014").status).toBe("fail");
    // $$ escapes: kube-apiserver gets the text $(X), whatever X is.
    const escaped = run(["kube-apiserver", ...BASE, "--audit-log-path=/var/log/$$(X).log"], [literal("a")]);
    expect(escaped.diagnostics.filter((d) => d.code === "unresolved-variable")).toEqual([]);
    expect(statusOf(escaped, "KAS-0025").evidence["flag"]).toMatchObject({ value: "/var/log/$(X).log" });
  });

  const unknown: [string, unknown, Record<string, unknown>?][] = [
    ["not defined", undefined],
    ["from a ConfigMap", [{ name: "X", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }]],
    ["from a Secret", [{ name: "X", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }]],
    ["from a field", [{ name: "X", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } }]],
    ["from a later entry", [{ name: "X", value: "$(Y)" }, { name: "Y", value: "true" }]],
    ["possibly from envFrom", undefined, { envFrom: [{ configMapRef: { name: "apiserver-env" } }] }],
  ];
  it.each(unknown)("a value %s is unresolved: a diagnostic and an error for every control reading the flag", (_, env, extra) => {
    const wrong: string[] = [];
    for (const flag of judgedFlags()) {
      const target = run(["kube-apiserver", ...BASE.filter((a) => !a.startsWith(`--${flag}=`)), `--${flag}=$(X)`], env, extra);
      if (!target.diagnostics.some((d) => d.code === "unresolved-variable" && d.flag === flag)) wrong.push(`--${flag}: no unresolved-variable diagnostic`);
      for (const control of readers(flag)) {
        const r = verdict(target, control.id);
        if (r.status !== "error") wrong.push(`--${flag}: ${control.id} ${r.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("kubelet expands before the shell reads the script", () => {
    const script = `exec kube-apiserver ${BASE.filter((a) => !a.startsWith("--authorization-mode")).join(" ")} --authorization-mode=$(MODE)`;
    const target = run(["/bin/sh", "-c", script], [{ name: "MODE", value: "AlwaysAllow" }]);
    expect(statusOf(target, "KAS-0002").status).toBe("fail");
    expect(target.diagnostics.filter((d) => d.code === "unresolved-variable")).toEqual([]);
  });

  it("a shell default never hides a variable the container may set (valueFrom, envFrom)", () => {
    const script = `exec kube-apiserver ${BASE.filter((a) => !a.startsWith("--authorization-mode")).join(" ")} --authorization-mode=\${MODE:-Node,RBAC}`;
    for (const [env, extra] of [[[{ name: "MODE", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }], {}], [undefined, { envFrom: [{ secretRef: { name: "s" } }] }]] as const) {
      const target = run(["/bin/sh", "-c", script], env, extra);
      expect(statusOf(target, "KAS-0002").status).toBe("error");
    }
  });
});
