import { describe, expect, it } from "vitest";
import {
  UNKNOWN_VERSION,
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

  it("the option wins and must be a Kubernetes version; unknown is said", () => {
    expect(parseVersionOption("v1.29.2")).toEqual({ version: "1.29.2", major: 1, minor: 29, source: "--kubernetes-version" });
    expect(() => parseVersionOption("2.0")).toThrow(/not a Kubernetes version/);
    expect(UNKNOWN_VERSION).toMatchObject({ version: null, source: expect.stringMatching(/^unknown: /) });
  });
});
