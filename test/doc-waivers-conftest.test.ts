// docs/waivers.md "With conftest": the page's exception rule and conftest command, run with the
// real conftest on the bundle `kubecis bundle` writes. The rule once stood in package `main`,
// where conftest (which reads exceptions in the namespace it evaluates, kubecis.main) finds
// nothing to apply: it waived nothing (rev-adopt A6).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { CONFTEST, SAMPLE, runKubecis } from "./helpers.js";

const page = readFileSync(join(packageRoot, "docs/waivers.md"), "utf8");
const section = page.slice(page.indexOf("\n## With conftest\n"));
const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)![1]!;
const rule = block("rego");
const command = block("sh");

const work = mkdtempSync(join(tmpdir(), "kubecis-doc-waivers-"));
expect(runKubecis(["bundle", join(work, "build/out/opa")]).status).toBe(0);
mkdirSync(join(work, "my-exceptions"));
writeFileSync(join(work, "my-exceptions/exceptions.rego"), rule);
const manifest = readFileSync(SAMPLE, "utf8");
const annotated = manifest.replace(/^metadata:\n  annotations:\n/m, '$&    kubecis.example/waived: "INC-42"\n');

/** The page's command in `work`, with conftest on PATH and kube-apiserver.yaml as given. */
function runPage(text: string, input: string) {
  writeFileSync(join(work, "kube-apiserver.yaml"), input);
  const bin = join(work, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "conftest"), `#!/bin/sh\nexec "${CONFTEST}" "$@"\n`, { mode: 0o755 });
  return spawnSync("sh", ["-c", `${text} --no-color`], { cwd: work, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}` } });
}

describe("docs/waivers.md: a conftest exception rule", () => {
  it("is in package kubecis.main, and the page's command uses that namespace", () => {
    expect(rule).toMatch(/^package kubecis\.main$/m);
    expect(command).toContain("--namespace kubecis.main");
  });

  it("waives every finding of the manifest it holds for, with the real conftest", () => {
    expect(annotated).not.toBe(manifest);
    const waived = runPage(command.trimEnd(), annotated);
    expect(waived.status, waived.stdout + waived.stderr).toBe(0);
    expect(waived.stdout).toMatch(/\b0 failures, [1-9]\d* exceptions/);
  });

  it("leaves every other manifest's findings failing", () => {
    const kept = runPage(command.trimEnd(), manifest);
    expect(kept.status).toBe(1);
    expect(kept.stdout).toMatch(/[1-9]\d* failures, 0 exceptions/);
  });

  it("without --namespace kubecis.main conftest judges nothing, as the page warns", () => {
    const none = runPage(command.trimEnd().replace("--namespace kubecis.main ", ""), manifest);
    expect(none.stdout).toMatch(/^0 tests, 0 passed/m);
    expect(none.status).toBe(0);
  });
});
