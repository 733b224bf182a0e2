// `kubecis normalize X | kubecis test -` judges X as `kubecis test X` does (issue 16): the
// documents normalize prints are an input form. Every fixture and every real input, through
// the library API (JSON document or array, and a YAML stream), plus the real CLI in a pipe.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubecis, normalizeInputs, testInputs, type Report } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import { stringifyYaml } from "../src/readers/yaml.js";
import { listFixtures, runKubecis } from "./helpers.js";

const kubecis = loadKubecis();
const INPUTS = join(packageRoot, "test", "inputs");

/** What a verdict is, without where the report says the run read it from. */
const verdicts = (report: Report) =>
  report.targets.map((t) => ({ version: t.kubernetesVersion, profile: t.profile, results: t.results, diagnostics: t.diagnostics }));

const every = [
  ...listFixtures().map((f) => f.path),
  ...readdirSync(INPUTS).flatMap((dir) => [join(INPUTS, dir), ...readdirSync(join(INPUTS, dir)).map((f) => join(INPUTS, dir, f))]),
].filter((path) => normalizeInputs([path]).documents.length > 0);

describe("normalize | test - round trip", () => {
  it("covers the fixtures and inputs", () => expect(every.length).toBeGreaterThan(200));

  it.each(every.map((p) => [relative(packageRoot, p)]))("%s", (name) => {
    const path = join(packageRoot, name);
    const direct = testInputs([path], {}, kubecis);
    const { documents } = normalizeInputs([path]);
    const json = JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2);
    const yaml = documents.map((d) => `---\n${stringifyYaml(d)}`).join("");
    for (const text of [json, yaml]) {
      const again = testInputs(["-"], { stdin: () => Buffer.from(text) }, kubecis);
      expect(again.errors).toEqual([]);
      expect(verdicts(again)).toEqual(verdicts(direct));
    }
  });

  it("the real CLI in a pipe, and --kubernetes-version still wins", () => {
    for (const input of ["samples/kubeadm-v1.33/kube-apiserver.yaml", "test/inputs/k3s", "test/inputs/ps/ps-aux.txt"]) {
      const normalized = runKubecis(["normalize", input, "-o", "json"]);
      expect(normalized.status).toBe(0);
      const direct = runKubecis(["test", input, "-o", "report", "--kubernetes-version", "1.22"]);
      const piped = runKubecis(["test", "-", "-o", "report", "--kubernetes-version", "1.22"], normalized.stdout);
      expect(piped.status, piped.stderr).toBe(direct.status);
      expect(verdicts(JSON.parse(piped.stdout) as Report)).toEqual(verdicts(JSON.parse(direct.stdout) as Report));
    }
    // -o yaml quotes what a YAML 1.1 reader would take for a boolean (--profiling=off).
    const input = "test/fixtures/apiserver/profiling_disabled/error/invalid_boolean.ps";
    const yaml = runKubecis(["normalize", input, "-o", "yaml"]);
    expect(yaml.stdout).toContain('raw: "off"');
    const direct = runKubecis(["test", input, "-o", "report"]);
    const piped = runKubecis(["test", "-", "-o", "report"], yaml.stdout);
    expect(verdicts(JSON.parse(piped.stdout) as Report)).toEqual(verdicts(JSON.parse(direct.stdout) as Report));
  });

  it("a document with a hole is an input error naming the file and the field, and the other inputs are judged", () => {
    const [document] = normalizeInputs([join(packageRoot, "samples/kubeadm-v1.33/kube-apiserver.yaml")]).documents;
    const broken = JSON.parse(JSON.stringify(document)) as { flags: Record<string, Record<string, unknown>> };
    delete broken.flags["authorization-mode"]!["value"];
    const report = testInputs(["-", join(packageRoot, "test/inputs/ps/ps-aux.txt")], { stdin: () => Buffer.from(JSON.stringify(broken)) }, kubecis);
    expect(report.errors).toMatchObject([{ kind: "input", file: "-", message: expect.stringContaining("flags.authorization-mode") }]);
    expect(report.targets).toHaveLength(1);
  });

  it("an RbacSnapshot that lists a binding twice is an input error naming the line, and the other inputs are judged", () => {
    const [document] = normalizeInputs([join(packageRoot, "test/fixtures/rbac/secrets_access_minimized/warn/one_service_account.yaml")]).documents;
    const broken = JSON.parse(JSON.stringify(document)) as { bindingsByRole: Record<string, unknown[]> };
    const [role, bindings] = Object.entries(broken.bindingsByRole).find(([, list]) => list.length > 0)!;
    bindings.push(bindings[0]);
    const text = JSON.stringify(broken, null, 2);
    const report = testInputs(["-", join(packageRoot, "test/inputs/ps/ps-aux.txt")], { stdin: () => Buffer.from(text) }, kubecis);
    const name = (bindings[0] as { name: string }).name;
    // The line of the repeated entry: the last "name" of that binding in the text.
    const line = text.slice(0, text.lastIndexOf(`"name": ${JSON.stringify(name)}`)).split("\n").length - 1;
    expect(report.errors).toMatchObject([{ kind: "input", file: "-", line, message: expect.stringContaining(`${name} is listed twice`) }]);
    expect(role).toMatch(/^(Cluster)?Role:/);
    expect(report.targets).toHaveLength(1);
  });

  it("an RbacSnapshot whose grantsByRole miscounts its bindings is an input error, never judged with those counts", () => {
    const [document] = normalizeInputs([join(packageRoot, "test/fixtures/rbac/secrets_access_minimized/warn/one_service_account.yaml")]).documents;
    const grants = (document as unknown as { grantsByRole: Record<string, number[]> }).grantsByRole;
    const [role] = Object.keys(grants);
    expect(grants[role!]![1]).toBeGreaterThan(0); // a user grant that a count of 0 would hide
    const broken = JSON.parse(JSON.stringify(document)) as { grantsByRole: Record<string, number[]> };
    broken.grantsByRole[role!]![1] = 0;
    const report = testInputs(["-", join(packageRoot, "test/inputs/ps/ps-aux.txt")], { stdin: () => Buffer.from(JSON.stringify(broken)) }, kubecis);
    expect(report.errors).toMatchObject([{ kind: "input", file: "-", message: expect.stringContaining(`grantsByRole`) }]);
    expect(report.errors[0]!.message).toContain(`does not count the grants of bindingsByRole[${JSON.stringify(role)}]`);
    expect(report.targets).toHaveLength(1);
    const missing = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    delete missing["grantsByRole"];
    const refused = testInputs(["-"], { stdin: () => Buffer.from(JSON.stringify(missing)) }, kubecis);
    expect(refused.errors).toMatchObject([{ kind: "input", file: "-", message: expect.stringContaining("grantsByRole is missing") }]);
  });
});
