// The release artifact is self-contained: the npm tarball (`make release` packs it) installs
// into an empty directory and works there with neither Go nor the project's .tools on PATH:
// the CLI judges the bundled samples with the same verdicts as this checkout, the library
// imports from ESM, and a TypeScript consumer type-checks against the shipped declarations.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { ExitCode } from "../src/exit-codes.js";
import { runKubecis } from "./helpers.js";

const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  engines: { node: string };
  dependencies: Record<string, string>;
};
const SAMPLES = ["samples/kubeadm-v1.33/kube-apiserver.yaml", "samples/cis-hardened-v1.33/kube-apiserver.yaml", "samples/kubeadm-v1.19/ps-ef.txt"];

/** PATH without any directory that holds a `go` binary or is the project's tools folder. */
function pathWithoutGo(): string {
  return (process.env["PATH"] ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "" && !dir.includes(".tools") && !existsSync(join(dir, "go")))
    .join(delimiter);
}

/** The environment of a user's shell: no Go, no .tools, no KUBECIS_* pointing into this checkout. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("KUBECIS_") && !key.startsWith("GO")) env[key] = value;
  env["PATH"] = pathWithoutGo();
  env["NO_COLOR"] = "1";
  return env;
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: userEnv(), encoding: "utf8", maxBuffer: 64 << 20 });
}

function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr}`);
  return result.stdout;
}

describe("the packed npm tarball", () => {
  const work = mkdtempSync(join(tmpdir(), "kubecis-package-"));
  const consumer = join(work, "consumer");
  let tarball = "";
  const installed = () => join(consumer, "node_modules", pkg.name);
  const bin = () => join(consumer, "node_modules", ".bin", "kubecis");

  beforeAll(() => {
    mkdirSync(consumer, { recursive: true });
    // The maintainer's side: `make release` (Go and the tools are there), into a directory of its own.
    const release = join(work, "release");
    ok(spawnSync("make", ["--no-print-directory", "release", `RELEASE=${release}`], { cwd: packageRoot, encoding: "utf8" }));
    expect(readdirSync(release).sort()).toEqual(["SHA256SUMS", `${pkg.name}-${pkg.version}.tgz`]);
    // The user's side, as docs/install.md ("From a release tarball") says: verify the checksum, install the tarball.
    ok(run("sha256sum", ["--check", "--strict", "SHA256SUMS"], release));
    tarball = join(release, `${pkg.name}-${pkg.version}.tgz`);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
    ok(run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], consumer));
  }, 240_000);

  it("runs with Go and .tools off PATH", () => {
    expect(pathWithoutGo()).not.toMatch(/\.tools/);
    expect(run("sh", ["-c", "command -v go"], consumer).status).not.toBe(0);
  });

  it("holds the licence, the bundles and nothing of the sources or tests", () => {
    const files = readdirSync(installed(), { recursive: true, encoding: "utf8" });
    expect(files).toContain("LICENSE");
    expect(readFileSync(join(installed(), "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0, January 2004");
    for (const shipped of ["build/out/bundle.wasm.tar.gz", "build/out/catalog.json", "build/out/host-data.json", "dist/kubecis.mjs", "dist/index.d.ts", ...SAMPLES]) expect(files).toContain(shipped);
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("policies/") || /\.test\.(js|ts)$/.test(f))).toEqual([]);
    // Only the runtime dependencies come with it.
    const top = readdirSync(join(consumer, "node_modules")).filter((d) => !d.startsWith("."));
    expect(top).not.toContain("vitest");
    expect(top).not.toContain("typescript");
  });

  it("declares engines its dependencies accept and where it comes from", () => {
    const minimum = (range: string | undefined) => Number(/(\d+)/.exec(range ?? "0")?.[1] ?? 0);
    for (const dep of Object.keys(pkg.dependencies)) {
      const own = JSON.parse(readFileSync(join(consumer, "node_modules", dep, "package.json"), "utf8")) as { engines?: { node?: string } };
      expect(minimum(own.engines?.node), dep).toBeLessThanOrEqual(minimum(pkg.engines.node));
    }
    const shipped = JSON.parse(readFileSync(join(installed(), "package.json"), "utf8")) as Record<string, unknown>;
    expect(shipped).toMatchObject({ license: "Apache-2.0", repository: { url: expect.stringMatching(/^git\+https:\/\/github\.com\//) }, homepage: expect.stringMatching(/^https:\/\//) });
  });

  it("judges the samples like this checkout", () => {
    for (const sample of SAMPLES) {
      const there = run(bin(), ["test", join(installed(), sample), "-o", "report"], consumer);
      const here = runKubecis(["test", join(packageRoot, sample), "-o", "report"]);
      expect(there.stderr).toBe("");
      expect(there.status, sample).toBe(here.status);
      const verdicts = (out: string) =>
        (JSON.parse(out) as { summary: unknown; targets: { results: { id: string; status: string }[] }[] }).targets.flatMap((t) => t.results.map((r) => `${r.id} ${r.status}`));
      expect(verdicts(there.stdout)).toEqual(verdicts(here.stdout));
      expect(verdicts(there.stdout).length).toBeGreaterThan(10);
    }
    expect(run(bin(), ["test", join(installed(), SAMPLES[0]!)], consumer).status).toBe(ExitCode.Failures);
    expect(ok(run(bin(), ["--version"], consumer)).trim()).toBe(pkg.version);
  });

  it("imports as an ES module", () => {
    const script = [
      `import { loadKubecis, testInputs, ExitCode, exitCodeForReport } from "kubecis";`,
      `const report = testInputs([${JSON.stringify(join(installed(), SAMPLES[0]!))}], {}, loadKubecis());`,
      `console.log(JSON.stringify({ summary: report.summary, exit: exitCodeForReport(report), failures: ExitCode.Failures }));`,
    ].join("\n");
    const out = JSON.parse(ok(run(process.execPath, ["--input-type=module", "-e", script], consumer))) as { summary: { fail: number }; exit: number; failures: number };
    const here = JSON.parse(runKubecis(["test", join(packageRoot, SAMPLES[0]!), "-o", "report"]).stdout) as { summary: unknown };
    expect(out.summary).toEqual(here.summary);
    expect(out.exit).toBe(out.failures);
  });

  it("type-checks a TypeScript consumer, and the check rejects a wrong one", { timeout: 180_000 }, () => {
    const tsc = join(packageRoot, "node_modules", "typescript", "bin", "tsc");
    const config = {
      compilerOptions: {
        target: "es2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [join(packageRoot, "node_modules", "@types")],
      },
      files: ["consumer.ts"],
    };
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(config));
    const good = [
      `import { loadKubecis, testInputs, exitCodeForReport, ExitCode, type Report, type Status } from "kubecis";`,
      `const report: Report = testInputs(["kube-apiserver.yaml"], { kubernetesVersion: "1.33" }, loadKubecis());`,
      `const statuses: Status[] = report.targets.flatMap((t) => t.results.map((r) => r.status));`,
      `const code: number = exitCodeForReport(report, { noFail: true });`,
      `console.log(statuses.length, code === ExitCode.Ok);`,
    ].join("\n");
    writeFileSync(join(consumer, "consumer.ts"), good);
    const checked = run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);
    writeFileSync(join(consumer, "consumer.ts"), good.replace(`{ kubernetesVersion: "1.33" }`, `{ kubernetesVersion: 133 }`));
    const wrong = run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/consumer\.ts.*error TS2322/);
  });
});

describe("npm pack refuses a missing or stale build (prepack)", () => {
  /** A copy of this checkout's tracked files (a clone), timestamps kept; `extra` paths copied too. */
  const copyCheckout = (extra: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-prepack-"));
    const tracked = ok(spawnSync("git", ["ls-files", "-z"], { cwd: packageRoot, encoding: "utf8" })).split("\0").filter((f) => f !== "" && existsSync(join(packageRoot, f)));
    for (const path of [...tracked, ...extra]) cpSync(join(packageRoot, path), join(dir, path), { recursive: true, preserveTimestamps: true });
    return dir;
  };
  const pack = (dir: string, args: string[] = []) => spawnSync("npm", ["pack", "--pack-destination", join(dir, "out"), ...args], { cwd: dir, encoding: "utf8" });

  it("on a clean clone: no tarball, a message naming make release", () => {
    const clone = copyCheckout([]);
    mkdirSync(join(clone, "out"));
    const run = pack(clone);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("the build (dist/, build/out/) is missing or older than its sources; run `make release`");
    expect(readdirSync(join(clone, "out"))).toEqual([]);
  });

  it("with the build: packs; once a source is newer than the build: refuses", () => {
    const built = copyCheckout(["dist", "build/out"]);
    // The tools and dependencies the Makefile's rules name, as in this checkout.
    symlinkSync(realpathSync(join(packageRoot, ".tools")), join(built, ".tools"));
    symlinkSync(join(packageRoot, "node_modules"), join(built, "node_modules"));
    expect(pack(built, ["--dry-run"]).status).toBe(0);
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(built, "src/explain.ts"), later, later);
    const stale = pack(built, ["--dry-run"]);
    expect(stale.status).not.toBe(0);
    expect(stale.stderr).toContain("run `make release`");
  });
});
