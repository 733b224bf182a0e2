// Admission plugin and feature gate names are version evidence (DESIGN decision 1): kube-apiserver
// refuses a plugin name it does not register and a gate it does not know, so a named plugin or
// gate bounds an unknown version as a set flag does (data.kubecis.admission added/removed,
// data.kubecis.features removed and first default), and on a known version that lacks it the
// target gets a version-contradiction diagnostic, also for a plugin with no control of its own.
// Real CLI, real files.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiServerPod, caseWriter, runKubecis } from "./helpers.js";

const files = caseWriter(mkdtempSync(join(tmpdir(), "kubecis-named-")));

interface Target {
  kubernetesVersion: { version: string | null; range?: { from?: number; below?: number; reasons: string[] } };
  diagnostics: { code: string; message: string }[];
  results: { id: string; status: string; reason?: string }[];
}

function judge(tag: string, args: string[]): Target {
  const [path] = files({ "pod.yaml": apiServerPod(`registry.k8s.io/kube-apiserver${tag}`, args) });
  const run = runKubecis(["test", path!, "-o", "report"]);
  expect(run.stderr).toBe("");
  return (JSON.parse(run.stdout) as { targets: Target[] }).targets[0]!;
}

const status = (t: Target, id: string) => t.results.find((r) => r.id === id)!.status;

describe("plugin and gate names bound an unknown version", () => {
  it("PodSecurityPolicy named: below 1.25, so KAS-0019 passes instead of warning", () => {
    const t = judge("", ["--enable-admission-plugins=PodSecurityPolicy,NodeRestriction"]);
    expect(t.kubernetesVersion.range).toMatchObject({ below: 25 });
    expect(t.kubernetesVersion.range!.reasons).toContain("below 1.25 (PodSecurityPolicy named by --enable-admission-plugins; removed in 1.25)");
    expect(status(t, "KAS-0019")).toBe("pass");
  });

  it("DenyServiceExternalIPs named (even disabled): 1.21 or later", () => {
    const t = judge("", ["--disable-admission-plugins=DenyServiceExternalIPs"]);
    expect(t.kubernetesVersion.range).toMatchObject({ from: 21 });
  });

  it("a removed gate named: below its removal, so KAS-0036 judges AdvancedAuditing=false as fail", () => {
    const t = judge("", ["--feature-gates=kube:AdvancedAuditing=false"]);
    expect(t.kubernetesVersion.range).toMatchObject({ below: 28 });
    expect(status(t, "KAS-0036")).toBe("fail");
  });

  it("a gate named before it existed: from its first minor", () => {
    const t = judge("", ["--feature-gates=StructuredAuthorizationConfiguration=true"]);
    expect(t.kubernetesVersion.range).toMatchObject({ from: 29 });
  });

  it("names no version has together: the no-version diagnostic", () => {
    const t = judge("", ["--enable-admission-plugins=PodSecurityPolicy", "--authentication-config=/etc/a.yaml"]);
    expect(t.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/^no Kubernetes version accepts these flags together: below 1\.25 \(PodSecurityPolicy named by/));
  });
});

describe("a known version that lacks a named plugin or gate is a contradiction", () => {
  it("DenyEscalatingExec on 1.21 (no control of its own): a version-contradiction diagnostic", () => {
    const t = judge(":v1.21.0", ["--enable-admission-plugins=DenyEscalatingExec,NodeRestriction"]);
    expect(t.diagnostics).toContainEqual(
      expect.objectContaining({ code: "version-contradiction", message: expect.stringMatching(/^kube-apiserver 1\.21 does not start with DenyEscalatingExec named by --enable-admission-plugins \(removed in 1\.21\)/) }),
    );
  });

  it("AdvancedAuditing on 1.28: a version-contradiction diagnostic", () => {
    const t = judge(":v1.28.0", ["--feature-gates=AdvancedAuditing=true"]);
    expect(t.diagnostics.map((d) => d.code)).toContain("version-contradiction");
  });
});
