// Flag pairs kube-apiserver refuses to start with (flag table `excludes`, `disjoint`; sources
// in policies/kubecis/flags/data.yaml): over every pair in the table, both flags are refused
// (`error`) with a diagnostic naming both places, and the real CLI makes the controls reading
// them `error`, never `pass` (review F1, L5).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlagTable, parseArgv, type ArgvItem } from "../src/index.js";
import { FIXTURES, runKubecis } from "./helpers.js";

const table = loadFlagTable();
const argv = (...words: string[]): ArgvItem[] => ["kube-apiserver", ...words].map((text, argIndex) => ({ text, origin: { file: "t", line: argIndex + 10, argIndex } }));
const excludes = [...table.entries()].flatMap(([a, spec]) => (spec.excludes ?? []).map((b) => [a, b] as const));
const disjoint = [...table.entries()].flatMap(([a, spec]) => (spec.disjoint ?? []).map((b) => [a, b] as const));

/** A value each flag type accepts, naming AlwaysAdmit where a list is wanted. */
const sample = (name: string) =>
  table.get(name)!.items?.oneOf?.[0] ?? ({ stringSlice: "AlwaysAdmit", string: "/etc/kubernetes/x.yaml", duration: "5m0s" } as Record<string, string>)[table.get(name)!.type] ?? "v1";

describe("refused flag pairs", () => {
  it("the table holds the upstream rules", () => {
    expect(excludes).toEqual(expect.arrayContaining([
      ["admission-control", "enable-admission-plugins"], ["admission-control", "disable-admission-plugins"],
      ["authorization-config", "authorization-mode"], ["authorization-config", "authorization-webhook-config-file"],
    ]));
    expect(disjoint).toEqual([["enable-admission-plugins", "disable-admission-plugins"]]);
  });

  it.each(excludes)("--%s with --%s: both refused, one diagnostic naming both places", (a, b) => {
    const parsed = parseArgv(argv(`--${a}=${sample(a)}`, `--${b}=${sample(b)}`), table);
    for (const name of [a, b]) expect(parsed.flags[name], name).toMatchObject({ error: expect.stringContaining("(mutually exclusive)"), raw: expect.any(String) });
    expect(parsed.flags[a]!.value).toBeUndefined();
    const diag = parsed.diagnostics.filter((d) => d.code === "conflicting-flags");
    expect(diag).toHaveLength(1);
    expect(diag[0]!.message).toContain(`--${a} (t:11) and --${b} (t:12)`);
    // Either one alone is accepted.
    for (const name of [a, b]) expect(parseArgv(argv(`--${name}=${sample(name)}`), table).flags[name]!.error).toBeUndefined();
  });

  it("an empty string flag is not given: --authorization-config= with --authorization-mode is accepted", () => {
    const parsed = parseArgv(argv("--authorization-config=", "--authorization-mode=Node,RBAC"), table);
    expect(parsed.flags["authorization-mode"]).toMatchObject({ value: ["Node", "RBAC"] });
  });

  it.each(disjoint)("--%s and --%s naming the same plugin: both refused; different plugins accepted", (a, b) => {
    const parsed = parseArgv(argv(`--${a}=NodeRestriction,AlwaysAdmit`, `--${b}=AlwaysAdmit`), table);
    for (const name of [a, b]) expect(parsed.flags[name]!.error, name).toContain("naming the same AlwaysAdmit");
    const ok = parseArgv(argv(`--${a}=NodeRestriction`, `--${b}=AlwaysAdmit`), table);
    for (const name of [a, b]) expect(ok.flags[name]!.error, name).toBeUndefined();
  });
});

describe("the real CLI on the reviewer's cases: error, never pass", () => {
  const results = (file: string) => {
    const run = runKubecis(["test", join(FIXTURES, "apiserver", file), "-o", "report"]);
    const target = (JSON.parse(run.stdout) as { targets: { diagnostics: { code: string }[]; results: { id: string; status: string; reason?: string }[] }[] }).targets[0]!;
    return { status: run.status, target, result: (id: string) => target.results.find((r) => r.id === id)! };
  };

  it.each([
    ["always_admit_not_enabled/error/enable_and_disable_overlap.yaml", ["KAS-0014", "KAS-0018"]],
    ["always_admit_not_enabled/error/admission_control_with_enable.yaml", ["KAS-0014"]],
    ["authorization_mode_not_always_allow/error/authorization_config_with_mode.yaml", ["KAS-0002", "KAS-0003", "KAS-0004"]],
  ])("%s", (file, ids) => {
    const { status, target, result } = results(file);
    expect(status).toBe(4);
    expect(target.diagnostics.some((d) => d.code === "conflicting-flags")).toBe(true);
    for (const id of ids) expect(result(id), id).toMatchObject({ status: "error", reason: expect.stringContaining("kube-apiserver refuses it together with") });
  });
});
