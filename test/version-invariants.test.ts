// Generated invariants over versions and profiles (issue 16): every well-formed input x
// every profile x every Kubernetes minor from 1.6 to 1.36 plus "unknown" is judged without
// an `error` result and without an input error (exit 4). In-process through the library
// API (one engine per profile, each document normalized once per version), plus a CLI sample.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exitCodeForReport, loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import { listFixtures, runKubecis } from "./helpers.js";

const INPUTS = join(packageRoot, "test", "inputs");
const profilesData = parse(readFileSync(join(packageRoot, "policies/kubecis/profiles/data.yaml"), "utf8")) as {
  fallback: string;
  cis: { profile: string }[];
};
export const PROFILES = [...new Set([...profilesData.cis.map((e) => e.profile), profilesData.fallback])];
export const VERSIONS: (string | undefined)[] = [undefined, ...Array.from({ length: 31 }, (_, i) => `1.${i + 6}`)];

// Inputs that are malformed on purpose, or only parts of a configuration: each is an input
// error whatever the version (their own tests prove that), so they are not "well-formed".
const NOT_WELL_FORMED = new Set([
  "k3s-lookalike", // no kube-apiserver at all
  "k3s-lookalike/values.yaml",
  "ps", // holds truncated.txt, a ps line cut short
  "microk8s/kubelite.ps", // needs its args file
  "ps/truncated.txt",
  "referenced-kms/kms-and-token.json", // a referenced file without its API server
  "systemd/etc", // an environment file without its unit
  "systemd/usr", // a unit without the environment files that may set whole arguments
  "ps/k3s-server.ps", // a k3s server line without the config files k3s reads
]);

/** Every directory under test/inputs and every file in it. */
function realInputs(): string[] {
  const paths: string[] = [];
  for (const dir of readdirSync(INPUTS)) {
    if (!NOT_WELL_FORMED.has(dir)) paths.push(join(INPUTS, dir));
    for (const file of readdirSync(join(INPUTS, dir))) {
      const name = `${dir}/${file}`;
      // A referenced file alone (an AdmissionConfiguration, a Policy) is judged with its API server.
      if ((dir === "referenced" || dir === "admission-plugins") && file !== "kube-apiserver.yaml") continue;
      if (!NOT_WELL_FORMED.has(name)) paths.push(join(INPUTS, dir, file));
    }
  }
  return paths;
}

describe("every input x every profile x every Kubernetes version", () => {
  const engines = new Map<string, Kubecis>(PROFILES.map((p) => [p, loadKubecis({ profile: p })]));
  engines.set("(default)", loadKubecis());
  // The real configurations get the whole product; the one-check fixtures (whose expected
  // status is not `error`) get every version under the default profile and seed-2020 (the one
  // profile that is no CIS benchmark), and the edges (unknown, 1.6, 1.36) under every other
  // profile: the whole product for them costs minutes of CPU on a shared machine.
  const inputs = realInputs();
  const fixtures = listFixtures().filter((f) => f.component === "apiserver" && f.expected !== "error").map((f) => f.path);
  const EDGES = [undefined, "1.6", "1.36"];

  it("covers the inputs, profiles and versions it claims", () => {
    expect(inputs.length).toBeGreaterThan(30);
    expect(fixtures.length).toBeGreaterThan(100);
    expect(PROFILES).toContain("seed-2020");
    expect(PROFILES).toContain("cis-1.12");
    expect(VERSIONS).toHaveLength(32);
  });

  const cases = [
    ...inputs.map((p) => [relative(packageRoot, p), false] as const),
    ...fixtures.map((p) => [relative(packageRoot, p), true] as const),
  ];
  it.each(cases)("%s: no error result, no input error", (name, sampled) => {
    const path = join(packageRoot, name);
    const problems: string[] = [];
    for (const version of VERSIONS) {
      for (const [profile, kubecis] of engines) {
        if (sampled && profile !== "(default)" && profile !== "seed-2020" && !EDGES.includes(version)) continue;
        const report = testInputs([path], version ? { kubernetesVersion: version } : {}, kubecis);
        const at = `${version ?? "unknown"} ${profile}`;
        for (const e of report.errors) problems.push(`${at}: input error ${e.message}`);
        if (report.targets.length === 0) problems.push(`${at}: no target`);
        for (const target of report.targets) {
          for (const r of target.results) if (r.status === "error") problems.push(`${at}: ${r.id} error: ${r.reason}`);
        }
        if (exitCodeForReport(report) === 4) problems.push(`${at}: exit 4`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("CLI sample: exit 0 or 1, never 4", () => {
  const sample = ["test/inputs/ps/ps-aux.txt", "test/inputs/k3s", "test/inputs/journal/k3s.log", "samples/kubeadm-v1.33/kube-apiserver.yaml"];
  it.each(PROFILES.flatMap((p) => ["", "1.35", "1.6"].map((v) => [p, v])))("--profile %s --kubernetes-version %s", (profile, version) => {
    const run = runKubecis(["test", ...sample, "--profile", profile, ...(version ? ["--kubernetes-version", version] : []), "-o", "report"]);
    expect([0, 1], run.stderr).toContain(run.status);
    const report = JSON.parse(run.stdout) as Parameters<typeof exitCodeForReport>[0];
    expect(report.errors).toEqual([]);
    const errored = report.targets.flatMap((t) => t.results.filter((r) => r.status === "error").map((r) => `${t.source}: ${r.id}`));
    expect(errored).toEqual([]);
  });
});
