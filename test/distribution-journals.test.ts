// A k3s/RKE2 journal's "Running kube-apiserver" line as the server really runs it. k3s logs the
// argument list it hands to its embedded kube-apiserver unchanged (k3s pkg/daemons/control
// server.go apiServer logs it, pkg/daemons/executor/embed.go APIServer runs those args). RKE2
// logs the same line before its static-pod executor changes the list (rke2
// pkg/executor/staticpod/staticpod.go APIServer): it drops --advertise-port and
// --basic-auth-file and prepends, depending on options the line does not show (profile,
// audit-policy-file, pod-security-admission-config-file), the audit flags,
// --service-account-extend-token-expiration=false and --admission-control-config-file. A flag
// the line sets keeps its value (prepended flags lose: last wins); one it lacks that RKE2 may
// add is unknown: the controls reading it are `error`, never a fail (or pass) from the line.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import type { Target } from "../src/types.js";
import { caseWriter } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-journals-"));
const files = caseWriter(scratch);
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

const line = (program: string, pid: number, msg: string) => `Dec 05 09:00:0${pid % 10} node ${program}[${pid}]: time="2026-12-05T09:00:00Z" level=info msg="${msg}"`;
const running = (data: string, audience: string, extra = "") =>
  `Running kube-apiserver --advertise-port=6443 --allow-privileged=true --anonymous-auth=false --api-audiences=https://kubernetes.default.svc.cluster.local,${audience} --authorization-mode=Node,RBAC --client-ca-file=${data}/server/tls/client-ca.crt --enable-admission-plugins=NodeRestriction --profiling=false --secure-port=6443${extra}`;
const judge = (text: string): Target => {
  const report = testInputs(files({ "server.journal": text }), {}, kubecis);
  expect(report.errors).toEqual([]);
  return report.targets.find((t) => t.kind === "ApiServerConfig")!;
};
const result = (target: Target, id: string) => target.results.find((r) => r.id === id)!;
// The controls of the flags RKE2 may add after the line: extend-token (KAS-0037), audit
// (KAS-0025..0028, KAS-0038), the admission configuration (EventRateLimit, KAS-0010).
const ADDED_BY_RKE2 = ["KAS-0037", "KAS-0025", "KAS-0026", "KAS-0027", "KAS-0028", "KAS-0038"];

const RKE2 = "/var/lib/rancher/rke2";
const K3S = "/var/lib/rancher/k3s";
const JOURNALS: [string, string][] = [
  ["an RKE2 journal with its start line", [line("rke2", 200, "Starting rke2 v1.33.6+rke2r1 (1a2b3c4d)"), line("rke2", 200, running(RKE2, "rke2"))].join("\n")],
  ["an RKE2 journal without a start line (rke2[pid] on the line)", line("rke2", 201, running(RKE2, "rke2"))],
  ["a bare line (journalctl -o cat) of RKE2", `time="2026-12-05T09:00:00Z" level=info msg="${running(RKE2, "rke2")}"`],
  ["a bare line that names neither k3s nor RKE2", `time="2026-12-05T09:00:00Z" level=info msg="${running("/srv/cluster", "custom")}"`],
];

describe("RKE2 journal: the flags RKE2 adds after logging the line are not judged from it", () => {
  it.each(JOURNALS)("%s: those controls are error, naming RKE2's static pod; the line's own flags are judged", (_, text) => {
    const target = judge(text + "\n");
    for (const id of ADDED_BY_RKE2) {
      const r = result(target, id);
      expect(`${id} ${r.status}`).toBe(`${id} error`);
      expect(r.reason).toMatch(/RKE2/);
      expect(r.reason).toMatch(/static pod/);
    }
    expect(result(target, "KAS-0001").status).toBe("pass");
    expect(result(target, "KAS-0005").status).toBe("pass");
  });

  it("a flag the line itself sets keeps its value: RKE2's prepended flag loses to it", () => {
    const extra = " --audit-policy-file=/etc/rancher/rke2/custom-audit.yaml --audit-log-path=/var/log/audit.log --audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100 --service-account-extend-token-expiration=true";
    const target = judge([line("rke2", 200, "Starting rke2 v1.33.6+rke2r1 (1a2b3c4d)"), line("rke2", 200, running(RKE2, "rke2", extra))].join("\n") + "\n");
    expect(result(target, "KAS-0037").status).toBe("fail");
    for (const id of ["KAS-0025", "KAS-0026", "KAS-0027", "KAS-0028"]) expect(`${id} ${result(target, id).status}`).toBe(`${id} pass`);
  });

  it("--basic-auth-file, which k3s added on old releases, is dropped by RKE2: not judged as set", () => {
    const extra = ` --basic-auth-file=${RKE2}/server/cred/passwd`;
    const target = judge([line("rke2", 200, "Starting rke2 v1.18.12+rke2r1 (1a2b3c4d)"), line("rke2", 200, running(RKE2, "rke2", extra))].join("\n") + "\n");
    expect(result(target, "KAS-0006").status).not.toBe("fail");
    expect(result(target, "KAS-0006").evidence).not.toMatchObject({ flag: { set: true } });
  });

  it("a k3s journal: k3s runs the line's arguments as logged, so each control is judged from it", () => {
    const target = judge([line("k3s", 100, "Starting k3s v1.33.6+k3s1 (1a2b3c4d)"), line("k3s", 100, running(K3S, "k3s"))].join("\n") + "\n");
    expect(target.diagnostics.filter((d) => d.code === "incomplete-flags")).toEqual([]);
    for (const id of ADDED_BY_RKE2) expect(`${id} ${result(target, id).status}`).toBe(`${id} fail`);
  });
});
