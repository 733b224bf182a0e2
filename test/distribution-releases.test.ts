// Distribution defaults that depend on the release (DESIGN decision 1): a flag k3s or RKE2 adds
// only from some patch release on is judged over every release the target may run. Where the
// release's patch is not known, the control reading that flag is `warn` with the split said,
// never a fail (or a pass) taken from one side. Real files through the public API.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import type { Report, Target } from "../src/types.js";
import { caseWriter } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-releases-"));
const files = caseWriter(scratch);
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

const judge = (config: string, version: string | undefined): Target => {
  const report: Report = testInputs(files({ "rancher/rke2/config.yaml": config }), version ? { kubernetesVersion: version } : {}, kubecis);
  expect(report.errors).toEqual([]);
  return report.targets.find((t) => t.kind === "ApiServerConfig")!;
};
const result = (target: Target, id: string) => target.results.find((r) => r.id === id)!;

// Every RKE2 default that depends on the patch release, with the releases that have it and the
// controls that read it:
// - CIS mode's --service-account-extend-token-expiration=false (rke2 pkg/executor/staticpod
//   staticpod.go APIServer; v1.31.14, v1.32.10, v1.33.6, v1.34.2, v1.35.0);
// - the audit-policy-file option without CIS mode (staticpod.go APIServer `if s.AuditPolicyFile
//   != ""`; the option from v1.21.3+rke2r2, commit 3e817f17b).
const RELEASE_DEPENDENT: { name: string; config: string; ids: string[]; before: string; since: string; minor: string; split: RegExp }[] = [
  { name: "CIS mode's extend-token-expiration=false", config: "profile: cis\n", ids: ["KAS-0037"], before: "1.33.5", since: "1.33.6", minor: "1.33", split: /v1\.33\.6/ },
  {
    name: "the audit-policy-file option",
    config: "audit-policy-file: /etc/rancher/rke2/custom-audit.yaml\n",
    ids: ["KAS-0025", "KAS-0026", "KAS-0027", "KAS-0028", "KAS-0038"],
    before: "1.21.2",
    since: "1.21.4",
    minor: "1.21",
    split: /v1\.21\.4/,
  },
];

describe("RKE2 defaults that depend on the patch release", () => {
  describe.each(RELEASE_DEPENDENT)("$name", ({ config, ids, before, since, minor, split }) => {
    it(`a release before it (${before}) lacks the flag and one from it (${since}) has it: each judged as it runs`, () => {
      const old = judge(config, before);
      const current = judge(config, since);
      for (const id of ids) {
        expect(`${id} ${result(old, id).status}`).toBe(`${id} fail`);
        expect(`${id} ${result(current, id).status}`).not.toMatch(/ (fail|warn|error)$/);
      }
    });

    it.each([
      ["the minor only", minor],
      ["no version at all", undefined],
    ])(`%s: every control reading it is warn, with the releases that have it named`, (_, version) => {
      const target = judge(config, version);
      for (const id of ids) {
        const r = result(target, id);
        expect(`${id} ${r.status}`).toBe(`${id} warn`);
        expect(r.reason).toMatch(split);
        expect(r.reason).toMatch(/release/);
      }
      expect(target.diagnostics.filter((d) => d.code === "release-dependent").length).toBeGreaterThan(0);
    });

    it("a value the user sets for the flag decides it on every release: no warn", () => {
      const flag = ids[0] === "KAS-0037" ? "service-account-extend-token-expiration=false" : "audit-log-maxage=30";
      const target = judge(`${config}kube-apiserver-arg:\n  - ${flag}\n`, minor);
      expect(target.diagnostics.filter((d) => d.code === "release-dependent" && d.flag === flag.split("=")[0])).toEqual([]);
    });
  });
});
