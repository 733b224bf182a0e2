// "The argv may be incomplete" is never a pass (DESIGN decision 9). Each case is an input whose
// visible flags are hardened while kube-apiserver may get more: a variable standing for whole
// arguments that cannot be expanded, an environment file that was not given, a process line
// cut short, a k3s/RKE2 command line without the config files k3s always reads. Every control
// that reads a flag must then be `error`, naming the place and the reason, whatever the flags
// seen would give; controls that read no flag, and the other inputs of the run, are judged.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import type { Target } from "../src/types.js";
import { SAMPLE, caseWriter, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-incomplete-"));
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

/** A hardened flag set: every flag control passes on it alone (checked below). */
const HARD = [
  "--advertise-address=192.168.56.10",
  "--authorization-mode=Node,RBAC",
  "--client-ca-file=/etc/kubernetes/pki/ca.crt",
  "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
  "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
  "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
  "--etcd-servers=https://127.0.0.1:2379",
  "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
  "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
  "--secure-port=6443",
  "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
  "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
  "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
  "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
  "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
  "--anonymous-auth=false",
  "--profiling=false",
  "--enable-admission-plugins=NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs",
  "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
  "--audit-log-path=/var/log/kubernetes/audit/audit.log",
  "--audit-log-maxage=30",
  "--audit-log-maxbackup=10",
  "--audit-log-maxsize=100",
  "--service-account-extend-token-expiration=false",
];

/** Each case's files, in a fresh directory (relative name → text); their paths, in order. */
const files = caseWriter(scratch);

const psLine = (command: string) => `UID PID PPID C STIME TTY TIME CMD\nroot 1234 1100 5 10:00 ? 00:10:00 ${command}\n`;
/** A process line of exactly `width` characters (padded inside a long --cors-allowed-origins). */
function psLineOfWidth(width: number, tail: string): string {
  const head = `root 1234 1100 5 10:00 ? 00:10:00 kube-apiserver ${HARD.join(" ")} --cors-allowed-origins=`;
  const line = `${head}${"a".repeat(width - head.length - tail.length)}${tail}`;
  expect(line).toHaveLength(width);
  return `UID PID PPID C STIME TTY TIME CMD\n${line}\n`;
}
const pod = (command: string[]) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-apiserver", namespace: "kube-system" },
    spec: { containers: [{ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.0", command }] },
  });

/** Each case: the input files, and a fragment the reason must hold (the place and the reason). */
const CASES: [string, () => string[], RegExp][] = [
  [
    "systemd: $KUBE_EXTRA_ARGS from an EnvironmentFile that was not given",
    () =>
      files({
        "kube-apiserver.service": `[Service]\nEnvironmentFile=-/etc/kubernetes/extra.env\nExecStart=/usr/local/bin/kube-apiserver $KUBE_EXTRA_ARGS \\\n  ${HARD.join(" \\\n  ")}\n`,
      }),
    /kube-apiserver\.service:3.*KUBE_EXTRA_ARGS.*extra\.env/,
  ],
  [
    "systemd: a later EnvironmentFile that was not given may override KUBE_API_ARGS",
    () =>
      files({
        "kas.service": "[Service]\nEnvironmentFile=/etc/kubernetes/apiserver.env\nEnvironmentFile=-/etc/kubernetes/apiserver.local\nExecStart=/usr/local/bin/kube-apiserver $KUBE_API_ARGS\n",
        "apiserver.env": `KUBE_API_ARGS="${HARD.join(" ")}"\n`,
      }),
    /kas\.service:4.*KUBE_API_ARGS.*apiserver\.local/,
  ],
  [
    "systemd: ${KUBE_EXTRA_ARGS} as a word of its own, its file not given",
    () =>
      files({
        "kube-apiserver.service": `[Service]\nEnvironmentFile=/etc/sysconfig/kube-apiserver\nExecStart=/usr/local/bin/kube-apiserver ${HARD.join(" ")} \${KUBE_EXTRA_ARGS}\n`,
      }),
    /kube-apiserver\.service.*KUBE_EXTRA_ARGS/,
  ],
  [
    "systemd: $KUBE_EXTRA_ARGS passed from the service manager's environment (PassEnvironment=)",
    () =>
      files({
        "kube-apiserver.service": `[Service]\nPassEnvironment=KUBE_EXTRA_ARGS\nExecStart=/usr/local/bin/kube-apiserver ${HARD.join(" ")} $KUBE_EXTRA_ARGS\n`,
      }),
    /kube-apiserver\.service:3.*KUBE_EXTRA_ARGS.*PassEnvironment/,
  ],
  [
    "Pod: sh -c with $EXTRA_ARGS the container env does not set (it may come from the image)",
    () => files({ "pod.json": pod(["/bin/sh", "-c", `exec kube-apiserver ${HARD.join(" ")} $EXTRA_ARGS`]) }),
    /pod\.json.*EXTRA_ARGS/,
  ],
  ["ps: a line of exactly 4096 characters", () => files({ "cut.ps": psLineOfWidth(4096, " --token-auth-f") }), /cut\.ps:2.*4096/],
  ["ps: a line ending in an ellipsis (systemctl status)", () => files({ "cut.ps": psLineOfWidth(1500, " --token-auth-f…") }), /cut\.ps:2.*ellipsis/],
  [
    "k3s journal: a Running kube-apiserver line journalctl ellipsized",
    () => files({ "k3s.log": `Dec 07 10:00:00 node k3s[900]: time="2026-12-07T10:00:00Z" level=info msg="Running kube-apiserver ${HARD.join(" ")} --token-auth-f…"\n` }),
    /k3s\.log:1.*ellipsis/,
  ],
  [
    "cmdline: a dump of exactly 4096 bytes",
    () => {
      const head = ["kube-apiserver", ...HARD, "--cors-allowed-origins="].join("\0");
      return files({ "cmdline": `${head}${"a".repeat(4096 - head.length)}` });
    },
    /cmdline.*4096/,
  ],
  [
    "k3s: a server command line without /etc/rancher/k3s/config.yaml",
    () => files({ "k3s.ps": psLine("/usr/local/bin/k3s server --kube-apiserver-arg=profiling=false --kube-apiserver-arg=anonymous-auth=false") }),
    /k3s\.ps:2.*\/etc\/rancher\/k3s\/config\.yaml/,
  ],
  [
    "RKE2: a server command line without /etc/rancher/rke2/config.yaml",
    () => files({ "rke2.ps": psLine("/usr/local/bin/rke2 server --kube-apiserver-arg=profiling=false") }),
    /rke2\.ps:2.*\/etc\/rancher\/rke2\/config\.yaml/,
  ],
];

// KAS-0045 (kubecis-startup) declares no flag of its own: it reads every flag the document has.
const readsFlags = (c: { flags?: string[]; frameworks: Record<string, unknown> }) => (c.flags ?? []).length > 0 || c.frameworks["kubecis-startup"] !== undefined;
const flagControls = () => kubecis.catalog.controls.filter((c) => c.component === "apiserver" && readsFlags(c));
const flagless = () => kubecis.catalog.controls.filter((c) => c.component === "apiserver" && !readsFlags(c));
const apiServerTarget = (paths: string[]): Target => {
  const report = testInputs(paths, { kubernetesVersion: "1.33" }, kubecis);
  expect(report.errors).toEqual([]);
  const targets = report.targets.filter((t) => t.kind === "ApiServerConfig");
  expect(targets).toHaveLength(1);
  return targets[0]!;
};

describe("flags that may be missing or overridden", () => {
  it("the hardened flags alone pass every flag control (the cases below differ only by what is hidden)", () => {
    const target = apiServerTarget(files({ "hard.ps": psLine(`kube-apiserver ${HARD.join(" ")}`) }));
    const passed = flagControls().filter((c) => target.results.find((r) => r.id === c.id)?.status === "pass");
    // Most controls pass on these flags; the cases below must turn every one of them into error.
    expect(passed.length).toBeGreaterThan(20);
  });

  it.each(CASES)("%s: no control reading a flag passes, fails or warns: error, naming the place and reason", (_, make, place) => {
    const target = apiServerTarget(make());
    const incomplete = target.diagnostics.filter((d) => d.code === "incomplete-flags");
    expect(incomplete.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const control of flagControls()) {
      const r = target.results.find((x) => x.id === control.id)!;
      // not-applicable rests on the known version (1.33), which hidden flags cannot change.
      if (r.status === "not-applicable" && /was removed in/.test(r.reason ?? "")) continue;
      if (r.status !== "error" || !/flags may be missing or overridden/.test(r.reason ?? "") || !place.test(r.reason ?? "")) {
        wrong.push(`${control.id} ${r.status}: ${r.reason}`);
      }
    }
    expect(wrong).toEqual([]);
    for (const control of flagless()) {
      const r = target.results.find((x) => x.id === control.id)!;
      expect(r.reason ?? "", control.id).not.toMatch(/flags may be missing/);
    }
  });

  it("systemd: a variable set nowhere, in a unit whose environment files were all given, expands to nothing (as systemd does)", () => {
    const target = apiServerTarget(
      files({
        "kube-apiserver.service": `[Service]\nEnvironmentFile=/etc/kubernetes/apiserver.env\nExecStart=/usr/local/bin/kube-apiserver $KUBE_EXTRA_ARGS $KUBE_API_ARGS\n`,
        "apiserver.env": `KUBE_API_ARGS="${HARD.join(" ")}"\n`,
      }),
    );
    expect(target.diagnostics.filter((d) => d.code === "incomplete-flags")).toEqual([]);
    expect(target.results.find((r) => r.id === "KAS-0001")!.status).toBe("pass");
    expect(target.diagnostics.some((d) => d.code === "unresolved-variable" && /KUBE_EXTRA_ARGS.*nothing/.test(d.message))).toBe(true);
  });

  it("systemd: UnsetEnvironment= removes a variable last, so its flags are not there (as systemd does)", () => {
    const target = apiServerTarget(
      files({
        "kube-apiserver.service": `[Service]\nEnvironmentFile=/etc/kubernetes/apiserver.env\nUnsetEnvironment=KUBE_API_ARGS\nExecStart=/usr/local/bin/kube-apiserver $KUBE_API_ARGS\n`,
        "apiserver.env": `KUBE_API_ARGS="${HARD.join(" ")}"\n`,
      }),
    );
    expect(target.diagnostics.filter((d) => d.code === "incomplete-flags")).toEqual([]);
    // kube-apiserver runs with no flags: anonymous requests are allowed by default.
    expect(target.results.find((r) => r.id === "KAS-0001")!.status).toBe("fail");
  });

  it("a failing flag seen beside hidden arguments is error too, and the reason keeps what the flags seen show", () => {
    const target = apiServerTarget(files({ "pod.json": pod(["/bin/sh", "-c", `exec kube-apiserver ${HARD.join(" ")} --profiling=true $EXTRA_ARGS`]) }));
    const profiling = target.results.find((r) => r.id === kubecis.catalog.controls.find((c) => (c.flags ?? []).includes("profiling"))!.id)!;
    expect(profiling.status).toBe("error");
    expect(profiling.reason).toMatch(/the flags seen \(they give: fail, /);
  });

  it("the CLI exits 4 and still judges the other inputs of the run", () => {
    const [unit] = files({
      "kube-apiserver.service": `[Service]\nEnvironmentFile=-/etc/kubernetes/extra.env\nExecStart=/usr/local/bin/kube-apiserver $KUBE_EXTRA_ARGS ${HARD.join(" ")}\n`,
    });
    const run = runKubecis(["test", unit!, SAMPLE, "-o", "report"]);
    expect(run.status).toBe(4);
    const report = JSON.parse(run.stdout) as { targets: Target[] };
    const bySource = (path: string) => report.targets.find((t) => t.source.path === path)!;
    expect(bySource(SAMPLE).results.some((r) => r.status === "pass")).toBe(true);
    expect(bySource(SAMPLE).results.some((r) => /flags may be missing/.test(r.reason ?? ""))).toBe(false);
    expect(bySource(unit!).results.filter((r) => r.status === "pass" && (kubecis.catalog.controls.find((c) => c.id === r.id)?.flags ?? []).length > 0)).toEqual([]);
  });
});
