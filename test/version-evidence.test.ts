// The Kubernetes version of a target, decided from evidence (issue 16, DESIGN decision 1),
// through the public API on real input files.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeInputs } from "../src/index.js";
import { packageRoot } from "../src/paths.js";

const input = (...parts: string[]) => join(packageRoot, "test", "inputs", ...parts);

describe("distribution releases are not Kubernetes versions", () => {
  it("a k3s 0.x journal is judged as the Kubernetes version it printed", () => {
    const { documents, errors } = normalizeInputs([input("journal-k3s-0.x", "k3s.log")]);
    expect(errors).toEqual([]);
    expect(documents[0]!.kubernetesVersion).toMatchObject({ version: "1.13.5", major: 1, minor: 13, source: expect.stringContaining("v1.13.5-k3s.1") });
  });

  it("without the printed version, the k3s release goes through the release table", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-k3s0-"));
    const lines = readFileSync(input("journal-k3s-0.x", "k3s.log"), "utf8").split("\n").filter((l) => !l.includes("Version: "));
    writeFileSync(join(dir, "k3s.log"), lines.join("\n"));
    const { documents } = normalizeInputs([join(dir, "k3s.log")]);
    expect(documents[0]!.kubernetesVersion).toMatchObject({ minor: 13, source: expect.stringContaining("k3s version v0.3.0 ships Kubernetes 1.13") });
  });
});
