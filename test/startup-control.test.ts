// Contradictions no control of their own reads were only text notes: exit 0, absent from every
// conftest format (review F4). KAS-0045 ("kube-apiserver starts with this configuration")
// lists them all and gates beside every profile. Real CLI, real files.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiServerPod, caseWriter, runKubecis } from "./helpers.js";

const files = caseWriter(mkdtempSync(join(tmpdir(), "kubecis-startup-")));

const HARD = ["--anonymous-auth=false", "--profiling=false", "--authorization-mode=Node,RBAC"];

function pod(tag: string, args: string[]): string {
  return files({ "pod.yaml": apiServerPod(`registry.k8s.io/kube-apiserver${tag}`, [...HARD, ...args]) })[0]!;
}

function startup(path: string, profile?: string): { status: number; result: { status: string; reason: string; outside?: string } } {
  const run = runKubecis(["test", path, "-o", "report", ...(profile ? ["--profile", profile] : [])]);
  expect(run.stderr).toBe("");
  const t = (JSON.parse(run.stdout) as { targets: { results: { id: string; status: string; reason: string; outside?: string }[] }[] }).targets[0]!;
  return { status: run.status, result: t.results.find((r) => r.id === "KAS-0045")! };
}

describe("KAS-0045: kube-apiserver starts with this configuration", () => {
  it("a removed flag no control reads (--logtostderr on 1.30) fails and gates, in every output", () => {
    const path = pod(":v1.30.0", ["--logtostderr=true"]);
    const { status, result } = startup(path);
    expect(result).toMatchObject({ status: "fail", reason: expect.stringMatching(/^kube-apiserver 1\.30 does not start with --logtostderr \(removed in 1\.26\)/) });
    expect(result.outside).toBeUndefined();
    expect(status).toBe(1);
    const json = runKubecis(["test", path, "-o", "json"]);
    expect(json.status).toBe(1);
    expect(json.stdout).toContain("KAS-0045: kube-apiserver 1.30 does not start with --logtostderr");
  });

  it("flags no version accepts together fail, whatever the profile", () => {
    const path = pod("", ["--insecure-port=0", "--encryption-provider-config-automatic-reload=true"]);
    for (const profile of [undefined, "seed-2020", "cis-1.12"]) {
      const { status, result } = startup(path, profile);
      expect(result.status, profile).toBe("fail");
      expect(result.reason).toMatch(/no Kubernetes version accepts these flags together/);
      expect(result.outside).toBeUndefined();
      expect(status).toBe(1);
    }
  });

  it("a plugin the version lacks with no control of its own (DenyEscalatingExec on 1.21) fails", () => {
    const { result } = startup(pod(":v1.21.0", ["--enable-admission-plugins=DenyEscalatingExec,NodeRestriction"]));
    expect(result).toMatchObject({ status: "fail", reason: expect.stringContaining("DenyEscalatingExec named by --enable-admission-plugins (removed in 1.21)") });
  });

  it("a flag kubecis does not know is a warning shown under the profile (check the spelling)", () => {
    const path = pod(":v1.30.0", ["--profilng=false"]);
    const { result } = startup(path);
    expect(result).toMatchObject({ status: "warn", reason: expect.stringContaining("kubecis does not know --profilng: check the spelling") });
    expect(result.outside).toBeUndefined();
    expect(runKubecis(["test", path, "-o", "json"]).stdout).toContain("KAS-0045: kube-apiserver does not start with a flag it does not know");
  });

  it("a configuration the version accepts passes", () => {
    expect(startup(pod(":v1.30.0", [])).result.status).toBe("pass");
  });
});
