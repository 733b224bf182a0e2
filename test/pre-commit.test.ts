// The pre-commit recipe of the docs (docs/ci.md, "pre-commit"), run by pre-commit
// itself: a `repo: local` hook with `language: node` that installs kubecis into pre-commit's own
// environment. The registry name `kubecis@<version>` is replaced by the packed tarball of this
// checkout (the same package, before it is published). Skipped where pre-commit is not installed
// (`pip install pre-commit`).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { SAMPLE } from "./helpers.js";

const version = (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
const hasPreCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0;

/** The recipe, as the docs print it. */
const RECIPE = `repos:
  - repo: local
    hooks:
      - id: kubecis
        name: kubecis (kube-apiserver hardening)
        language: node
        additional_dependencies: ["kubecis@${version}"]
        entry: kubecis test --status fail,error,warn
        files: (^|/)kube-apiserver\\.(ya?ml|json)$
`;

describe.skipIf(!hasPreCommit)("pre-commit recipe", () => {
  it("installs kubecis into the hook's environment and fails the commit on a failing manifest", { timeout: 300_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), "kubecis-pre-commit-"));
    const packed = JSON.parse(spawnSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: packageRoot, encoding: "utf8" }).stdout) as { filename: string }[];
    const repo = join(work, "repo");
    mkdirSync(join(repo, "clusters/dev"), { recursive: true });
    cpSync(SAMPLE, join(repo, "clusters/dev/kube-apiserver.yaml"));
    writeFileSync(join(repo, "README.md"), "not judged\n");
    writeFileSync(join(repo, ".pre-commit-config.yaml"), RECIPE.replace(`kubecis@${version}`, join(work, packed[0]!.filename)));
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.email=ci@example.invalid", "-c", "user.name=ci", ...args], { cwd: repo, encoding: "utf8" });
    expect(git("init", "-q").status).toBe(0);
    expect(git("add", "-A").status).toBe(0);
    const env = { ...process.env, PRE_COMMIT_HOME: join(work, "cache"), NO_COLOR: "1" };
    const run = spawnSync("pre-commit", ["run", "--all-files", "--color", "never"], { cwd: repo, env, encoding: "utf8" });
    expect(run.stdout).toMatch(/kubecis \(kube-apiserver hardening\)\.+Failed/);
    expect(run.stdout).toContain("- exit code: 1");
    expect(run.stdout).toMatch(/FAIL {2}KAS-0001/);
    expect(run.stdout).not.toMatch(/PASS {2}KAS-/);
    expect(run.status).toBe(1);
    // A hardened manifest passes the hook.
    cpSync(join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml"), join(repo, "clusters/dev/kube-apiserver.yaml"));
    git("add", "-A");
    const clean = spawnSync("pre-commit", ["run", "--all-files", "--color", "never"], { cwd: repo, env, encoding: "utf8" });
    expect(clean.stdout).toMatch(/kubecis \(kube-apiserver hardening\)\.+Passed/);
    expect(clean.status).toBe(0);
  });
});
