// Exceptions files: target globs cover the inputs however the user wrote the paths (./, absolute,
// doubled slashes, a directory), and the published JSON Schema accepts what kubecis reads.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../src/paths.js";
import { readWaiverFile } from "../src/waivers.js";
import { CLI, SAMPLE } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "kubecis-exceptions-"));
mkdirSync(join(work, "clusters/dev"), { recursive: true });
mkdirSync(join(work, "clusters/prod"), { recursive: true });
cpSync(SAMPLE, join(work, "clusters/dev/kube-apiserver.yaml"));

/** `kubecis test` run from the work directory, as a user in their repository runs it. */
function waivedCount(input: string, glob: string): number {
  const file = join(work, "exceptions.yaml");
  writeFileSync(file, `kind: Exceptions\nexceptions:\n  - controls: [KAS-0001]\n    targets: [${JSON.stringify(glob)}]\n    reason: test\n`);
  const run = spawnSync(process.execPath, [CLI, "test", input, "--exceptions", "exceptions.yaml", "-o", "report"], { cwd: work, encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout).waived;
}

describe("exception target globs", () => {
  const inputs = ["clusters/dev/kube-apiserver.yaml", "./clusters/dev/kube-apiserver.yaml", join(work, "clusters/dev/kube-apiserver.yaml"), "clusters//dev/./kube-apiserver.yaml", "./clusters", join(work, "clusters")];
  const covering = ["clusters/dev/**", "./clusters/dev/*.yaml", join(work, "clusters/dev/**"), "**/dev/kube-apiserver.yaml", "clusters/*/kube-apiserver.yaml"];
  const cases = inputs.flatMap((input) => covering.map((glob) => [input, glob] as const));

  it("the sample fails KAS-0001, so a covering glob waives exactly one result", () => {
    expect(waivedCount("clusters/dev/kube-apiserver.yaml", "clusters/dev/kube-apiserver.yaml")).toBe(1);
  });

  it.each(cases)("input %s is covered by %s", (input, glob) => {
    expect(waivedCount(input, glob)).toBe(1);
  });

  it.each(inputs)("input %s is not covered by another directory's globs", (input) => {
    for (const glob of ["clusters/prod/**", "./clusters/prod/*.yaml", join(work, "clusters/prod/**"), "/elsewhere/clusters/dev/**", "dev/*.yaml"]) {
      expect(waivedCount(input, glob), glob).toBe(0);
    }
  });
});

describe("schemas/exceptions.schema.json", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(packageRoot, "schemas/exceptions.schema.json"), "utf8")));
  const check = (text: string) => {
    const file = join(work, `check-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    let read = true;
    try {
      readWaiverFile(file);
    } catch {
      read = false;
    }
    // JSON Schema sees what an editor's YAML plugin sees: YAML 1.2 core types (dates stay strings).
    return { read, valid: validate(parse(text)) };
  };

  it.each([
    "apiVersion: kubecis.dev/v1alpha1\nkind: Exceptions\nexceptions:\n  - controls: [KAS-0005, \"1.2\"]\n    targets: [\"clusters/dev/**\"]\n    nodes: [cp-1]\n    reason: profiling for incident 7\n    expires: 2027-01-31\n",
    "kind: Exceptions\nexceptions:\n  - controls: KAS-0001\n    reason: lab cluster\n",
    "kind: Exceptions\nexceptions: []\n",
  ])("accepts what kubecis reads: %s", (text) => {
    expect(check(text)).toEqual({ read: true, valid: true });
  });

  it.each([
    "kind: Exception\nexceptions: []\n",
    "kind: Exceptions\nexceptions:\n  - reason: no controls\n",
    "kind: Exceptions\nexceptions:\n  - controls: [KAS-0001]\n",
    "kind: Exceptions\nexceptions:\n  - controls: []\n    reason: empty\n",
    "kind: Exceptions\nexceptions:\n  - controls: [KAS-0001]\n    reason: bad date\n    expires: 31/01/2027\n",
  ])("rejects what kubecis rejects: %s", (text) => {
    expect(check(text)).toEqual({ read: false, valid: false });
  });

  it("rejects a misspelt key that kubecis would ignore (a waiver meant for some targets covering all)", () => {
    expect(validate(parse("kind: Exceptions\nexceptions:\n  - controls: [KAS-0001]\n    target: [clusters/dev/**]\n    reason: typo\n"))).toBe(false);
  });
});
