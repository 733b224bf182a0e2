// An exceptions entry's `targets:` globs cover a target only when every input file it was built
// from matches one of them. An RBAC inventory merged from several files was matched through its
// joined display path ("team-a/rbac.json, team-b/rbac.json", where `**` crosses ", "), so a glob
// naming one team's file waived the other team's findings, depending on the order of the files.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Result } from "../src/types.js";
import { CLI } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "kubecis-waiver-targets-"));
const rbac = "rbac.authorization.k8s.io";
/** A ClusterRole with create on pods/exec, bound cluster-wide to a group. */
function execGrant(group: string): string {
  const role = { apiVersion: `${rbac}/v1`, kind: "ClusterRole", metadata: { name: `exec-${group.replace(/:/g, "-")}` }, rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }] };
  const binding = { apiVersion: `${rbac}/v1`, kind: "ClusterRoleBinding", metadata: { name: role.metadata.name }, roleRef: { apiGroup: rbac, kind: "ClusterRole", name: role.metadata.name }, subjects: [{ apiGroup: rbac, kind: "Group", name: group }] };
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: [role, binding] });
}
for (const [dir, group] of [["team-a", "dev"], ["team-b", "system:authenticated"], ["shared/team-c", "ops"]] as const) {
  mkdirSync(join(work, dir), { recursive: true });
  writeFileSync(join(work, dir, "rbac.json"), execGrant(group));
}

/** KRB-0019 (pods/exec) for the inventory merged from `files`, with one exception entry. */
function judge(files: string[], targets: string[]): { status: number; result: Result } {
  writeFileSync(join(work, "exceptions.yaml"), `kind: Exceptions\nexceptions:\n  - controls: [KRB-0019]\n    targets: ${JSON.stringify(targets)}\n    reason: reviewed\n`);
  const run = spawnSync(process.execPath, [CLI, "test", ...files, "--exceptions", "exceptions.yaml", "-o", "report"], { cwd: work, encoding: "utf8" });
  const report = JSON.parse(run.stdout);
  expect(report.targets).toHaveLength(1);
  return { status: run.status ?? -1, result: report.targets[0].results.find((r: Result) => r.id === "KRB-0019") };
}

const a = "team-a/rbac.json";
const b = "team-b/rbac.json";
const orders = [[a, b], [b, a]];

describe("exceptions: targets over an inventory made of several files", () => {
  it.each(orders)("%s + %s: the inventory fails KRB-0019 (system:authenticated may exec)", (...files) => {
    const { status, result } = judge(files, ["nothing/**"]);
    expect(result.status).toBe("fail");
    expect(result.waived).toBeUndefined();
    expect(status).toBe(1);
  });

  it.each(orders.flatMap((files) => ["team-a/**", "team-a/*", a, "./team-a/rbac.json", `${work}/team-a/**`, "team-a/rbac.json, team-b/**", "*-a/**"].map((glob) => [...files, glob])))(
    "%s + %s: a glob naming only team-a's file (%s) does not waive the merged inventory",
    (f1, f2, glob) => {
      const { status, result } = judge([f1!, f2!], [glob!]);
      expect(result.waived).toBeUndefined();
      expect(status).toBe(1);
    },
  );

  it.each(orders.flatMap((files) => [["team-a/**", "team-b/**"], ["team-?/rbac.json"], ["**"], ["**/rbac.json"], [a, b]].map((globs) => [...files, globs])))(
    "%s + %s: globs covering every file (%j) waive it",
    (f1, f2, globs) => {
      const { status, result } = judge([f1 as string, f2 as string], globs as string[]);
      expect(result.waived).toMatchObject({ reason: "reviewed" });
      expect(status).toBe(0);
    },
  );

  it("a directory input: files found under it are each matched", () => {
    expect(judge(["team-a", "shared"], ["team-a/**"]).result.waived).toBeUndefined();
    expect(judge(["shared", "team-a"], ["team-a/**", "shared/**"]).result.waived).toBeDefined();
  });
});
