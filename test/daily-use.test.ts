// Daily use of the CLI: `kubecis test --help` names every input form (and each named form is
// read), the text filters --status and --severity change what is shown and never the verdict,
// and shell completion scripts that name every command and option.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import { BOOTSTRAP_RBAC, CLI, SAMPLE, runKubecis } from "./helpers.js";

const inputs = (path: string) => join(packageRoot, "test/inputs", path);
const nodeReport = join(mkdtempSync(join(tmpdir(), "kubecis-daily-")), "cp-1.json");
writeFileSync(nodeReport, runKubecis(["test", SAMPLE, "--node", "cp-1", "-o", "report"]).stdout);

/** Each form `kubecis test --help` lists, a real input of that form, and the format kubecis reads it as. */
const FORMS: [label: string, path: string, format: string][] = [
  ["kube-apiserver static pod manifest", SAMPLE, "pod-manifest"],
  ["ps output", inputs("ps/hyperkube.ps"), "ps"],
  ["/proc/<pid>/cmdline dump", inputs("cmdline/cmdline"), "cmdline"],
  ["kubeadm configuration", inputs("kubeadm/v1beta3-stable.yaml"), "kubeadm"],
  ["k3s / RKE2 config.yaml", inputs("k3s/etc/rancher/k3s/config.yaml"), "k3s-config"],
  ["k3s / RKE2 config.yaml", inputs("rke2/etc/rancher/rke2/config.yaml"), "rke2-config"],
  ["k3s journal", inputs("journal/k3s.log"), "journal"],
  ["systemd unit", inputs("systemd/usr/lib/systemd/system/kube-apiserver.service"), "systemd-unit"],
  ["MicroK8s args file", inputs("microk8s/var/snap/microk8s/current/args/kube-apiserver"), "microk8s-args"],
  ["RBAC objects", BOOTSTRAP_RBAC, "rbac"],
  ["node reports", nodeReport, "pod-manifest"],
];

describe("kubecis test --help", () => {
  const help = runKubecis(["test", "--help"]);
  it("exits 0 and lists every input form", () => {
    expect(help.status).toBe(ExitCode.Ok);
    const section = help.stdout.slice(help.stdout.indexOf("\nInputs ("), help.stdout.indexOf("\nExamples:"));
    const listed = section.split("\n").filter((line) => /^ {2}\S.*? {3,}\S/.test(line));
    expect(listed.map((line) => line.trim().split(/ {3,}/)[0])).toEqual([...new Set(FORMS.map(([label]) => label))]);
  });

  it.each(FORMS)("the listed form %s is read: %s", (label, path, format) => {
    expect(help.stdout).toContain(`  ${label}   `);
    const report = JSON.parse(runKubecis(["test", path, "-o", "report"]).stdout);
    expect(report.errors).toEqual([]);
    expect(report.targets.length).toBeGreaterThan(0);
    expect(report.targets.map((t: { source: { format: string } }) => t.source.format)).toContain(format);
  });
});

describe("--status and --severity", () => {
  const full = runKubecis(["test", SAMPLE]);
  const report = JSON.parse(runKubecis(["test", SAMPLE, "-o", "report"]).stdout);
  const results: { id: string; status: string; severity: string }[] = report.targets[0].results;
  const shownIds = (text: string) => [...text.matchAll(/^ {2}(?:FAIL |ERROR|WARN |PASS |N\/A  ) (KAS-\d{4})/gm)].map((m) => m[1]);
  const summary = (text: string) => text.trimEnd().split("\n").at(-1);

  it("show only the results asked for; the summary line and the exit code are the unfiltered run's", () => {
    expect(new Set(results.map((r) => r.status)).size).toBeGreaterThan(2);
    for (const [args, keep] of [
      [["--status", "fail,warn"], (r: (typeof results)[number]) => r.status === "fail" || r.status === "warn"],
      [["--status", "pass", "--status", "NOT-APPLICABLE"], (r: (typeof results)[number]) => r.status === "pass" || r.status === "not-applicable"],
      [["--severity", "critical,high"], (r: (typeof results)[number]) => r.severity === "critical" || r.severity === "high"],
      [["--status", "fail", "--severity", "medium"], (r: (typeof results)[number]) => r.status === "fail" && r.severity === "medium"],
    ] as const) {
      const run = runKubecis(["test", SAMPLE, ...args]);
      expect(run.status, args.join(" ")).toBe(full.status);
      const expected = results.filter(keep).map((r) => r.id);
      expect(expected.length, args.join(" ")).toBeGreaterThan(0);
      expect(shownIds(run.stdout).sort()).toEqual(expected.sort());
      expect(summary(run.stdout)).toBe(summary(full.stdout));
      const hidden = results.length - expected.length;
      expect(run.stdout).toContain(`${hidden} result${hidden === 1 ? "" : "s"} not shown`);
    }
    expect(shownIds(full.stdout).length).toBe(results.length);
    expect(full.stdout).not.toContain("not shown");
  });

  it("never change what gates: a run with failures still exits 1 when only passes are shown", () => {
    const run = runKubecis(["test", SAMPLE, "--status", "pass"]);
    expect(run.status).toBe(ExitCode.Failures);
    expect(shownIds(run.stdout).every((id) => results.find((r) => r.id === id)!.status === "pass")).toBe(true);
  });

  it("are usage errors with a machine format or an unknown value", () => {
    for (const args of [["--status", "fail", "-o", "json"], ["--severity", "high", "-o", "sarif"], ["--status", "failed"], ["--severity", "urgent"]]) {
      const run = runKubecis(["test", SAMPLE, ...args]);
      expect(run.status, args.join(" ")).toBe(ExitCode.Usage);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/--status|--severity/);
    }
  });
});

describe("kubecis completion", () => {
  /** Runs the bash completion function for a command line being typed; returns the candidates. */
  const complete = (words: string[]) => {
    const script = runKubecis(["completion", "bash"]).stdout;
    const line = words.map((w) => `'${w}'`).join(" ");
    const run = spawnSync("bash", ["-c", `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _kubecis; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    return run.stdout.split("\n").filter(Boolean);
  };

  it("bash: commands, each command's options, and choice values, in a real bash", () => {
    expect(complete(["kubecis", ""])).toEqual(["test", "bundle", "scan", "normalize", "list", "explain", "completion", "--help", "--version"]);
    expect(complete(["kubecis", "te"])).toEqual(["test"]);
    expect(complete(["kubecis", "test", "--st"])).toEqual(["--status"]);
    expect(complete(["kubecis", "scan", "--ho"])).toEqual(["--host-root"]);
    expect(complete(["kubecis", "test", "-o", "j"])).toEqual(["json", "junit"]);
    expect(complete(["kubecis", "normalize", "--output", ""])).toEqual(["json", "yaml"]);
    expect(complete(["kubecis", "list", "--host"])).toEqual([]);
  });

  it("bash and zsh name every option of every command; fish declares each with its values", () => {
    const help = (command: string) => runKubecis([command, "--help"]).stdout;
    const bash = runKubecis(["completion", "bash"]).stdout;
    const zsh = runKubecis(["completion", "zsh"]).stdout;
    const fish = runKubecis(["completion", "fish"]).stdout;
    expect(zsh).toContain("bashcompinit");
    expect(zsh).toContain("complete -o default -o bashdefault -F _kubecis kubecis");
    for (const command of ["test", "scan", "normalize", "list", "explain", "bundle"]) {
      const longs = [...help(command).matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
      expect(longs.length).toBeGreaterThan(0);
      for (const long of longs) {
        expect(bash, `${command} ${long}`).toMatch(new RegExp(`^ {4}${command}\\) COMPREPLY=.*${long}[ "]`, "m"));
        expect(fish, `${command} ${long}`).toContain(`complete -c kubecis -n '__fish_seen_subcommand_from ${command}' -l ${long.slice(2)}`);
      }
    }
    expect(fish).toContain("-l output -s o -x -a 'text report stdout json tap table junit github sarif'");
  });

  it("an unknown shell is a usage error", () => {
    const run = runKubecis(["completion", "powershell"]);
    expect(run.status).toBe(ExitCode.Usage);
    expect(run.stderr).toContain("bash, zsh, fish");
  });
});

describe("progress line", () => {
  const many = mkdtempSync(join(tmpdir(), "kubecis-many-"));
  // The line appears only after a run's first second: 3,000 manifests take several seconds
  // (600 took about one once the CLI got faster, and the test then saw no line at all).
  const COUNT = 3000;
  for (let i = 0; i < COUNT; i++) writeFileSync(join(many, `m${i}.yaml`), readFileSync(SAMPLE));
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  /** Runs kubecis with stderr on a pseudo-terminal (util-linux `script`), stdout to a file; returns what the terminal got. */
  const onTerminal = (args: string[]) => {
    const out = join(many, "..", `${Math.random().toString(36).slice(2)}.out`);
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(" ") + ` > '${out}'`;
    const run = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8" });
    return { terminal: run.stdout, stdout: readFileSync(out, "utf8") };
  };

  it.skipIf(!hasScript).each([["text"], ["report"]])("a long run on a terminal shows judged/total on stderr and erases it (-o %s)", (format) => {
    const { terminal, stdout } = onTerminal(["test", many, "-o", format]);
    const updates = [...terminal.matchAll(new RegExp(`\\r\\x1b\\[Kkubecis: judged (\\d+)/${COUNT} targets`, "g"))].map((m) => Number(m[1]));
    expect(updates.length).toBeGreaterThan(0);
    expect(updates).toEqual([...updates].sort((a, b) => a - b));
    expect(terminal.endsWith("\r\x1b[K")).toBe(true);
    expect(stdout).not.toContain("kubecis: judged");
  });

  it.skipIf(!hasScript)("a short run on a terminal shows none", () => {
    expect(onTerminal(["test", SAMPLE]).terminal).not.toContain("judged");
  });

  it("nothing when stderr is not a terminal", () => {
    const run = spawnSync(process.execPath, [CLI, "test", many], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(ExitCode.Failures);
  });
});
