// -o github: every value from the input that reaches a workflow command is escaped as the Actions
// toolkit escapes it (actions/toolkit packages/core/src/command.ts escapeData: % CR LF; escapeProperty:
// also `:` and `,`), and every other line is text the runner cannot take for a command. The
// runner (actions/runner src/Runner.Common/ActionCommand.cs) reads the log line by line (CR, LF or
// CRLF end a line), takes a line whose TrimStart() begins with `::` as a command (TryParseV2) and,
// failing that, `##[name]` anywhere in a line (TryParse). An unescaped line break in a flag value,
// file name or RBAC subject wrote `::stop-commands::…` on its own line, and the runner then ignored
// every later annotation: a red gate looked green in the pull request.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { inertText } from "../src/reporters/inert.js";
import { runAsync, CLI } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "kubecis-github-"));
/** Text that would stop the runner's command processing, in every spelling that reaches it. */
const HOSTILE = ["\n::stop-commands::lf", "\r::stop-commands::cr", "\r\n::stop-commands::crlf", "%0A::stop-commands::pct", " ##[stop-commands]v1", ",line=99:x"];

// A directory whose name breaks lines and holds `,` and `:` (property separators).
const dir = join(work, `team,a:b\n::stop-commands::dir%0A`);
mkdirSync(dir);
const manifestText = readFileSync(join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml"), "utf8")
  .replace("--profiling=false", "--profiling=true")
  .replace("    - --profiling=true\n", `    - --profiling=true\n    - ${JSON.stringify(`--token-auth-file=/etc/tokens.csv${HOSTILE.join("")}`)}\n`);
const manifest = join(dir, "kube-apiserver.yaml");
writeFileSync(manifest, manifestText);
// An input error: a file the YAML reader refuses.
const broken = join(dir, "broken\r::stop-commands::err.yaml");
writeFileSync(broken, "kind: Pod\nspec: [\n");
// More RBAC findings of one control (KRB-0019, warn: groups that may exec into Pods) than GitHub
// annotates per step: the rest are plain log lines.
const rbac = "rbac.authorization.k8s.io";
const groups = Array.from({ length: 14 }, (_, i) => `g${i}${HOSTILE[i % HOSTILE.length]}`);
const items = [
  { apiVersion: `${rbac}/v1`, kind: "ClusterRole", metadata: { name: "exec" }, rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }] },
  ...groups.map((g, i) => ({ apiVersion: `${rbac}/v1`, kind: "ClusterRoleBinding", metadata: { name: `exec-${i}` }, roleRef: { apiGroup: rbac, kind: "ClusterRole", name: "exec" }, subjects: [{ apiGroup: rbac, kind: "Group", name: g }] })),
];
const rbacFile = join(dir, "rbac.json");
writeFileSync(rbacFile, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
// A second export: the inventory is made of both, and is annotated at its first file.
const rbacFile2 = join(work, "rbac-b.json");
writeFileSync(rbacFile2, JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: `${rbac}/v1`, kind: "ClusterRole", metadata: { name: "view-pods" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] }] }));

/** The runner's reading of a command line (ActionCommand.TryParseV2), or undefined for plain text. */
function parseCommand(line: string): { name: string; properties: Record<string, string>; data: string } | undefined {
  const text = line.trimStart();
  if (!text.startsWith("::")) return undefined;
  const end = text.indexOf("::", 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(" ");
  const name = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(",").filter((p) => p.length > 0)) {
      const eq = pair.indexOf("=");
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
    }
  }
  return { name, properties, data: unescape(text.slice(end + 2), false) };
}

/** UnescapeProperty / UnescapeData: each escape replaced in turn, %25 last. */
function unescape(text: string, property: boolean): string {
  let out = text.replaceAll("%0D", "\r").replaceAll("%0A", "\n");
  if (property) out = out.replaceAll("%3A", ":").replaceAll("%2C", ",");
  return out.replaceAll("%25", "%");
}

const EMITTED = new Set(["group", "endgroup", "error", "warning", "notice"]);

/** A run as the runner reads it: the lines of stdout and of stderr (it reads both; CR, LF and
 * CRLF each end a line) and their commands. */
async function github(inputs: string[]) {
  const run = await runAsync(process.execPath, [CLI, "test", ...inputs, "-o", "github"], { cwd: work, env: { ...process.env, NO_COLOR: "1" } });
  const lines = [run.stdout, run.stderr].flatMap((text) => text.split(/\r\n|\r|\n/).slice(0, -1));
  return { status: run.status, lines, commands: lines.map(parseCommand), stdout: run.stdout.split(/\r\n|\r|\n/).slice(0, -1) };
}

describe("-o github: input cannot write a workflow command", async () => {
  // The API server with an input error beside it; the RBAC inventory alone (a rejected file
  // would make every inventory control `error`, and the findings are what is tested).
  const runs = await Promise.all([github([manifest, broken]), github([rbacFile, rbacFile2])]);
  const lines = runs.flatMap((r) => r.lines);
  const commands = runs.flatMap((r) => r.commands);

  it("the runs end as without hostile text: an input error (4); RBAC warnings only (0)", () => {
    expect(runs.map((r) => r.status)).toEqual([4, 0]);
  });

  it("every line is a command kubecis means to write, or text that starts none", () => {
    expect(lines.length).toBeGreaterThan(20);
    lines.forEach((line, i) => {
      const command = commands[i];
      if (command) {
        expect(EMITTED.has(command.name), line).toBe(true);
        expect(Object.keys(command.properties).every((k) => k === "file" || k === "line"), line).toBe(true);
        if (command.properties["line"] !== undefined) expect(command.properties["line"], line).toMatch(/^[1-9]\d*$/);
      } else {
        expect(line.trimStart().startsWith("::"), line).toBe(false);
        expect(line.includes("##["), line).toBe(false);
      }
    });
  });

  it("stderr names the rejected file on one line, and starts no command", () => {
    const diagnostics = lines.filter((l) => l.startsWith("kubecis: "));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toContain("invalid YAML");
  });

  // Input text reaches every line-oriented format through inertText (test/inert-outputs.test.ts):
  // line breaks arrive as `\n`, `\r`, a file name too (an annotation is then not placed on a
  // file whose name holds a control character; it still shows in the run's summary).
  it("file properties name the input files (an inventory of several files: its first)", () => {
    const files = new Set(commands.flatMap((c) => (c?.properties["file"] !== undefined ? [c.properties["file"]] : [])));
    expect([...files].sort()).toEqual([broken, manifest, rbacFile].map(inertText).sort());
  });

  it("messages reach the runner as inertText renders the input", () => {
    const token = commands.find((c) => c?.name === "error" && c.data.startsWith("KAS-0008: "));
    expect(token?.data).toContain(inertText(`--token-auth-file=/etc/tokens.csv${HOSTILE.join("")}`));
    const exec = commands.filter((c) => c?.name === "warning" && c.data.startsWith("KRB-0019: "));
    expect(exec.length).toBeGreaterThan(1);
    for (const c of exec) expect(groups.some((g) => c!.data.includes(`Group:${inertText(g)} `)), c!.data).toBe(true);
  });

  it("the annotations after the hostile values are all there, and each run ends with its summary", () => {
    expect(commands.some((c) => c?.name === "error" && c.data.startsWith("KAS-0005: "))).toBe(true);
    expect(commands.some((c) => c?.name === "error" && c.properties["file"] === inertText(broken))).toBe(true);
    for (const run of runs) expect(run.stdout.at(-1)).toMatch(/^\d+ tests?, \d+ passed, |^::notice::kubecis: /);
    // Findings past GitHub's per-step budget are listed as plain lines, escaped like the rest.
    expect(lines.filter((l) => !parseCommand(l) && l.includes("(not annotated")).length).toBeGreaterThan(0);
  });
});
