// No output line can be steered by the input, in any output format (REPORT_FORMATS: a new format
// is covered as soon as it exists) nor on stderr. Input text (a flag value, a file and directory
// name, an RBAC namespace, object and subject name, the --node label, a bad option value) holds
// what ends a line or rewrites one: LF, CR (`\rPASS` over a FAIL), ESC and C1 CSI sequences, NUL,
// NEL, U+2028, a bidi override, and `::` or `##[` (a CI runner's workflow commands: actions/runner
// src/Runner.Worker/ActionCommandManager.cs TryProcessCommand tries ActionCommand.TryParseV2, a
// line whose TrimStart() begins with `::`, then TryParse, `##[` anywhere). Every line kubecis writes
// (split as a runner splits them: CR, LF, CRLF) must hold none of these characters, start no
// command other than the github format's own, and the hostile text must still be seen (escaped).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { REPORT_FORMATS } from "../src/reporters/index.js";
import { CLI, runAsync } from "./helpers.js";

const HOSTILE = [
  "\n::stop-commands::lf",
  "\r\x1b[2K\x1b[32mPASS",
  "\r\n::add-mask::crlf",
  "\x00nul",
  "\u2028::ls",
  "\u2029ps",
  "\x85nel",
  "\x9b2Kcsi",
  "\u202eevil",
  "\x7fdel",
  " ##[stop-commands]v1",
];
/** What no line may hold: C0 but TAB (the formats' own indentation), DEL, C1, U+2028/2029, the
 * bidirectional controls, XML 1.0's excluded U+FFFE/U+FFFF. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/;
/** The github format's own commands (src/reporters/github.ts), the only lines that may start with `::`. */
const OWN_COMMAND = /^::(group|endgroup|error|warning|notice)( file=[^:,]*,line=[1-9]\d*)?::/;

const work = mkdtempSync(join(tmpdir(), "kubecis-inert-"));
// A directory whose name starts a command on a line of its own, and holds every hostile text.
const dir = join(work, `::stop-commands::dir${HOSTILE.join("").replaceAll("\x00", "")}`);
mkdirSync(dir);
const manifest = join(dir, "kube-apiserver.yaml");
writeFileSync(
  manifest,
  readFileSync(join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml"), "utf8").replace(
    "    - --profiling=false\n",
    `    - --profiling=true\n    - ${JSON.stringify(`--token-auth-file=/etc/tokens.csv${HOSTILE.join("")}`)}\n`,
  ),
);
// An input error: a file the YAML reader refuses, under a name that breaks lines.
const broken = join(dir, "broken\r::stop-commands::err\x1b[2K.yaml");
writeFileSync(broken, "kind: Pod\nspec: [\n");
// RBAC: groups that may exec into Pods (KRB-0019, a finding each) and a namespace, binding and
// role named with the hostile text.
const rbac = "rbac.authorization.k8s.io";
const ns = `team${HOSTILE[0]}`;
const rbacFile = join(dir, "rbac.json");
writeFileSync(
  rbacFile,
  JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: `${rbac}/v1`, kind: "ClusterRole", metadata: { name: `exec${HOSTILE[1]}` }, rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }] },
      ...HOSTILE.map((h, i) => ({
        apiVersion: `${rbac}/v1`,
        kind: "ClusterRoleBinding",
        metadata: { name: `exec-${i}${h}` },
        roleRef: { apiGroup: rbac, kind: "ClusterRole", name: `exec${HOSTILE[1]}` },
        subjects: [{ apiGroup: rbac, kind: "Group", name: `g${h}` }],
      })),
      { apiVersion: `${rbac}/v1`, kind: "Role", metadata: { name: `secrets${HOSTILE[3]}`, namespace: ns }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["*"] }] },
      {
        apiVersion: `${rbac}/v1`,
        kind: "RoleBinding",
        metadata: { name: `rb${HOSTILE[4]}`, namespace: ns },
        roleRef: { apiGroup: rbac, kind: "Role", name: `secrets${HOSTILE[3]}` },
        subjects: [{ kind: "ServiceAccount", name: `sa${HOSTILE[6]}`, namespace: ns }],
      },
    ],
  }),
);
// Paths as given relative to the working directory, so that the directory's `::` starts lines.
const [manifestArg, brokenArg, rbacArg] = [manifest, broken, rbacFile].map((p) => relative(work, p));
const node = `node-1${HOSTILE.join("").replaceAll("\x00", "")}`;

/** The lines a CI runner reads from a run (stdout and stderr; CR, LF, CRLF each end one). */
async function kubecis(args: string[]) {
  const run = await runAsync(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: "1" } });
  const lines = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split(/\r\n|\r|\n/));
  return { ...run, stdoutLines: lines(run.stdout), stderrLines: lines(run.stderr) };
}

function expectInert(lines: readonly string[], format: string): void {
  for (const line of lines) {
    expect(CONTROL.test(line), `${format}: ${JSON.stringify(line)}`).toBe(false);
    expect(line.includes("##["), `${format}: ${JSON.stringify(line)}`).toBe(false);
    if (line.trimStart().startsWith("::")) {
      expect(format, `${format}: ${JSON.stringify(line)}`).toBe("github");
      expect(line, `${format}: ${JSON.stringify(line)}`).toMatch(OWN_COMMAND);
    }
  }
}

describe("no output line can be steered by the input", () => {
  it.each(REPORT_FORMATS.map((f) => [f]))("-o %s: every line of stdout and stderr is inert", async (format) => {
    const run = await kubecis(["test", manifestArg!, brokenArg!, rbacArg!, "--node", node, "-o", format]);
    expect(run.status, run.stderr).toBe(4);
    expectInert(run.stdoutLines, format);
    expectInert(run.stderrLines, format);
    // The hostile values reached the output (escaped): the checks above were not vacuous.
    expect(run.stdout).toContain("stop-commands");
    expect(run.stdout).toContain("PASS");
    expect(run.stdout + run.stderr).toContain("broken");
    // The report is complete: the manifest was judged with its hostile flag value.
    expect(run.stdout).toContain("KAS-0008");
  });

  it("-o text shows the hostile text visibly escaped, and an RBAC finding named by it", async () => {
    const run = await kubecis(["test", manifestArg!, rbacArg!, "--node", node, "--all"]);
    expect(run.stdout).toContain("--token-auth-file=/etc/tokens.csv\\n::stop-commands::lf\\r\\x1b[2K\\x1b[32mPASS");
    expect(run.stdout).toContain("\\x00nul\\u2028::ls\\u2029ps\\x85nel\\x9b2Kcsi\\u202eevil\\x7fdel ##\\x5bstop-commands]v1");
    expect(run.stdout).toContain("Group:g\\r\\x1b[2K\\x1b[32mPASS");
    expect(run.stdout).toContain("in namespace team\\n::stop-commands::lf");
    expect(run.stdoutLines.some((l) => l.startsWith("\\x3a\\x3astop-commands::dir\\n::stop-commands::lf"))).toBe(true);
  });

  it.each([
    ["an --output value (commander)", ["test", manifest, "-o", `x${HOSTILE[0]}`]],
    ["a --profile value", ["test", manifest, "--profile", `x${HOSTILE[1]}`]],
    ["a --skip value", ["test", manifest, "--skip", `x${HOSTILE[2]}`]],
    ["a --max-rbac-file-size value", ["test", manifest, "--max-rbac-file-size", `1${HOSTILE[4]}`]],
    ["an --exceptions file name", ["test", manifest, "--exceptions", join(dir, `missing${HOSTILE[0]}.yaml`)]],
    ["a --data file name", ["test", manifest, "--data", join(dir, `missing${HOSTILE[1]}.yaml`)]],
    ["an input that does not exist", ["test", join(dir, `none${HOSTILE[0]}`)]],
  ])("%s: stderr names it on one inert line", async (_, args) => {
    const run = await kubecis(args);
    expect(run.status).not.toBe(0);
    expectInert(run.stderrLines, "stderr");
    expectInert(run.stdoutLines, "text");
    const errors = run.stderrLines.filter((l) => /^(kubecis: |error: )/.test(l));
    expect(errors.length, run.stderr).toBeGreaterThan(0);
    expect(errors.join("\n")).toMatch(/\\(n|r|x1b|u2028)/);
  });
});
