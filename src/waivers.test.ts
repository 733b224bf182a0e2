import { describe, expect, it } from "vitest";
import type { Report, Result, Target } from "./types.js";
import { globToRegExp } from "./globs.js";
import { applyWaivers, skipWaivers, todayUtc } from "./waivers.js";

function result(id: string, status: Result["status"], cis: string[]): Result {
  return { id, status, title: id, severity: "high", frameworks: { "cis-1.12": cis, "seed-2020": ["S01"] }, evidence: {} };
}

function report(results: Result[], path = "clusters/dev/kube-apiserver.yaml", node?: string): Report {
  const target = {
    source: { path, format: "pod-manifest" },
    kind: "ApiServerConfig",
    kubernetesVersion: { version: "1.33.0", source: "test" },
    profile: { name: "cis-1.12", reason: "test" },
    diagnostics: [],
    results,
    summary: { fail: 0, error: 0, warn: 0, pass: 0, "not-applicable": 0 },
    ...(node ? { node } : {}),
  } as Target;
  return { apiVersion: "kubecis.dev/v1alpha1", kind: "Report", tool: { name: "kubecis", version: "0", bundleRevision: "0" }, targets: [target], errors: [], summary: target.summary };
}

describe("waivers", () => {
  it("match ids, CIS sections (not mere prefixes) and seed ids", () => {
    const r = report([result("KAS-0001", "fail", ["1.2.1"]), result("KAS-0002", "fail", ["1.2.15"]), result("KAS-0003", "fail", ["1.25"]), result("KAS-0004", "warn", ["3.1"])]);
    applyWaivers(r, skipWaivers(["1.2", "KAS-0004"]), "2026-01-01");
    expect(r.targets[0]!.results.map((x) => Boolean(x.waived))).toEqual([true, true, false, true]);
    expect(r.waived).toBe(3);
    const seed = report([result("KAS-0001", "fail", ["1.2.1"])]);
    applyWaivers(seed, skipWaivers(["S01"]), "2026-01-01");
    expect(seed.waived).toBe(1);
  });

  it("match kubecis's rbac-risks names, which gate beside every profile", () => {
    const risk = { ...result("KRB-0020", "fail", []), frameworks: { "rbac-risks": ["secrets-write"] } };
    const r = report([risk, result("KRB-0019", "fail", [])]);
    applyWaivers(r, skipWaivers(["secrets-write"]), "2026-01-01");
    expect(r.targets[0]!.results.map((x) => Boolean(x.waived))).toEqual([true, false]);
  });

  it("apply through their expiry day and not after", () => {
    const rule = { controls: ["KAS-0001"], reason: "r", expires: "2026-03-31", source: "f#1" };
    const on = report([result("KAS-0001", "fail", [])]);
    applyWaivers(on, [rule], "2026-03-31");
    expect(on.targets[0]!.results[0]!.waived).toEqual({ reason: "r", expires: "2026-03-31", source: "f#1" });
    const after = report([result("KAS-0001", "fail", [])]);
    applyWaivers(after, [rule], "2026-04-01");
    expect(after.targets[0]!.results[0]!.waived).toBeUndefined();
    expect(after.targets[0]!.results[0]!.waiverExpired).toEqual({ reason: "r", expires: "2026-03-31", source: "f#1" });
  });

  it("never cover passes or errors", () => {
    const r = report([result("KAS-0001", "pass", []), result("KAS-0002", "error", [])]);
    applyWaivers(r, skipWaivers(["KAS-0001,KAS-0002"]), "2026-01-01");
    expect(r.waived).toBe(0);
  });

  it("scope by node", () => {
    const rule = { controls: ["KAS-0001"], nodes: ["cp-1"], reason: "r", source: "f#1" };
    const other = report([result("KAS-0001", "fail", [])], "a.yaml", "cp-2");
    applyWaivers(other, [rule], "2026-01-01");
    expect(other.waived).toBe(0);
    const mine = report([result("KAS-0001", "fail", [])], "a.yaml", "cp-1");
    applyWaivers(mine, [rule], "2026-01-01");
    expect(mine.waived).toBe(1);
    expect(mine.nodes).toEqual([{ node: "cp-1", targets: 1, summary: { fail: 1, error: 0, warn: 0, pass: 0, "not-applicable": 0 }, waived: 1 }]);
  });

  it("globs: * within a segment, ** across", () => {
    expect(globToRegExp("clusters/*/kube-apiserver.yaml").test("clusters/dev/kube-apiserver.yaml")).toBe(true);
    expect(globToRegExp("clusters/*/kube-apiserver.yaml").test("clusters/dev/x/kube-apiserver.yaml")).toBe(false);
    expect(globToRegExp("clusters/**/kube-apiserver.yaml").test("clusters/dev/x/kube-apiserver.yaml")).toBe(true);
    expect(globToRegExp("clusters/**/kube-apiserver.yaml").test("clusters/kube-apiserver.yaml")).toBe(true);
    expect(globToRegExp("**").test("/etc/kubernetes/manifests/kube-apiserver.yaml")).toBe(true);
    expect(globToRegExp("a.yaml").test("aXyaml")).toBe(false);
  });

  it("today is UTC", () => {
    expect(todayUtc(new Date("2026-05-01T23:30:00-05:00"))).toBe("2026-05-02");
  });
});
