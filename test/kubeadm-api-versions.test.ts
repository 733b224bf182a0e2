// Every kubeadm configuration apiVersion that exists upstream is either read (as kubeadm
// decodes it) or refused with an input error naming file and line: never silently ignored.
// kubeadm.k8s.io: v1alpha1 (kubeadm 1.10, MasterConfiguration), v1alpha2 (1.11,
// MasterConfiguration), v1alpha3 (1.12, ClusterConfiguration with top-level
// apiServerExtraArgs) are refused: kubeadm 1.15 removed v1alpha3 (kubernetes#75179, after
// 1.14 refused init/join with it; v1alpha2 went in 1.13, kubernetes#69055), and kubecis's
// generated-flag table is kubeadm's since 1.22, not 1.12's getAPIServerCommand (which forced
// Node,RBAC into --authorization-mode and added audit flags under the Auditing gate).
// v1beta1..v1beta4 are read. Real files through the public API.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import { SAMPLE, caseWriter } from "./helpers.js";

const files = caseWriter(mkdtempSync(join(tmpdir(), "kubecis-kubeadm-api-")));
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

const REFUSED: [string, string][] = [
  ["v1alpha3 ClusterConfiguration", "apiVersion: kubeadm.k8s.io/v1alpha3\nkind: ClusterConfiguration\nkubernetesVersion: v1.12.10\napiServerExtraArgs:\n  authorization-mode: AlwaysAllow\n  anonymous-auth: \"true\"\n"],
  ["v1alpha3 InitConfiguration + ClusterConfiguration", "apiVersion: kubeadm.k8s.io/v1alpha3\nkind: InitConfiguration\napiEndpoint:\n  advertiseAddress: 10.0.0.1\n---\napiVersion: kubeadm.k8s.io/v1alpha3\nkind: ClusterConfiguration\napiServerExtraArgs:\n  anonymous-auth: \"true\"\n"],
  ["v1alpha2 MasterConfiguration", "apiVersion: kubeadm.k8s.io/v1alpha2\nkind: MasterConfiguration\nkubernetesVersion: v1.11.10\napiServerExtraArgs:\n  anonymous-auth: \"true\"\n"],
  ["v1alpha1 MasterConfiguration", "apiVersion: kubeadm.k8s.io/v1alpha1\nkind: MasterConfiguration\nkubernetesVersion: v1.10.13\napiServerExtraArgs:\n  anonymous-auth: \"true\"\n"],
  ["an apiVersion kubeadm never had", "apiVersion: kubeadm.k8s.io/v1beta9\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    anonymous-auth: \"true\"\n"],
];

describe("kubeadm apiVersions: read or refused, never ignored", () => {
  it.each(REFUSED)("%s: an input error naming file, line and apiVersion; the other inputs judged", (_, text) => {
    const [config] = files({ "kubeadm.yaml": text });
    const report = testInputs([config!, SAMPLE], {}, kubecis);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ kind: "input", file: config });
    expect(report.errors[0]!.line).toBeGreaterThan(0);
    const apiVersion = /kubeadm\.k8s\.io\/(\w+)/.exec(text)![1]!;
    expect(report.errors[0]!.message).toContain(`kubeadm.k8s.io/${apiVersion}`);
    expect(report.targets.filter((t) => t.kind === "ApiServerConfig").map((t) => t.source.path)).toEqual([SAMPLE]);
  });

  it.each(["v1beta1", "v1beta2", "v1beta3"])("%s ClusterConfiguration: apiServer.extraArgs applied", (apiVersion) => {
    const [config] = files({ "kubeadm.yaml": `apiVersion: kubeadm.k8s.io/${apiVersion}\nkind: ClusterConfiguration\nkubernetesVersion: v1.20.15\napiServer:\n  extraArgs:\n    anonymous-auth: "true"\n` });
    const report = testInputs([config!], {}, kubecis);
    expect(report.errors).toEqual([]);
    expect(report.targets[0]!.results.find((r) => r.id === "KAS-0001")!.status).toBe("fail");
  });
});
