// How a `sh -c` script becomes kube-apiserver's argv, proven against the real shell. For each
// script of the table, /bin/sh (dash) and bash run it with a probe named `kube-apiserver` on the
// PATH that records the argv it is given; kubecis must judge the script's Pod exactly as it
// judges a Pod that runs kube-apiserver with that recorded argv. POSIX XCU 2.3 (token
// recognition: operators, quoting, `\<newline>`, comments), 2.7 (redirections are not
// arguments), 2.9 (a newline, `;`, `&`, `&&`, `||`, `|` end a simple command).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { normalizeInputs } from "../src/index.js";
import type { ApiServerConfig, EffectiveFlag } from "../src/types.js";
import { runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-shell-"));
const probeDir = join(scratch, "bin");
spawnSync("mkdir", ["-p", probeDir]);
// The probe records its argv (NUL-separated) once: the first kube-apiserver that runs.
writeFileSync(join(probeDir, "kube-apiserver"), `#!/bin/sh\n[ -e "$PROBE_OUT" ] || { printf '%s\\0' "$@" > "$PROBE_OUT.tmp" && mv "$PROBE_OUT.tmp" "$PROBE_OUT"; }\n`);
chmodSync(join(probeDir, "kube-apiserver"), 0o755);

let counter = 0;

/** The argv the shell gives kube-apiserver for a script (without argv[0]), or undefined if the
 * script never runs it. A background `&` command may write after the shell has exited. */
function argvFromShell(shell: string, script: string): string[] | undefined {
  const out = join(scratch, `argv-${counter++}`);
  spawnSync(shell, ["-c", script], { env: { PATH: `${probeDir}:/usr/bin:/bin`, PROBE_OUT: out }, cwd: scratch, encoding: "utf8", timeout: 10_000 });
  for (let i = 0; i < 100 && !existsSync(out); i++) spawnSync("sleep", ["0.02"]);
  if (!existsSync(out)) return undefined;
  const text = readFileSync(out, "utf8");
  rmSync(out);
  return text === "" ? [] : text.replace(/\0$/, "").split("\0");
}

function podFile(command: string[]): string {
  const path = join(scratch, `pod-${counter++}.yaml`);
  const container = { name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.0", command };
  writeFileSync(path, stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "kube-apiserver", namespace: "kube-system" }, spec: { containers: [container] } }));
  return path;
}

/** The flags kubecis finds, without their origins (a script's words all come from one item). */
function flagsOf(command: string[]): Record<string, Omit<EffectiveFlag, "origin">> {
  const { documents, errors } = normalizeInputs([podFile(command)]);
  expect(errors.map((e) => e.message)).toEqual([]);
  expect(documents).toHaveLength(1);
  const flags = (documents[0] as ApiServerConfig).flags;
  return Object.fromEntries(Object.entries(flags).map(([name, { origin: _origin, ...rest }]) => [name, rest]));
}

const SCRIPTS: [string, string][] = [
  ["flags left on their own lines (no backslashes)", "exec kube-apiserver\n  --anonymous-auth=false\n  --authorization-mode=Node,RBAC\n  --profiling=false\n"],
  ["a later line repeats a flag", "exec kube-apiserver --anonymous-auth=true --authorization-mode=Node,RBAC\n--anonymous-auth=false\n"],
  ["backslash-newline continues the command", "exec kube-apiserver --authorization-mode=Node,RBAC \\\n  --anonymous-auth=false \\\n  --profiling=false\n"],
  ["a command before it on its own line", "mkdir -p ./audit\nexec kube-apiserver --anonymous-auth=false --profiling=false"],
  ["`&` sends it to the background, the rest is another command", "kube-apiserver --anonymous-auth=true & --anonymous-auth=false"],
  ["`&` glued to the last flag", "kube-apiserver --anonymous-auth=false --profiling=false&"],
  ["`;` glued to a word", "kube-apiserver --anonymous-auth=false;echo --profiling=false"],
  ["`&&` and `||` glued to words", "test -d / &&exec kube-apiserver --profiling=false||exit 1"],
  ["`|` glued to a word", "exec kube-apiserver '--authorization-mode=Node,RBAC' \"--profiling=false\" --anonymous-auth=false|cat"],
  ["redirections are not arguments", "exec kube-apiserver --anonymous-auth=false --profiling=false >/dev/null 2>&1 </dev/null"],
  ["a redirection between flags", "exec kube-apiserver --anonymous-auth=false 2>/dev/null --profiling=false 1>>/dev/null"],
  ["only an all-digit word before > is a descriptor", "exec kube-apiserver --anonymous-auth=false --profiling=true2>/dev/null"],
  ["comments at a word's start", "# start the API server\nexec kube-apiserver --anonymous-auth=false # --anonymous-auth=true\n"],
  ["a # inside a word is text", "exec kube-apiserver --anonymous-auth=false --audit-log-path=/var/log/a#b.log"],
  ["inside if/then/fi", "if [ -d / ]; then\n  exec kube-apiserver --anonymous-auth=false\nfi"],
  ["inside a brace group", "{ exec kube-apiserver --anonymous-auth=false; }"],
  ["inside a subshell", "(exec kube-apiserver --anonymous-auth=false --profiling=false)"],
  ["an assignment before the command", "GOGC=50 exec kube-apiserver --anonymous-auth=false"],
  ["a here-document's body is not a command", "cat <<EOF >/dev/null\nexec kube-apiserver --anonymous-auth=true\nEOF\nexec kube-apiserver --anonymous-auth=false"],
  ["an escaped ; is text", "exec kube-apiserver --anonymous-auth=false\\;--profiling=false"],
  ["a newline inside quotes stays in the word", "exec kube-apiserver --anonymous-auth=false '--authorization-mode=Node,\nRBAC'"],
  ["CRLF line ends", "exec kube-apiserver --anonymous-auth=false \\\r\n  --profiling=false\r\n"],
];

describe("a `sh -c` script gives kube-apiserver the argv the shell gives it", () => {
  it.each(SCRIPTS)("%s", (_, script) => {
    const dash = argvFromShell("/bin/sh", script);
    expect(dash, "the shell ran no kube-apiserver").toBeDefined();
    // The scripts are POSIX: bash agrees with dash on each.
    expect(argvFromShell("bash", script)).toEqual(dash);
    expect(flagsOf(["/bin/sh", "-c", script])).toEqual(flagsOf(["kube-apiserver", ...dash!]));
  });
});

describe("flags left on lines of their own", () => {
  const script = "exec kube-apiserver\n  --anonymous-auth=false\n  --authorization-mode=Node,RBAC\n  --profiling=false\n";

  it("are judged absent, as sh runs kube-apiserver without them, with a diagnostic naming each line", () => {
    const run = runKubecis(["test", podFile(["/bin/sh", "-c", script]), "-o", "report"]);
    const report = JSON.parse(run.stdout);
    const target = report.targets[0];
    const status = (id: string) => target.results.find((r: { id: string }) => r.id === id).status;
    expect(status("KAS-0001")).toBe("fail");
    expect(status("KAS-0002")).toBe("fail");
    const lines = target.diagnostics.filter((d: { code: string }) => d.code === "ignored-setting");
    expect(lines.map((d: { flag: string }) => d.flag)).toEqual(["anonymous-auth", "authorization-mode", "profiling"]);
    expect(lines[0].message).toMatch(/line 2 of the sh -c script/);
    expect(run.status).toBe(1);
  });

  it("a secret flag's value is never quoted in the diagnostic", () => {
    const secret = "s3cr3t-canary-value";
    const run = runKubecis(["normalize", podFile(["/bin/sh", "-c", `exec kube-apiserver --anonymous-auth=false\n--etcd-keyfile=${secret}\n--token-auth-file=/x/${secret}\n`])]);
    expect(run.stdout).toContain("etcd-keyfile");
    expect(run.stdout + run.stderr).not.toContain(secret);
  });
});

describe("a script sh refuses", () => {
  it.each([
    ["an open quote", `exec kube-apiserver --anonymous-auth=false "--profiling=false`],
    ["an open command substitution", `exec kube-apiserver --anonymous-auth=false --profiling=$(echo false`],
    ["a redirection without a target", `exec kube-apiserver --anonymous-auth=false >`],
  ])("%s: an input error naming the file; other inputs are still judged", (_, script) => {
    expect(spawnSync("/bin/sh", ["-n", "-c", script]).status).not.toBe(0);
    const bad = podFile(["/bin/sh", "-c", script]);
    const good = podFile(["kube-apiserver", "--anonymous-auth=false"]);
    const run = runKubecis(["test", bad, good, "-o", "report"]);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain(bad);
    expect(run.stderr).toMatch(/sh refuses the script/);
    expect(JSON.parse(run.stdout).targets.map((t: { source: { path: string } }) => t.source.path)).toEqual([good]);
  });
});
