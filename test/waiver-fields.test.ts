// Every field of an exceptions entry is the parsed YAML node's value, whatever the layout:
// flow style, several entries on one line, a reason that mentions `expires:`, an alias, JSON.
// An expired waiver that kept waiving because another text on its line said a later date
// was a wrong pass (the date was re-read from the source line by a regex).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import type { Result } from "../src/types.js";
import { runKubecisAsync } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "kubecis-waiver-fields-"));
// The hardened sample with profiling on: KAS-0005 is its one failure.
const manifest = join(work, "kube-apiserver.yaml");
writeFileSync(manifest, readFileSync(join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml"), "utf8").replace("--profiling=false", "--profiling=true"));

const head = "apiVersion: kubecis.dev/v1alpha1\nkind: Exceptions\n";
/** Exceptions files whose KAS-0005 entry expired on 2020-01-01, with a later date written
 * before it on the same line. */
const expired: [string, string][] = [
  ["two flow entries on one line", `${head}exceptions: [{controls: [KAS-0044], reason: r1, expires: "2099-12-31"}, {controls: [KAS-0005], reason: r2, expires: "2020-01-01"}]\n`],
  ["a reason that mentions a later expiry", `${head}exceptions:\n  - {controls: [KAS-0005], reason: "renew, expires: 2099-12-31", expires: "2020-01-01"}\n`],
  ["a single-quoted reason", `${head}exceptions:\n  - {controls: [KAS-0005], reason: 'expires:2099-12-31', expires: 2020-01-01}\n`],
  ["a target glob named expires:2099-12-31", `${head}exceptions:\n  - {targets: ["**", "expires:2099-12-31"], controls: [KAS-0005], reason: r, expires: 2020-01-01}\n`],
  ["a date given through an alias", `${head}exceptions:\n  - {controls: [KAS-0044], reason: r1, expires: &old 2020-01-01}\n  - controls: [KAS-0005]\n    reason: r2\n    expires: *old\n`],
  ["a one-line JSON file", JSON.stringify({ kind: "Exceptions", exceptions: [{ controls: ["KAS-0044"], reason: "expires: 2099-12-31", expires: "2099-12-31" }, { controls: ["KAS-0005"], reason: "r2", expires: "2020-01-01" }] })],
];

let counter = 0;
async function judge(text: string): Promise<{ status: number; result: Result; stderr: string }> {
  const file = join(work, `exceptions-${counter++}.yaml`);
  writeFileSync(file, text);
  const run = await runKubecisAsync(["test", manifest, "--exceptions", file, "-o", "report"]);
  const report = JSON.parse(run.stdout || "{}");
  return { status: run.status, stderr: run.stderr, result: report.targets?.[0]?.results.find((r: Result) => r.id === "KAS-0005") };
}

describe("exceptions: expires is the parsed entry's own value", () => {
  it.each(expired)("%s: the expired waiver does not waive, and the run fails", async (_name, text) => {
    const { status, result, stderr } = await judge(text);
    expect(stderr).toBe("");
    expect(result.status).toBe("fail");
    expect(result.waived).toBeUndefined();
    expect(result.waiverExpired).toMatchObject({ expires: "2020-01-01" });
    expect(status).toBe(1);
  });

  it.each(expired)("%s: the same file dated 2099 waives, with the date of its own entry", async (_name, text) => {
    const { status, result } = await judge(text.replace(/2020-01-01/g, "2098-06-30"));
    expect(result.waived).toMatchObject({ expires: "2098-06-30" });
    expect(status).toBe(0);
  });

  it.each(["2027-02-30", "'2027-02-29'", "2027-2-3", "20270203", "2027-02-03T00:00:00Z"])("flow style: expires %s (not a YYYY-MM-DD calendar date) is an input error", async (date) => {
    const { status, stderr } = await judge(`${head}exceptions: [{controls: [KAS-0005], reason: r, expires: ${date}}]\n`);
    expect(status).toBe(4);
    expect(stderr).toContain("expires must be a date YYYY-MM-DD (a real calendar date)");
  });
});
