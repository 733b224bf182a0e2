// Judging over the range (issue 16, DESIGN decision 1), for every API-server control at once:
// with the version unknown, a control's verdict is the one it gets on every minor the target
// may run when that is the same everywhere, otherwise `warn` with the split spelled out. The
// per-minor verdicts are the control's own, with the version given (--kubernetes-version), so
// no control that reads a per-version fact (a flag's default or removal, a default-on or
// removed admission plugin, a feature gate) can judge an unknown version with one version's facts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubecis, testInputs } from "../src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-range-"));
const kubecis = loadKubecis();

/** A static Pod whose image has no tag: nothing but the flags says the version. */
function podFile(name: string, args: string[]): string {
  const file = join(scratch, `${name}.yaml`);
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-apiserver", namespace: "kube-system" },
    spec: { containers: [{ name: "kube-apiserver", image: "example.com/apiserver", command: ["kube-apiserver", ...args] }] },
  };
  writeFileSync(file, JSON.stringify(pod));
  return file;
}

const COMMON = ["--secure-port=6443", "--authorization-mode=Node,RBAC"];
const CASES: [string, string[]][] = [
  ["nothing-set", []],
  ["psp-enabled", ["--enable-admission-plugins=PodSecurityPolicy,NodeRestriction"]],
  ["scd-enabled", ["--enable-admission-plugins=SecurityContextDeny"]],
  ["defaults-disabled", ["--disable-admission-plugins=ServiceAccount,NamespaceLifecycle"]],
  ["legacy-list", ["--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction"]],
  ["external-ips", ["--enable-admission-plugins=DenyServiceExternalIPs"]],
  ["auditing-off", ["--feature-gates=AdvancedAuditing=false"]],
  ["insecure-port-set", ["--insecure-port=0", "--kubelet-https=true"]],
];

type Result = { id: string; status: string; reason?: string };

function judge(file: string, version?: string): { results: Result[]; range?: { from?: number; below?: number } } {
  const report = testInputs([file], version ? { kubernetesVersion: version } : {}, kubecis);
  expect(report.errors).toEqual([]);
  expect(report.targets).toHaveLength(1);
  const target = report.targets[0]! as unknown as { results: Result[]; kubernetesVersion?: { range?: { from?: number; below?: number } } };
  return { results: target.results, range: target.kubernetesVersion?.range };
}

describe("an unknown version is judged over every minor it may be", () => {
  it.each(CASES)("%s", (name, args) => {
    const file = podFile(name, [...COMMON, ...args]);
    const unknown = judge(file);
    const from = unknown.range?.from ?? 0;
    const below = unknown.range?.below ?? 37;
    const perMinor = new Map<string, string[]>();
    for (let m = from; m < below; m++) {
      for (const r of judge(file, `1.${m}`).results) perMinor.set(r.id, [...(perMinor.get(r.id) ?? []), r.status]);
    }
    const problems: string[] = [];
    for (const r of unknown.results) {
      // KAS-0009 asks what the active benchmark asks of DenyServiceExternalIPs: an unknown
      // version is judged by the newest benchmark (cis-1.12: set it), each known minor by its
      // own (cis-1.23 and cis-1.24: leave it out), so the two may differ by design.
      if (r.id === "KAS-0009" && name === "external-ips") continue;
      const statuses = perMinor.get(r.id) ?? [];
      expect(statuses).toHaveLength(below - from);
      const uniform = new Set(statuses).size === 1;
      const want = uniform ? statuses[0] : "warn";
      if (r.status !== want) problems.push(`${r.id}: ${r.status}, want ${want} (per minor from 1.${from}: ${statuses.join(" ")})`);
      else if (!uniform && !/give --kubernetes-version/.test(r.reason ?? "")) problems.push(`${r.id}: warn without the split: ${r.reason}`);
    }
    expect(problems).toEqual([]);
  });
});

it("spells the split out", () => {
  const { results } = judge(podFile("split", COMMON));
  const reason = (id: string) => results.find((r) => r.id === id)?.reason;
  expect(reason("KAS-0019")).toMatch(/PodSecurityPolicy admission plugin is not named .* and the version is unknown: fail below 1\.25, not-applicable from 1\.25; give --kubernetes-version/);
});
