// The whole admission configuration (issue 16 item 4): plugin configuration files given in
// the same run are matched through the AdmissionConfiguration's plugins[].path, redacted,
// shown in normalize, and judged; never rejected as unmatched inputs.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubecis, normalizeInputs, testInputs, type ApiServerConfig } from "../src/index.js";
import { packageRoot } from "../src/paths.js";

const dir = join(packageRoot, "test", "inputs", "admission-plugins");
const kubecis = loadKubecis();

describe("admission plugin configuration files", () => {
  it("are matched through plugins[].path (by name, relative or absolute), embedded and redacted", () => {
    const { documents, errors } = normalizeInputs([dir]);
    expect(errors).toEqual([]);
    const admission = (documents[0] as ApiServerConfig).files!["admission-control-config-file"]!;
    const plugins = (admission.content as { plugins: Record<string, unknown>[] }).plugins;
    expect(plugins[0]).toMatchObject({
      name: "EventRateLimit",
      configuration: { kind: "Configuration", limits: [{ type: "Server" }, { type: "Namespace" }] },
      configurationFrom: { path: "eventconfig.yaml", readFrom: expect.stringContaining("eventconfig.yaml") },
    });
    expect(plugins[1]).toMatchObject({ name: "PodSecurity", configuration: { kind: "PodSecurityConfiguration", defaults: { enforce: "baseline" } } });
    // Inline configuration stays as written.
    expect(plugins[2]).toMatchObject({ name: "ImagePolicyWebhook", configuration: { imagePolicy: { defaultAllow: false } } });
    expect(JSON.stringify(documents)).not.toContain("canary-secret-value-1234");
  });

  it("the run judges EventRateLimit by its content and exits without an input error", () => {
    const report = testInputs([dir], {}, kubecis);
    expect(report.errors).toEqual([]);
    expect(report.targets[0]!.results.find((r) => r.id === "KAS-0013")).toMatchObject({ status: "pass", evidence: { limitTypes: ["Namespace", "Server"] } });
  });

  it("a plugin configuration no AdmissionConfiguration names is an input error naming the file; the rest is judged", () => {
    const report = testInputs([join(dir, "eventconfig.yaml"), join(packageRoot, "test/inputs/ps/ps-aux.txt")], {}, kubecis);
    expect(report.errors).toMatchObject([{ kind: "input", file: expect.stringContaining("eventconfig.yaml"), message: expect.stringContaining("matched to no AdmissionConfiguration") }]);
    expect(report.targets).toHaveLength(1);
  });
});
