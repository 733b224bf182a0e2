// The Kubernetes version of a target, decided from evidence (issue 16, DESIGN decision 1),
// through the public API on real input files.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubecis, type ApiServerConfig, normalizeInputs, renderText, testInputs } from "../src/index.js";
import { packageRoot } from "../src/paths.js";

const seed = loadKubecis({ profile: "seed-2020" });
const input = (...parts: string[]) => join(packageRoot, "test", "inputs", ...parts);

describe("distribution releases are not Kubernetes versions", () => {
  it("a k3s 0.x journal is judged as the Kubernetes version it printed", () => {
    const { documents, errors } = normalizeInputs([input("journal-k3s-0.x", "k3s.log")]);
    expect(errors).toEqual([]);
    expect(documents[0]!.kubernetesVersion).toMatchObject({ version: "1.13.5", major: 1, minor: 13, source: expect.stringContaining("v1.13.5-k3s.1") });
  });

  it("without the printed version, the k3s release goes through the release table", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-k3s0-"));
    const lines = readFileSync(input("journal-k3s-0.x", "k3s.log"), "utf8").split("\n").filter((l) => !l.includes("Version: "));
    writeFileSync(join(dir, "k3s.log"), lines.join("\n"));
    const { documents } = normalizeInputs([join(dir, "k3s.log")]);
    expect(documents[0]!.kubernetesVersion).toMatchObject({ minor: 13, source: expect.stringContaining("k3s version v0.3.0 ships Kubernetes 1.13") });
  });
});

describe("the flags are version evidence", () => {
  const ps = (args: string) => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-range-"));
    writeFileSync(join(dir, "kube-apiserver.ps"), `root 1 0 0 10:00 ? 00:00:01 kube-apiserver --authorization-mode=Node,RBAC ${args}\n`);
    return join(dir, "kube-apiserver.ps");
  };

  it("no version information + a removed flag set: below its removal, with the reason, in the source and the text header", () => {
    const { documents } = normalizeInputs([ps("--insecure-port=8080")]);
    const v = documents[0]!.kubernetesVersion;
    expect(v).toMatchObject({ version: null, range: { below: 24 } });
    expect(v.source).toContain("below 1.24 (--insecure-port is set");
    const report = testInputs([ps("--insecure-port=8080")], {}, seed);
    const s06 = report.targets[0]!.results.find((r) => r.id === "KAS-0022")!;
    expect(s06).toMatchObject({ status: "fail", reason: "--insecure-port=8080: the API server serves unauthenticated HTTP requests" });
    expect(renderText(report, { colour: false })).toContain("below 1.24 (--insecure-port is set");
  });

  it("an added flag bounds from below; every reason is listed", () => {
    const v = normalizeInputs([ps("--authentication-config=/a.yaml --enable-admission-plugins=NodeRestriction")]).documents[0]!.kubernetesVersion;
    expect(v.range).toMatchObject({ from: 29 });
    expect(v.range!.reasons).toEqual([
      "1.29 or later (--authentication-config is set; added in 1.29)",
      "1.10 or later (--enable-admission-plugins is set; added in 1.10)",
    ]);
  });

  it("an explicit version the flags contradict: the control fails and the target has a diagnostic", () => {
    const report = testInputs([ps("--insecure-port=0")], { kubernetesVersion: "1.30" }, seed);
    const target = report.targets[0]!;
    expect(target.diagnostics).toMatchObject([{ code: "version-contradiction", flag: "insecure-port" }]);
    expect(target.results.find((r) => r.id === "KAS-0022")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("kube-apiserver 1.30 does not start with --insecure-port (removed in 1.24)"),
    });
  });

  it("unknown version, flag not set: never judged with the pre-1.24 default; the split is spelled out", () => {
    const report = testInputs([ps("")], {}, seed);
    expect(report.targets[0]!.results.find((r) => r.id === "KAS-0022")).toMatchObject({
      status: "warn",
      reason: expect.stringContaining("fail below 1.20, pass 1.20-1.23, not-applicable from 1.24; give --kubernetes-version"),
    });
  });

  it("a distribution's built-in defaults (kubecis's model) are not evidence", () => {
    // k3s's built-in arguments include --encryption-provider-config-automatic-reload (1.26);
    // what the user wrote (--enable-admission-plugins, 1.10) is evidence.
    const document = normalizeInputs([input("k3s")]).documents[0] as ApiServerConfig;
    expect(document.flags["encryption-provider-config-automatic-reload"]?.origin.source).toMatch(/built-in default/);
    expect(document.kubernetesVersion.range).toEqual({ from: 10, reasons: ["1.10 or later (--enable-admission-plugins is set; added in 1.10)"] });
  });
});
