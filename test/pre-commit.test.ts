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
import { parse } from "yaml";
import { CLI, SAMPLE } from "./helpers.js";

const version = (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
const hasPreCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0;

/** The recipe, as the docs print it: the first YAML block of docs/ci.md's "pre-commit" section. */
const CI_MD = readFileSync(join(packageRoot, "docs/ci.md"), "utf8");
const RECIPE = /```yaml\n([\s\S]*?)```/.exec(CI_MD.slice(CI_MD.indexOf("\n## pre-commit\n")))![1]!;
/** The hook this repository ships for `repo: <kubecis's git URL>` users. */
const SHIPPED = parse(readFileSync(join(packageRoot, ".pre-commit-hooks.yaml"), "utf8")) as { id: string; files: string; entry: string }[];

describe("which files the pre-commit hooks give kubecis", () => {
  // pre-commit matches `files` with Python's re.search on the path from the repository root; this
  // pattern means the same in JavaScript. A kube-apiserver manifest is passed; a file named after
  // the API server that it references (an audit policy, an encryption configuration) is not: on
  // its own kubecis refuses it ("matched to no API server", exit 4) and the commit is blocked.
  const docs = parse(RECIPE).repos[0].hooks[0] as { files: string; entry: string };
  const MANIFESTS = ["kube-apiserver.yaml", "clusters/dev/kube-apiserver.yml", "manifests/kube-apiserver.json"];
  const OTHERS = ["cp/kube-apiserver-audit-policy.yaml", "kube-apiserver-encryption-config.yaml", "kube-apiserver.yaml.bak", "my-kube-apiserver.yaml", "kube-apiserver/config.yaml"];

  it.each([
    ["docs/ci.md's recipe", docs],
    [".pre-commit-hooks.yaml", SHIPPED[0]!],
  ])("%s passes kube-apiserver manifests and nothing else named after the API server", (_, hook) => {
    const files = new RegExp(hook.files);
    expect(MANIFESTS.filter((f) => !files.test(f))).toEqual([]);
    expect(OTHERS.filter((f) => files.test(f))).toEqual([]);
  });

  it("the shipped hook and the docs' recipe pass the same files to the same command", () => {
    expect(SHIPPED.map((h) => h.id)).toEqual(["kubecis"]);
    expect(SHIPPED[0]!.files).toBe(docs.files);
    expect(SHIPPED[0]!.entry).toBe(docs.entry);
  });
});

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

describe.skipIf(!hasPreCommit)("the shipped .pre-commit-hooks.yaml, as a hook repository", () => {
  it("passes a hardened manifest beside its audit policy, and fails a failing manifest", { timeout: 300_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), "kubecis-pre-commit-shipped-"));
    const git = (cwd: string, ...args: string[]) => spawnSync("git", ["-c", "user.email=ci@example.invalid", "-c", "user.name=ci", ...args], { cwd, encoding: "utf8" });
    // The hook repository: this checkout's hook definition, committed (pre-commit clones it at `rev`).
    const hooks = join(work, "hooks");
    mkdirSync(hooks);
    cpSync(join(packageRoot, ".pre-commit-hooks.yaml"), join(hooks, ".pre-commit-hooks.yaml"));
    git(hooks, "init", "-q");
    git(hooks, "add", "-A");
    expect(git(hooks, "commit", "-qm", "hooks").status).toBe(0);
    const rev = git(hooks, "rev-parse", "HEAD").stdout.trim();
    // `language: system`: kubecis on PATH, as `npm install --global kubecis` leaves it.
    const bin = join(work, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "kubecis"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const repo = join(work, "repo");
    mkdirSync(join(repo, "cp"), { recursive: true });
    cpSync(join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml"), join(repo, "cp/kube-apiserver.yaml"));
    writeFileSync(join(repo, "cp/kube-apiserver-audit-policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n");
    writeFileSync(join(repo, ".pre-commit-config.yaml"), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: kubecis\n`);
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    const env = { ...process.env, PRE_COMMIT_HOME: join(work, "cache"), NO_COLOR: "1", PATH: `${bin}:${process.env["PATH"]}` };
    const run = (...files: string[]) => spawnSync("pre-commit", ["run", "--color", "never", "--files", ...files], { cwd: repo, env, encoding: "utf8" });
    // A commit that changes only the audit policy runs nothing; with the manifest, the manifest passes.
    const policyOnly = run("cp/kube-apiserver-audit-policy.yaml");
    expect(policyOnly.stdout).toMatch(/kubecis.*\.+\(no files to check\)Skipped/);
    expect(policyOnly.status).toBe(0);
    const both = run("cp/kube-apiserver.yaml", "cp/kube-apiserver-audit-policy.yaml");
    expect(both.stdout).toMatch(/kubecis.*\.+Passed/);
    expect(both.status).toBe(0);
    cpSync(SAMPLE, join(repo, "cp/kube-apiserver.yaml"));
    const failing = run("cp/kube-apiserver.yaml", "cp/kube-apiserver-audit-policy.yaml");
    expect(failing.stdout).toMatch(/kubecis.*\.+Failed/);
    expect(failing.stdout).toMatch(/FAIL {2}KAS-0001/);
    expect(failing.status).toBe(1);
  });
});
