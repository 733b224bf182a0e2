// Every control's verdict on three realistic configurations. Each expected status is written
// from CIS and Kubernetes (../shared/reference/cis-catalogue.md), not copied from the tool:
//  (a) the manifest kubeadm writes for v1.33 (profile cis-1.12),
//  (b) a kubeadm v1.19 control plane seen through `ps -ef` (profile cis-1.20),
//  (c) the same v1.33 manifest hardened to CIS 1.12 (files it references are not given).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubecis, testInputs } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import type { Result } from "../src/types.js";
import { runKubecis, SAMPLE } from "./helpers.js";

const V119 = join(packageRoot, "samples", "kubeadm-v1.19", "ps-ef.txt");
const HARDENED = join(packageRoot, "samples", "cis-hardened-v1.33", "kube-apiserver.yaml");
const kubecis = loadKubecis();

type Expected = Record<string, "pass" | "fail" | "warn" | "not-applicable" | "error">;

function verdicts(path: string, options: { kubernetesVersion?: string } = {}): Map<string, Result> {
  const report = testInputs([path], options, kubecis);
  expect(report.errors).toEqual([]);
  expect(report.targets).toHaveLength(1);
  return new Map(report.targets[0]!.results.map((r) => [r.id, r]));
}

function expectStatuses(results: Map<string, Result>, expected: Expected): void {
  expect([...results.keys()].sort()).toEqual(Object.keys(expected).sort());
  const actual = Object.fromEntries([...results].map(([id, r]) => [id, r.status]));
  expect(actual).toEqual(expected);
}

// Controls that no longer exist in current benchmarks (removed flags/plugins/gates, or
// dropped by CIS): outside cis-1.12, shown with their real status (profiles gate; they never hide).
const OBSOLETE_ON_1_33 = {
  "KAS-0006": "not-applicable", // --basic-auth-file: removed 1.19, CIS 1.5/1.6 only
  "KAS-0007": "not-applicable", // --insecure-allow-any-token: removed 1.8
  "KAS-0010": "not-applicable", // --kubelet-https: removed 1.22
  "KAS-0019": "not-applicable", // PodSecurityPolicy: removed 1.25
  "KAS-0020": "not-applicable", // SecurityContextDeny: removed 1.30
  "KAS-0021": "not-applicable", // --insecure-bind-address: removed 1.24
  "KAS-0022": "not-applicable", // --insecure-port: removed 1.24
  "KAS-0023": "pass", // --secure-port: dropped by CIS 1.8, still judged: kubeadm sets 6443
  "KAS-0024": "not-applicable", // --repair-malformed-updates: removed 1.14
  "KAS-0036": "not-applicable", // AdvancedAuditing gate: removed 1.28
} as const;

describe("(a) kubeadm v1.33 default manifest, cis-1.12", () => {
  const results = verdicts(SAMPLE);
  it("judges every control as CIS 1.12 and Kubernetes 1.33 defaults say", () => {
    expectStatuses(results, {
      ...OBSOLETE_ON_1_33,
      "KAS-0001": "fail", // anonymous-auth defaults to true
      "KAS-0002": "pass", // Node,RBAC
      "KAS-0003": "pass",
      "KAS-0004": "pass",
      "KAS-0005": "fail", // profiling defaults to true
      "KAS-0008": "pass", // no token file
      "KAS-0009": "fail", // DenyServiceExternalIPs is off by default; cis-1.12 wants it set
      "KAS-0011": "pass", // kubeadm sets the kubelet client cert/key
      "KAS-0012": "fail", // kubeadm does not set --kubelet-certificate-authority
      "KAS-0013": "fail", // EventRateLimit off by default
      "KAS-0014": "pass", // AlwaysAdmit not enabled
      "KAS-0015": "fail", // AlwaysPullImages off by default
      "KAS-0016": "pass", // ServiceAccount default-on
      "KAS-0017": "pass", // NamespaceLifecycle default-on
      "KAS-0018": "pass", // kubeadm enables NodeRestriction
      "KAS-0025": "fail", // no audit log
      "KAS-0026": "fail",
      "KAS-0027": "fail",
      "KAS-0028": "fail",
      "KAS-0029": "pass", // request-timeout default 1m0s
      "KAS-0030": "pass", // service-account-lookup defaults to true
      "KAS-0031": "pass", // sa.pub
      "KAS-0032": "pass", // etcd client cert/key
      "KAS-0033": "pass", // serving cert/key
      "KAS-0034": "pass", // client CA
      "KAS-0035": "pass", // etcd CA
      "KAS-0037": "fail", // extend-token-expiration defaults to true
      "KAS-0038": "fail", // no audit policy
      "KAS-0039": "fail", // no encryption at rest
      "KAS-0040": "fail",
      "KAS-0041": "fail", // no cipher list
      "KAS-0042": "warn", // no file metadata in a manifest's content
      "KAS-0043": "warn",
      "KAS-0044": "fail", // no audit policy at all
      "KAS-0045": "pass", // kube-apiserver 1.33 starts with this configuration
    });
  });
  it("says why obsolete controls do not apply, and marks every control outside cis-1.12", () => {
    expect(results.get("KAS-0022")).toMatchObject({
      status: "not-applicable",
      outside: "cis-1.12",
      reason: "--insecure-port was removed in 1.24 (the target runs 1.33; setting it stops kube-apiserver)",
    });
    const outside = [...results.values()].filter((r) => r.outside !== undefined).map((r) => r.id);
    expect(outside.sort()).toEqual(Object.keys(OBSOLETE_ON_1_33).sort());
  });
});

describe("(b) kubeadm v1.19 seen through ps -ef, cis-1.20", () => {
  const results = verdicts(V119, { kubernetesVersion: "1.19" });
  it("judges every control as CIS 1.20 and Kubernetes 1.19 defaults say", () => {
    expectStatuses(results, {
      "KAS-0001": "fail",
      "KAS-0002": "pass",
      "KAS-0003": "pass",
      "KAS-0004": "pass",
      "KAS-0005": "fail",
      "KAS-0006": "not-applicable", // CIS 1.20 dropped basic-auth (removed in 1.19)
      "KAS-0007": "not-applicable",
      "KAS-0008": "pass",
      "KAS-0009": "not-applicable", // DenyServiceExternalIPs is from CIS 1.23
      "KAS-0010": "pass", // --kubelet-https defaults to true
      "KAS-0011": "pass",
      "KAS-0012": "fail",
      "KAS-0013": "fail",
      "KAS-0014": "pass",
      "KAS-0015": "fail",
      "KAS-0016": "pass",
      "KAS-0017": "pass",
      "KAS-0018": "pass",
      "KAS-0019": "fail", // PodSecurityPolicy not enabled
      "KAS-0020": "fail", // neither SecurityContextDeny nor PodSecurityPolicy
      "KAS-0021": "pass", // no insecure bind address
      "KAS-0022": "pass", // kubeadm 1.19 sets --insecure-port=0
      "KAS-0023": "pass", // --secure-port=6443
      "KAS-0024": "not-applicable",
      "KAS-0025": "fail",
      "KAS-0026": "fail",
      "KAS-0027": "fail",
      "KAS-0028": "fail",
      "KAS-0029": "pass",
      "KAS-0030": "pass",
      "KAS-0031": "pass",
      "KAS-0032": "pass",
      "KAS-0033": "pass",
      "KAS-0034": "pass",
      "KAS-0035": "pass",
      "KAS-0036": "pass", // CIS 1.3/1.4 only (outside cis-1.20, judged all the same)
      "KAS-0037": "fail", // CIS 1.11+ (outside cis-1.20): --service-account-extend-token-expiration defaults to true
      "KAS-0038": "fail",
      "KAS-0039": "fail",
      "KAS-0040": "fail",
      "KAS-0041": "fail",
      "KAS-0042": "warn",
      "KAS-0043": "warn",
      "KAS-0044": "fail",
      "KAS-0045": "pass",
    });
  });
  it("uses the benchmark's own numbers", () => {
    expect(results.get("KAS-0005")!.frameworks).toEqual({ "cis-1.20": ["1.2.20"], "seed-2020": ["S08"] });
  });
});

describe("(c) CIS-hardened v1.33 manifest, cis-1.12", () => {
  const results = verdicts(HARDENED);
  it("passes every automated control; content checks need their files", () => {
    expectStatuses(results, {
      ...OBSOLETE_ON_1_33,
      ...Object.fromEntries(
        ["0001", "0002", "0003", "0004", "0005", "0008", "0009", "0011", "0012", "0014", "0015", "0016", "0017",
          "0018", "0025", "0026", "0027", "0028", "0029", "0030", "0031", "0032", "0033", "0034", "0035", "0037", "0038",
          "0039", "0041"].map((n) => [`KAS-${n}`, "pass"]),
      ),
      "KAS-0013": "warn", // EventRateLimit configuration not given
      "KAS-0040": "warn", // encryption configuration not given
      "KAS-0042": "warn", // file metadata not collected
      "KAS-0043": "warn",
      "KAS-0044": "warn", // audit policy not given
      "KAS-0045": "pass",
    });
  });
  it("judged against seed-2020, obsolete items say why they do not apply", () => {
    const seed = loadKubecis({ profile: "seed-2020" });
    const report = testInputs([HARDENED], { profile: "seed-2020" }, seed);
    const byId = new Map(report.targets[0]!.results.map((r) => [r.id, r]));
    expect(byId.get("KAS-0022")).toMatchObject({
      status: "not-applicable",
      reason: "--insecure-port was removed in 1.24 (the target runs 1.33; setting it stops kube-apiserver)",
    });
    expect(byId.get("KAS-0020")!.reason).toContain("SecurityContextDeny admission plugin was removed in 1.30");
    expect(byId.get("KAS-0023")!.status).toBe("pass");
    expect(byId.get("KAS-0009")).toMatchObject({ status: "pass", outside: "seed-2020" });
  });
});

describe("kubecis list -o json", () => {
  it("shows seed ids S01-S38 and CIS 1.12 controls 1.2.1-1.2.30", () => {
    const run = runKubecis(["list", "-o", "json"]);
    expect(run.status).toBe(0);
    const controls = JSON.parse(run.stdout) as { id: string; frameworks: Record<string, string[]> }[];
    const seed = new Set(controls.flatMap((c) => c.frameworks["seed-2020"] ?? []));
    const cis = new Set(controls.flatMap((c) => c.frameworks["cis-1.12"] ?? []));
    for (let n = 1; n <= 38; n++) expect(seed, `S${String(n).padStart(2, "0")}`).toContain(`S${String(n).padStart(2, "0")}`);
    for (let n = 1; n <= 30; n++) expect(cis, `1.2.${n}`).toContain(`1.2.${n}`);
    for (const id of ["1.1.1", "1.1.2", "3.2.1", "3.2.2"]) expect(cis).toContain(id);
    expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
    for (const c of controls) expect(c.id).toMatch(/^(KAS|KRB)-\d{4}$/);
  });
});

describe("kubecis test --data", () => {
  const scratch = mkdtempSync(join(tmpdir(), "kubecis-data-"));
  const write = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };

  it("judges against the overridden threshold and says it is not the CIS default", () => {
    const data = write("retention.yaml", "params:\n  audit-log-maxage: 90\n");
    const hardened = runKubecis(["test", HARDENED, "--data", data, "-o", "report"]);
    expect(hardened.status).toBe(1);
    const result = JSON.parse(hardened.stdout).targets[0].results.find((r: Result) => r.id === "KAS-0026");
    expect(result.status).toBe("fail");
    expect(result.reason).toBe("--audit-log-maxage=30: rotated audit logs are not kept long enough (at least 90 days required)");
    expect(result.evidence.threshold).toEqual({ parameter: "audit-log-maxage", value: 90, cisDefault: false });
  });

  it("reads JSON too, and a strict cipher list fails what cis-1.9 allows", () => {
    const data = write("strict.json", JSON.stringify({ params: { "tls-cipher-allowlist": "strict" } }));
    const fixture = join(packageRoot, "test/fixtures/apiserver/tls_cipher_suites_strong/pass/cbc_allowed_by_cis_1_9.yaml");
    const run = runKubecis(["test", fixture, "--data", data, "-o", "report"]);
    const result = JSON.parse(run.stdout).targets[0].results.find((r: Result) => r.id === "KAS-0041");
    expect(result.status).toBe("fail");
    expect(result.evidence.allowlist.name).toBe("strict");
  });

  it.each([
    ["unknown.yaml", "params:\n  audit-log-maxage: 90\n  audit-log-max-age: 3\n", 3, 'unknown parameter "audit-log-max-age"'],
    ["broken.yaml", "params: [\n", 2, "invalid YAML"],
    ["shape.yaml", "audit-log-maxage: 90\n", 1, "expected a `params` map"],
  ])("a bad data file (%s) is an input error naming file and line, once", (name, text, line, message) => {
    const data = write(name, text);
    const run = runKubecis(["test", SAMPLE, "--data", data]);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain(`kubecis: ${data}:${line}: --data: ${message}`);
    expect(run.stderr.split(data).length - 1).toBe(1);
  });
});

describe("kubecis explain", () => {
  it("prints one control with its ids, remediation and parameter defaults", () => {
    const run = runKubecis(["explain", "KAS-0026"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("KAS-0026  Audit log files are kept long enough");
    expect(run.stdout).toMatch(/cis-1\.12\s+1\.2\.17/);
    expect(run.stdout).toMatch(/cis-1\.5\s+1\.2\.23/);
    expect(run.stdout).toMatch(/seed-2020\s+S15/);
    expect(run.stdout).toContain("remediation: Set --audit-log-maxage to at least 30");
    expect(run.stdout).toContain("audit-log-maxage: 30");
  });

  it("says what a profile does as runs do it: outside its profiles a result keeps its status, shown apart, never gating (DESIGN 8)", () => {
    // KAS-0022 is only in seed-2020: under cis-1.12 it is reported outside, with its real status.
    const run = runKubecis(["test", join(packageRoot, "samples/kubeadm-v1.19/ps-ef.txt"), "--profile", "cis-1.12", "-o", "report"]);
    const result = JSON.parse(run.stdout).targets[0].results.find((r: { id: string }) => r.id === "KAS-0022");
    expect(result).toMatchObject({ outside: "cis-1.12" });
    expect(result.status).not.toBe("not-applicable");
    for (const id of ["KAS-0022", "KAS-0026", "KRB-0020"]) {
      const text = runKubecis(["explain", id]).stdout;
      expect(text, id).not.toMatch(/not applicable/);
      expect(text, id).toContain("shown apart with its real status");
      expect(text, id).toContain("does not set the exit code");
    }
    // kubecis's own RBAC risks say that they gate beside every profile, and how to show them apart.
    const risk = runKubecis(["explain", "KRB-0020"]).stdout;
    expect(risk).toMatch(/^ {2}rbac-risks +secrets-write$/m);
    expect(risk).toContain("it gates beside every profile; with the gate-rbac-risks parameter false");
  });

  it("rejects an unknown id as a usage error", () => {
    const run = runKubecis(["explain", "KAS-9999"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('unknown control "KAS-9999"');
  });
});

describe("docs/controls.md", () => {
  it("is generated from the current catalogue (run `make docs` after changing a control)", () => {
    const check = spawnSync(process.execPath, [join(packageRoot, "build", "docs.mjs"), "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    const page = readFileSync(join(packageRoot, "docs", "controls.md"), "utf8");
    for (const c of kubecis.catalog.controls) expect(page).toContain(`### ${c.id}`);
  });
});
