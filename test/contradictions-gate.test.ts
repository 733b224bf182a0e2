// A configuration the target's kube-apiserver does not start with, or a flag only old
// versions accept, is a finding that gates (DESIGN decisions 1 and 8), whatever profile the
// target's version maps to. The benchmarks naming such controls are those of the versions
// that had the flag, so a profile of the target's own version lacks them exactly where the
// contradiction holds; and an unknown version that the flags bound below 1.24 is judged by
// the benchmarks of the versions it may run, not by the newest one alone.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFlagTable, loadKubecis, type Kubecis } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import type { Result } from "../src/types.js";
import { runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-contradictions-"));
const HARDENED = readFileSync(join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml"), "utf8");
let kubecis: Kubecis;
beforeAll(() => {
  kubecis = loadKubecis();
});

let counter = 0;
/** The hardened manifest on kube-apiserver `version`, with `extra` arguments added. */
function manifest(version: string, extra: string[]): string {
  const text = HARDENED.replace("kube-apiserver:v1.33.0", `kube-apiserver:v${version}.0`).replace(
    "    - --anonymous-auth=false\n",
    ["    - --anonymous-auth=false", ...extra.map((a) => `    - ${a}`), ""].join("\n"),
  );
  const path = join(scratch, `m-${counter++}.yaml`);
  writeFileSync(path, text);
  return path;
}

function judged(path: string): { status: number | null; results: Result[] } {
  const run = runKubecis(["test", path, "-o", "report"]);
  return { status: run.status, results: JSON.parse(run.stdout).targets[0].results as Result[] };
}

/** An argument setting `name` to a value its type accepts. */
function argument(name: string): string {
  const type = loadFlagTable().get(name)?.type;
  if (type === "bool") return `--${name}=true`;
  if (type === "int" || type === "port") return `--${name}=0`;
  if (type === "ip") return `--${name}=127.0.0.1`;
  return `--${name}=/etc/kubernetes/x`;
}

describe("a flag the known version removed fails its control under the version's own profile", () => {
  const VERSION = "1.30";
  const removedFlags = (): [string, string][] => {
    const table = loadFlagTable();
    const out: [string, string][] = [];
    for (const control of kubecis.catalog.controls) {
      for (const flag of control.flags ?? []) {
        const removed = table.get(flag)?.removed;
        if (removed !== undefined && Number(removed.split(".")[1]) <= 30) out.push([control.id, flag]);
      }
    }
    return out;
  };

  it("the hardened manifest on 1.30 is clean (exit 0), so each case below tests its one flag", () => {
    const run = judged(manifest(VERSION, []));
    expect(run.results.filter((r) => r.status === "fail" && !r.outside)).toEqual([]);
    expect(run.status).toBe(0);
  });

  it("every control reading a flag removed by 1.30 fails, gating, when the flag is set", () => {
    const cases = removedFlags();
    expect(cases.length).toBeGreaterThanOrEqual(6);
    const quiet: string[] = [];
    for (const [id, flag] of cases) {
      const run = judged(manifest(VERSION, [argument(flag)]));
      const result = run.results.find((r) => r.id === id);
      if (run.status !== 1 || result?.status !== "fail" || result.outside !== undefined) {
        quiet.push(`${id} --${flag}: exit ${run.status}, ${result?.status}${result?.outside ? ` outside ${result.outside}` : ""}`);
      }
    }
    expect(quiet).toEqual([]);
  });

  it.each([
    ["PodSecurityPolicy", "1.30", "KAS-0019"],
    ["SecurityContextDeny", "1.34", "KAS-0020"],
  ])("naming %s on %s, which lacks it, fails %s and exits 1", (plugin, version, id) => {
    const path = manifest(version, []);
    writeFileSync(path, readFileSync(path, "utf8").replace("--enable-admission-plugins=NodeRestriction,", `--enable-admission-plugins=${plugin},NodeRestriction,`));
    const run = judged(path);
    const result = run.results.find((r) => r.id === id);
    expect(result).toMatchObject({ status: "fail" });
    expect(result?.outside).toBeUndefined();
    expect(run.status).toBe(1);
  });
});

describe("an unknown version that the flags bound is judged by the benchmarks of its range", () => {
  it("an open insecure port without version evidence exits 1 (the flags say 1.21-1.23)", () => {
    const path = manifest("1.33", ["--insecure-port=8080", "--insecure-bind-address=0.0.0.0"]);
    writeFileSync(path, readFileSync(path, "utf8").replace("kube-apiserver:v1.33.0", "kube-apiserver"));
    const run = runKubecis(["test", path]);
    // DenyServiceExternalIPs in the hardened list bounds it from 1.21 too.
    expect(run.stdout).toContain("1.21 to 1.23, from the flags");
    expect(run.stdout).toContain("the controls of cis-1.20, cis-1.23 (the benchmarks of the versions the flags allow) gate too");
    expect(run.status).toBe(1);
    const report = judged(path);
    for (const id of ["KAS-0021", "KAS-0022"]) {
      expect(report.results.find((r) => r.id === id)).toMatchObject({ status: "fail" });
      expect(report.results.find((r) => r.id === id)?.outside).toBeUndefined();
    }
  });

  it("a range that reaches the newest benchmark's versions (here 1.13 or later) is judged by it alone", () => {
    const path = manifest("1.33", []);
    writeFileSync(path, readFileSync(path, "utf8").replace("kube-apiserver:v1.33.0", "kube-apiserver"));
    const run = runKubecis(["test", path]);
    expect(run.stdout).toContain("using the newest benchmark, cis-1.12");
    expect(run.stdout).not.toContain("gate too");
  });
});

describe("a value kube-apiserver refuses stops it on any version (KAS-0045)", () => {
  it.each([
    ["--secure-port=abc", 'kube-apiserver does not start with --secure-port=abc: invalid integer "abc"'],
    ["--audit-log-maxage=-", "kube-apiserver does not start with --audit-log-maxage=-"],
  ])("%s fails KAS-0045 and exits 1, though the control reading it is outside the profile or errs", (arg, reason) => {
    const run = judged(manifest("1.33", [arg]));
    const result = run.results.find((r) => r.id === "KAS-0045");
    expect(result?.status).toBe("fail");
    expect(result?.outside).toBeUndefined();
    expect(result?.reason).toContain(reason);
    expect(run.status === 1 || run.status === 4).toBe(true);
  });

  it("a value holding a variable kubecis could not expand leaves KAS-0045 unjudged (error), never pass", () => {
    const run = judged(manifest("1.33", ["--request-timeout=$(TIMEOUT)"]));
    const result = run.results.find((r) => r.id === "KAS-0045");
    expect(result?.status).toBe("error");
    expect(result?.reason).toContain("values kubecis could not expand: --request-timeout=$(TIMEOUT)");
  });
});
