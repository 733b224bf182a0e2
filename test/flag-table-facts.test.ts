// Real kube-apiserver flags that the flag table lacked were reported as unknown ("kube-apiserver
// refuses to start with a flag it does not know") and never bounded the version. Each one here
// is read at the upstream tags (policies/kubecis/flags/data.yaml cites them): known on the
// minors that have it, a contradiction on a known minor without it, version evidence when the
// version is unknown. Real CLI on a real ps file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caseWriter, runKubecis } from "./helpers.js";

const files = caseWriter(mkdtempSync(join(tmpdir(), "kubecis-flag-facts-")));

interface Target {
  kubernetesVersion: { range?: { from?: number; below?: number } };
  diagnostics: { code: string; message: string; flag?: string }[];
}

function judge(flags: string, version?: string): Target {
  const [path] = files({ "ps.txt": `UID PID PPID C STIME TTY TIME CMD\nroot 1 1 0 10:00 ? 00:00:01 kube-apiserver --anonymous-auth=false ${flags}\n` });
  const run = runKubecis(["test", path!, ...(version ? ["--kubernetes-version", version] : []), "-o", "report"]);
  expect(run.stderr).toBe("");
  return (JSON.parse(run.stdout) as { targets: Target[] }).targets[0]!;
}

// [flag as written, a minor that has it, a minor that does not, the bound it gives an unknown version]
const FLAGS: [string, string, string, { from?: number; below?: number }][] = [
  ["--target-ram-mb=1024", "1.23", "1.24", { below: 24 }],
  ["--deserialization-cache-size=0", "1.23", "1.24", { below: 24 }],
  ["--enable-swagger-ui=true", "1.23", "1.24", { below: 24 }],
  ["--experimental-logging-sanitization", "1.23", "1.24", { from: 20, below: 24 }],
  ["--master-service-namespace=default", "1.26", "1.27", { below: 27 }],
  ["--min-compatibility-version=1.34", "1.35", "1.34", { from: 35 }],
  ["--emulated-version=1.31", "1.32", "1.30", { from: 31 }],
];

describe("flags the table now knows", () => {
  for (const [flag, has, lacks, bound] of FLAGS) {
    const name = flag.replace(/^--/, "").replace(/=.*$/, "");
    it(`${flag}: known on ${has}, a contradiction on ${lacks}, a bound when the version is unknown`, () => {
      expect(judge(flag, has).diagnostics.filter((d) => d.code === "unknown-flag" || d.code === "version-contradiction")).toEqual([]);
      expect(judge(flag, lacks).diagnostics).toContainEqual(expect.objectContaining({ code: "version-contradiction", flag: name }));
      expect(judge(flag).kubernetesVersion.range).toMatchObject(bound);
    });
  }

  it("the identity lease flags are kube-apiserver flags", () => {
    const t = judge("--identity-lease-duration-seconds=3600 --identity-lease-renew-interval-seconds=10", "1.30");
    expect(t.diagnostics.filter((d) => d.code === "unknown-flag")).toEqual([]);
  });
});
