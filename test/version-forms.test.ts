// Every form of version string upstream ships, read as the Kubernetes version it runs: build
// suffixes (+k3s1, +rke2r1, old k3s's -k3s.1, -eks-…, -gke.…, RKE2's -rke2r1-build…) name the
// release itself; a pre-release (-alpha.N, -beta.N, -rc.N, k3s/RKE2 -rcN) of 1.Y.Z is 1.Y for
// flag semantics but comes BEFORE 1.Y.Z, so which of 1.Y's patch releases' changes it has is
// not known: its patch is not kept, and a distribution default that depends on the patch is
// judged as release-dependent (warn), never as 1.Y.Z's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, testInputs, type Kubecis } from "../src/index.js";
import {
  kubernetesVersionInText,
  parseVersion,
  parseVersionOption,
  versionFromDistributionRelease,
  versionFromExecutablePath,
  versionFromImage,
  versionFromKubeadm,
} from "../src/normalizers/version.js";
import { caseWriter } from "./helpers.js";

// [form, text, Kubernetes version it names]
const FORMS: [string, string, string][] = [
  ["upstream release", "v1.33.2", "1.33.2"],
  ["upstream alpha", "v1.34.0-alpha.1", "1.34"],
  ["upstream beta", "v1.34.0-beta.0", "1.34"],
  ["upstream rc", "v1.34.0-rc.2", "1.34"],
  ["k3s release", "v1.31.2+k3s1", "1.31.2"],
  ["k3s rc", "v1.31.2-rc1+k3s1", "1.31"],
  ["k3s rc of a later build", "v1.31.2-rc2+k3s2", "1.31"],
  ["old k3s build suffix", "v1.13.5-k3s.1", "1.13.5"],
  ["RKE2 release", "v1.33.1+rke2r1", "1.33.1"],
  ["RKE2 rc", "v1.33.6-rc1+rke2r1", "1.33"],
  ["EKS", "v1.29.3-eks-adc7111", "1.29.3"],
  ["GKE", "v1.29.1-gke.1589018", "1.29.1"],
  ["EKS build", "v1.29.1-eksbuild.1", "1.29.1"],
  ["CoreOS hyperkube", "v1.19.2_coreos.0", "1.19.2"],
  ["minor only", "1.30", "1.30"],
];

describe("version strings: every form upstream ships", () => {
  it.each(FORMS)("%s %s → %s", (_, text, expected) => {
    expect(parseVersion(text, "x")?.version).toBe(expected);
    expect(parseVersionOption(text).version).toBe(expected);
  });

  it.each(FORMS.filter(([form]) => /k3s|RKE2/.test(form)))("%s %s from a journal, a release and a data directory → %s", (_, text, expected) => {
    expect(versionFromDistributionRelease(text, "j:1")?.version).toBe(expected);
    if (/\+(k3s|rke2)/.test(text)) {
      expect(kubernetesVersionInText(`Dec 05 node k3s[1]: I1205 server.go:1] Version: ${text}`)?.text).toBe(text);
      const dir = text.replace("+", "-");
      expect(versionFromExecutablePath(`/var/lib/rancher/rke2/data/${dir}-5a6c0d3f2b1e/bin/kube-apiserver`)?.version).toBe(expected);
    }
  });

  it.each([
    ["registry.k8s.io/kube-apiserver:v1.34.0-rc.1", "1.34"],
    ["registry.k8s.io/kube-apiserver:v1.33.2", "1.33.2"],
    ["rancher/hardened-kubernetes:v1.33.1-rke2r1-build20250515", "1.33.1"],
    ["rancher/hardened-kubernetes:v1.33.6-rc1-rke2r1-build20251101", "1.33"],
  ])("image %s → %s", (image, expected) => {
    expect(versionFromImage(image)?.version).toBe(expected);
  });

  // kubeadm resolves a release label (cmd/kubeadm/app/util/version.go KubernetesReleaseVersion:
  // kubeReleaseLabelRegex `^((latest|stable)+(-[1-9](\.[1-9](\d)?)?)?)\z`, with a `release/` or
  // `ci/` bucket prefix) to the newest release it names: "stable-1.31" is some 1.31 patch, while
  // "stable" and "stable-1" name no minor.
  it.each([
    ["stable-1.31", "1.31"],
    ["latest-1.30", "1.30"],
    ["ci/latest-1.32", "1.32"],
    ["release/stable-1.29", "1.29"],
    ["stable", undefined],
    ["stable-1", undefined],
    ["latest", undefined],
  ])("kubeadm kubernetesVersion %s → %s", (label, expected) => {
    const v = versionFromKubeadm(label, "kubeadm.yaml:3");
    expect(v?.version).toBe(expected);
    if (expected) expect(v!.source).toMatch(new RegExp(`label kubeadm resolves to the newest ${expected.replace(".", "\\.")} release`));
  });

  it.each([["quay.io/coreos/hyperkube:v1.19.2_coreos.0", "1.19.2"]])("image %s → %s (the Rego Pod adapter parses it alike)", (image, expected) => {
    expect(versionFromImage(image)?.version).toBe(expected);
  });

  it("a pre-release says so in its source (the Rego Pod adapter writes the same: lib/pod test_pre_release_versions)", () => {
    expect(parseVersion("v1.33.6-rc1+rke2r1", "j:1")?.source).toBe("j:1, a pre-release (rc1) of 1.33.6: before that release, so its patch is not known");
    expect(versionFromImage("registry.k8s.io/kube-apiserver:v1.34.0-rc.1")?.source).toBe(
      "image tag registry.k8s.io/kube-apiserver:v1.34.0-rc.1, a pre-release (rc.1) of 1.34.0: before that release, so its patch is not known",
    );
  });
});

describe("a pre-release and a patch-dependent default: before the release, so release-dependent", () => {
  const files = caseWriter(mkdtempSync(join(tmpdir(), "kubecis-forms-")));
  let kubecis: Kubecis;
  beforeAll(() => {
    kubecis = loadKubecis();
  });
  // The release as the data directory in the server's executable path names it, and as
  // --kubernetes-version.
  const kas0037 = (release: string, how: "path" | "option") => {
    const [config, cmdline] = files({
      "rancher/rke2/config.yaml": "profile: cis\n",
      "rke2.cmdline": `/var/lib/rancher/rke2/data/${release.replace("+", "-")}-5a6c0d3f2b1e/bin/rke2\0server\0`,
    });
    const report = how === "path" ? testInputs([config!, cmdline!], {}, kubecis) : testInputs([config!], { kubernetesVersion: release }, kubecis);
    expect(report.errors).toEqual([]);
    const target = report.targets[0]!;
    if (how === "path") expect(target.kubernetesVersion.minor).toBe(33);
    return target.results.find((r) => r.id === "KAS-0037")!.status;
  };
  it.each([
    ["v1.33.6+rke2r1", "pass"],
    ["v1.33.6-rc1+rke2r1", "warn"],
    ["v1.33.5+rke2r1", "fail"],
  ])("RKE2 %s with profile: cis → KAS-0037 %s", (release, expected) => {
    expect(kas0037(release, "path")).toBe(expected);
    expect(kas0037(release, "option")).toBe(expected);
  });
});
