// The admission chain kube-apiserver runs when no admission flag names one, per version
// (policies/kubecis/admission/data.yaml default_on): before 1.10 it was AlwaysAdmit alone
// (review F6), from 1.10 the default-on set of --enable-admission-plugins. The real CLI on a
// ps line that names no admission flag.
import { describe, expect, it } from "vitest";
import { runKubecis } from "./helpers.js";

const PS = "root 1 0 0 10:00 ? 00:00:01 kube-apiserver --authorization-mode=Node,RBAC --anonymous-auth=false\n";

const kas0014 = (...options: string[]) => {
  const run = runKubecis(["test", "-", "-o", "report", ...options], PS);
  const report = JSON.parse(run.stdout) as { targets: { results: { id: string; status: string; reason?: string }[] }[] };
  return report.targets[0]!.results.find((r) => r.id === "KAS-0014")!;
};

describe("KAS-0014 AlwaysAdmit with no admission flag", () => {
  it.each(["1.0", "1.6", "1.9"])("fails on %s: AlwaysAdmit was the whole default chain", (version) => {
    expect(kas0014("--kubernetes-version", version)).toMatchObject({ status: "fail", reason: expect.stringContaining(`on by default in ${version}`) });
  });

  it.each(["1.10", "1.33"])("passes on %s", (version) => {
    expect(kas0014("--kubernetes-version", version).status).toBe("pass");
  });

  it("is a warn with the split when the version is unknown (the range reaches below 1.10)", () => {
    expect(kas0014()).toMatchObject({ status: "warn", reason: expect.stringContaining("fail below 1.10, pass from 1.10") });
  });
});
