// The CLI as users run it: a real process, real files, documented exit codes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { FIXTURES, SAMPLE, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-cli-"));
function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
const HARDENED = scratchFile(
  "hardened.ps",
  "root 1 0 0 09:00 ? 00:00:01 /usr/local/bin/kube-apiserver --anonymous-auth=false --profiling=false --authorization-mode=Node,RBAC" +
    " --enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs" +
    " --admission-control-config-file=/etc/kubernetes/admission.yaml --kubelet-client-certificate=/pki/kc.crt" +
    " --kubelet-client-key=/pki/kc.key --kubelet-certificate-authority=/pki/ca.crt --audit-log-path=/var/log/audit.log" +
    " --audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100 --audit-policy-file=/etc/kubernetes/audit.yaml" +
    " --service-account-key-file=/pki/sa.pub --etcd-certfile=/pki/etcd.crt --etcd-keyfile=/pki/etcd.key --etcd-cafile=/pki/etcd-ca.crt" +
    " --tls-cert-file=/pki/apiserver.crt --tls-private-key-file=/pki/apiserver.key --client-ca-file=/pki/ca.crt" +
    " --encryption-provider-config=/etc/kubernetes/enc.yaml --service-account-extend-token-expiration=false" +
    " --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n",
);

describe("kubecis test", () => {
  it("reports the bundled sample with correct statuses and evidence (-o report)", () => {
    const run = runKubecis(["test", SAMPLE, "-o", "report"]);
    expect(run.status).toBe(ExitCode.Failures);
    const report = JSON.parse(run.stdout);
    expect(report.kind).toBe("Report");
    const [target] = report.targets;
    expect(target.kubernetesVersion).toMatchObject({ version: "1.33.0", source: "image tag registry.k8s.io/kube-apiserver:v1.33.0" });
    expect(target.profile).toEqual({ name: "cis-1.12", reason: "Kubernetes 1.33 maps to cis-1.12" });
    const byId = Object.fromEntries(target.results.map((r: { id: string }) => [r.id, r]));
    expect(byId["KAS-0001"]).toMatchObject({
      status: "fail",
      frameworks: { "cis-1.12": ["1.2.1"], "seed-2020": ["S01"] },
      evidence: { flag: { flag: "anonymous-auth", set: false, value: true, default: true } },
    });
    expect(byId["KAS-0003"]).toMatchObject({
      status: "pass",
      evidence: { flag: { flag: "authorization-mode", set: true, value: ["Node", "RBAC"], origin: { line: 20, argIndex: 3 } } },
    });
    expect(byId["KAS-0003"].reason).toBeUndefined();
    expect(byId["KAS-0005"]).toMatchObject({ status: "fail", frameworks: { "cis-1.12": ["1.2.15"], "seed-2020": ["S08"] } });
  });

  it("prints a text report with a summary line and exits 0 when everything passes", () => {
    const run = runKubecis(["test", HARDENED]);
    expect(run.status).toBe(ExitCode.Ok);
    expect(run.stdout).toContain("PASS  KAS-0001");
    expect(run.stdout).toMatch(/1 target, 35 results, 30 passed, 0 failed, 5 to review, 0 not applicable, 0 not judged, 10 outside cis-1.12\n/);
    expect(run.stdout).not.toContain("\x1b[");
  });

  it("describes the evidence of a passing control whose flag is absent and has no default", () => {
    const run = runKubecis(["test", SAMPLE]);
    expect(run.stdout).toMatch(/PASS {2}KAS-\d+ .*--token-auth-file.*\n\s+--token-auth-file is not set\n/);
    expect(run.stdout).not.toContain("undefined");
  });

  it("reads standard input", () => {
    const run = runKubecis(["test", "-", "-o", "report"], "kube-apiserver --profiling=false --anonymous-auth=false\n");
    expect(JSON.parse(run.stdout).targets[0].source).toMatchObject({ path: "-", format: "ps" });
  });

  it("judges every file of a directory", () => {
    const run = runKubecis(["test", join(FIXTURES, "apiserver/profiling_disabled"), "-o", "report"]);
    expect(JSON.parse(run.stdout).targets.length).toBe(5);
  });

  it("names file and line of malformed YAML, exits 4, and still judges the other inputs", () => {
    const bad = scratchFile("bad.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n");
    const run = runKubecis(["test", bad, SAMPLE, "-o", "report"]);
    expect(run.status).toBe(ExitCode.Input);
    const report = JSON.parse(run.stdout);
    expect(report.targets).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ kind: "input", file: bad, line: 5 });
    expect(run.stderr).toContain(`${bad}:5: invalid YAML`);
  });

  it("never passes an input without an API server", () => {
    const other = scratchFile("deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
    const run = runKubecis(["test", other]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${other}: no kube-apiserver found`);
    expect(run.stdout).toContain("0 targets, 0 results");
  });

  it("refuses binary and missing files with the file named", () => {
    const binary = scratchFile("blob.yaml", "kind: Pod\0\0\0");
    const run = runKubecis(["test", binary, join(scratch, "missing.yaml")]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${binary}: binary content`);
    expect(run.stderr).toContain("missing.yaml: no such file or directory");
  });

  it("exits 4 when a control cannot be judged (invalid flag value)", () => {
    const run = runKubecis(["test", join(FIXTURES, "apiserver/profiling_disabled/error/invalid_boolean.ps")]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stdout).toContain("ERROR KAS-0005");
  });

  it("takes the Kubernetes version from an option and says so", () => {
    const run = runKubecis(["test", HARDENED, "--kubernetes-version", "1.24", "-o", "report"]);
    expect(JSON.parse(run.stdout).targets[0]).toMatchObject({
      kubernetesVersion: { version: "1.24", source: "--kubernetes-version" },
      profile: { name: "cis-1.24" },
    });
  });

  it("states an unknown version instead of guessing", () => {
    const run = runKubecis(["test", HARDENED, "-o", "report"]);
    const target = JSON.parse(run.stdout).targets[0];
    expect(target.kubernetesVersion.version).toBeNull();
    expect(target.kubernetesVersion.source).toMatch(/^unknown/);
    expect(target.profile.reason).toBe("the Kubernetes version is unknown, so no CIS benchmark is mapped to it; using the newest benchmark, cis-1.12");
    // The text report says it once, as sentences ("Kubernetes an unknown version", "unknown (unknown: …" were not).
    const text = runKubecis(["test", HARDENED]).stdout;
    expect(text).toContain(`  Kubernetes version ${target.kubernetesVersion.source}\n`);
    expect(text).toContain(`  profile cis-1.12: ${target.profile.reason}\n`);
    expect(text).not.toMatch(/Kubernetes an |unknown \(unknown/);
  });

  it("honours --profile", () => {
    const run = runKubecis(["test", SAMPLE, "--profile", "seed-2020", "-o", "report"]);
    const target = JSON.parse(run.stdout).targets[0];
    expect(target.profile).toEqual({ name: "seed-2020", reason: "requested with --profile" });
    expect(target.results[0].frameworks).toEqual({ "seed-2020": ["S01"] });
  });

  it.each([
    [["test"], "missing required argument"],
    [["test", SAMPLE, "-o", "xml"], "Allowed choices are text, report"],
    [["test", SAMPLE, "-o", "sarf"], "Allowed choices are text, report, stdout, json, tap, table, junit, github, sarif"],
    [["test", SAMPLE, "--frobnicate"], "unknown option '--frobnicate'"],
    [["test", SAMPLE, "--kubernetes-version", "banana"], "is not a Kubernetes version"],
    [["test", SAMPLE, "--profile", "cis-9.9"], 'unknown profile "cis-9.9"'],
    [["test", SAMPLE, "--profile", "rbac-risks"], 'unknown profile "rbac-risks"'],
    [["test", SAMPLE, "--profile", "kubecis-startup"], 'unknown profile "kubecis-startup"'],
    [["frobnicate"], "unknown command"],
  ])("exits 3 on usage errors: %j", (args, message) => {
    const run = runKubecis(args);
    expect(run.status).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(message);
    // The error and where to read more, not the whole help after it.
    expect(run.stderr).not.toContain("Options:");
    expect(run.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
  });
});

describe("kubecis list and --version", () => {
  it("lists every control as JSON", () => {
    const run = runKubecis(["list", "-o", "json"]);
    expect(run.status).toBe(0);
    const controls = JSON.parse(run.stdout);
    const ids: string[] = controls.map((c: { id: string }) => c.id);
    expect(ids.filter((id) => id.startsWith("KAS-")).slice(0, 5)).toEqual(["KAS-0001", "KAS-0002", "KAS-0003", "KAS-0004", "KAS-0005"]);
    expect(ids.filter((id) => id.startsWith("KRB-"))).toHaveLength(32);
    expect(ids).toEqual([...ids].sort());
    expect(controls[0]).toEqual({
      id: "KAS-0001",
      title: "Anonymous requests to the API server are rejected",
      severity: "high",
      frameworks: expect.objectContaining({ "cis-1.12": ["1.2.1"], "seed-2020": ["S01"] }),
    });
  });

  it("prints its version", () => {
    const run = runKubecis(["--version"]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
