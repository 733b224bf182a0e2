import { describe, expect, it } from "vitest";
import {
  UNKNOWN_VERSION,
  kubernetesVersionInText,
  parseVersion,
  parseVersionOption,
  versionFromDistributionRelease,
  versionFromExecutablePath,
  versionFromImage,
  versionFromKubeadm,
} from "./version.js";

describe("Kubernetes version sources", () => {
  it("image tags: upstream, hyperkube, RKE2's hardened-kubernetes, digests dropped from the source", () => {
    expect(versionFromImage("registry.k8s.io/kube-apiserver:v1.33.0")).toMatchObject({ version: "1.33.0", source: "image tag registry.k8s.io/kube-apiserver:v1.33.0" });
    expect(versionFromImage("k8s.gcr.io/hyperkube-amd64:v1.17.4")).toMatchObject({ version: "1.17.4" });
    expect(versionFromImage("index.docker.io/rancher/hardened-kubernetes:v1.33.1-rke2r1-build20250515")).toMatchObject({ version: "1.33.1", minor: 33 });
    expect(versionFromImage("registry.k8s.io/kube-apiserver:v1.30.6@sha256:0a1b")?.source).toBe("image tag registry.k8s.io/kube-apiserver:v1.30.6");
    expect(versionFromImage("registry.k8s.io/kube-apiserver:latest")).toBeUndefined();
    expect(versionFromImage("docker.io/library/nginx:1.27.0")).toBeUndefined();
  });

  it("kubeadm kubernetesVersion, k3s/RKE2 releases and RKE2's data directory", () => {
    expect(versionFromKubeadm("v1.32.3", "kubeadm.yaml:3")).toMatchObject({ version: "1.32.3", source: "kubeadm kubernetesVersion v1.32.3 (kubeadm.yaml:3)" });
    expect(versionFromKubeadm("stable-1", "kubeadm.yaml:3")).toBeUndefined();
    expect(versionFromDistributionRelease("v1.33.1+k3s1", "journal:5")).toMatchObject({ version: "1.33.1", source: "k3s version v1.33.1+k3s1 (journal:5)" });
    expect(versionFromDistributionRelease("v1.31.4+rke2r1", "x")?.source).toMatch(/^RKE2 version/);
    expect(versionFromExecutablePath("/var/lib/rancher/rke2/data/v1.33.1-rke2r1-5a6c0d3f2b1e/bin/kube-apiserver")).toMatchObject({ version: "1.33.1" });
    expect(versionFromExecutablePath("/usr/local/bin/kube-apiserver")).toBeUndefined();
  });

  it("a distribution release is never read as a Kubernetes version: k3s 0.x and 1.0 map to what they shipped", () => {
    // Every k3s release before v1.17.0+k3s.1 was numbered on its own (v0.1.0 ... v1.0.1).
    for (const [release, minor] of [["v0.1.0", 13], ["v0.3.0", 13], ["v0.4.0", 14], ["v0.8.1", 14], ["v0.9.0", 15], ["v0.10.2", 16], ["v1.0.0", 16], ["v1.0.1", 16]] as const) {
      const v = versionFromDistributionRelease(release, "journal:2");
      expect(v, release).toMatchObject({ major: 1, minor, source: expect.stringContaining(`k3s version ${release} ships Kubernetes 1.${minor}`) });
    }
    // An unknown 0.x release is unknown, never 1.<its minor>.
    expect(versionFromDistributionRelease("v0.99.0", "journal:2")).toBeUndefined();
    // Whatever reads a version string: only Kubernetes 1.x is a Kubernetes version.
    expect(parseVersion("v0.3.0", "x")).toBeUndefined();
    expect(parseVersion("v2.1.0", "x")).toBeUndefined();
  });

  it("the Kubernetes version a k3s journal prints wins over its release", () => {
    const text = [
      'Apr 04 23:09:49 n k3s[3318]: time="2019-04-04T23:09:49Z" level=info msg="Starting k3s v0.3.0 (9a1a1ec)"',
      "Apr 04 23:09:50 n k3s[3318]: I0404 23:09:50.657994    3318 server.go:393] Version: v1.13.5-k3s.1",
    ].join("\n");
    expect(kubernetesVersionInText(text)).toEqual({ text: "v1.13.5-k3s.1", line: 2 });
    expect(kubernetesVersionInText("Starting k3s v0.3.0 (9a1a1ec)")).toBeUndefined();
  });

  it("the option wins and must be a Kubernetes version; unknown is said", () => {
    expect(parseVersionOption("v1.29.2")).toEqual({ version: "1.29.2", major: 1, minor: 29, source: "--kubernetes-version" });
    expect(() => parseVersionOption("2.0")).toThrow(/not a Kubernetes version/);
    expect(UNKNOWN_VERSION).toMatchObject({ version: null, source: expect.stringMatching(/^unknown: /) });
  });
});
