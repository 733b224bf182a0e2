// `kubecis normalize` prints input values into CI logs too (`normalize | tee`, or a step that
// shows the document): its YAML and JSON keep every value exact, read back to the same verdicts,
// yet no line of them can start a runner's workflow command or hold a raw control character
// (src/reporters/inert.ts). Before, a flag value holding a line break was a YAML block scalar
// whose next line was `::stop-commands::…`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SAMPLE, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-normalize-inert-"));
const HOSTILE = "/var/log/x\n::stop-commands::abc\r\u001b[2K ##[error]forged\u2028\u0085\u009b\u007f\u202e end";
const manifest = join(scratch, "kube-apiserver.yaml");
writeFileSync(
  manifest,
  readFileSync(SAMPLE, "utf8").replace(/^(\s+)- kube-apiserver$/m, `$1- kube-apiserver\n$1- ${JSON.stringify(`--audit-log-path=${HOSTILE}`)}`),
);

const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/;

function verdicts(path: string): unknown {
  const run = runKubecis(["test", path, "-o", "report"]);
  const results = JSON.parse(run.stdout).targets[0].results as { id: string; status: string; reason: string }[];
  return results.map((r) => [r.id, r.status, r.reason]);
}

describe("kubecis normalize output is inert and exact", () => {
  it.each(["yaml", "json"])("-o %s: no line starts a workflow command or holds a raw control, and it judges alike", (format) => {
    const run = runKubecis(["normalize", manifest, "-o", format]);
    expect(run.stdout).toContain("stop-commands");
    for (const line of run.stdout.split("\n")) {
      expect(line.trimStart().startsWith("::"), line).toBe(false);
      expect(line.includes("##["), line).toBe(false);
      expect(RAW.test(line), JSON.stringify(line)).toBe(false);
    }
    const normalized = join(scratch, `normalized.${format}`);
    writeFileSync(normalized, run.stdout);
    expect(verdicts(normalized)).toEqual(verdicts(manifest));
    // The value itself is kept exact.
    const document = (format === "json" ? JSON.parse(run.stdout) : parse(run.stdout)) as { flags: Record<string, { value: unknown }> };
    expect(document.flags["audit-log-path"]?.value).toBe(HOSTILE);
  });
});
