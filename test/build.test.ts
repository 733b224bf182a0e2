// The WASM build guard: a policy that calls a builtin the WASM runtime lacks must fail
// `opa build` with a message that says so. Runs the real build script and the real opa.
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { OPA } from "./helpers.js";

function build(step: string, policies: string, out: string) {
  return spawnSync(process.execPath, [join(packageRoot, "build/policies.mjs"), step], {
    encoding: "utf8",
    env: { ...process.env, KUBECIS_OPA: OPA, KUBECIS_POLICIES: policies, KUBECIS_OUT: out },
  });
}

function scratchCopy(): { policies: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "kubecis-build-"));
  const policies = join(dir, "policies");
  cpSync(join(packageRoot, "policies"), policies, { recursive: true });
  return { policies, out: join(dir, "out") };
}

describe("WASM capabilities guard", () => {
  it("builds the unchanged policies", () => {
    const { policies, out } = scratchCopy();
    expect(build("capabilities", policies, out).status).toBe(0);
    const run = build("wasm", policies, out);
    expect(run.status, run.stderr).toBe(0);
  });

  it("fails the build when a policy uses a builtin the WASM runtime lacks", () => {
    const { policies, out } = scratchCopy();
    mkdirSync(join(policies, "kubecis/checks/apiserver/scratch"), { recursive: true });
    writeFileSync(
      join(policies, "kubecis/checks/apiserver/scratch/scratch.rego"),
      "package kubecis.checks.apiserver.scratch\n\nresult := {\"now\": time.now_ns()}\n",
    );
    expect(build("capabilities", policies, out).status).toBe(0);
    const run = build("wasm", policies, out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("scratch.rego");
    expect(run.stderr).toContain("policy uses builtin(s) not available to the WASM runtime: time.now_ns");
  });

  it("rejects sprintf, whose output differs between Go and the JS SDK", () => {
    const { policies, out } = scratchCopy();
    mkdirSync(join(policies, "kubecis/checks/apiserver/scratch"), { recursive: true });
    writeFileSync(
      join(policies, "kubecis/checks/apiserver/scratch/scratch.rego"),
      "package kubecis.checks.apiserver.scratch\n\nresult := sprintf(\"%v\", [input.kind])\n",
    );
    build("capabilities", policies, out);
    const run = build("wasm", policies, out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("not available to the WASM runtime: sprintf");
  });
});
