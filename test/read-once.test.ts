// `kubecis test` reads each input file once (a real process, with fs.readFileSync and
// fs.openSync, the guarded reader's way in, counted by a preloaded script): at 100k RBAC bindings a second read of the 160 MB export cost ~0.3 s.
// Node reports among the inputs (a directory holding one beside other files) included.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { YAML_OR_JSON_NAME } from "../src/readers/files.js";
import { BOOTSTRAP_RBAC, CLI, SAMPLE, runAsync, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-read-once-"));
const COUNTER = join(scratch, "count-reads.cjs");
writeFileSync(
  COUNTER,
  `const fs = require("node:fs");
const { resolve } = require("node:path");
const { syncBuiltinESMExports } = require("node:module");
const counts = {};
for (const name of ["readFileSync", "openSync"]) {
  const original = fs[name];
  fs[name] = function (path, ...rest) {
    if (typeof path === "string") counts[resolve(path)] = (counts[resolve(path)] ?? 0) + 1;
    return original.call(this, path, ...rest);
  };
}
syncBuiltinESMExports();
process.on("exit", () => fs.writeFileSync(process.env.KUBECIS_READ_COUNTS, JSON.stringify(counts)));
`,
);

describe("kubecis test reads each input once", () => {
  it("a directory of RBAC objects, a manifest, and a directory holding a node report beside a manifest", async () => {
    const mixed = join(scratch, "mixed");
    mkdirSync(mixed);
    const report = runKubecis(["test", SAMPLE, "--node", "node-a", "-o", "report"]);
    expect(report.stdout).toContain('"kind": "Report"');
    writeFileSync(join(mixed, "node-a.json"), report.stdout);
    copyFileSync(SAMPLE, join(mixed, "kube-apiserver.yaml"));
    const counts = join(scratch, "counts.json");
    const run = await runAsync(process.execPath, ["--require", COUNTER, CLI, "test", BOOTSTRAP_RBAC, SAMPLE, mixed, "-o", "report"], {
      env: { ...process.env, NO_COLOR: "1", KUBECIS_READ_COUNTS: counts },
    });
    const judged = JSON.parse(run.stdout) as { targets: { node?: string }[]; errors: unknown[] };
    expect(judged.errors).toEqual([]);
    expect(judged.targets.some((t) => t.node === "node-a")).toBe(true);
    const reads = JSON.parse(readFileSync(counts, "utf8")) as Record<string, number>;
    const yaml = (dir: string) => readdirSync(dir).filter((f) => YAML_OR_JSON_NAME.test(f)).map((f) => join(dir, f));
    const inputs = [...yaml(BOOTSTRAP_RBAC), SAMPLE, ...yaml(mixed)];
    expect(inputs.length).toBeGreaterThan(4);
    for (const input of inputs) expect(reads[resolve(input)], input).toBe(1);
  });
});
