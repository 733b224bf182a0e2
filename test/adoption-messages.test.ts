// First-run inputs a new user gives kubecis, each refused (exit 4, the other inputs still judged)
// with a message that says what the input is and what to do, not a misleading one:
// `ps -ef | kubecis test -` where no API server runs (was "invalid YAML"), a file Windows
// PowerShell 5.1 wrote with `>` (UTF-16LE with a byte order mark; was "binary content"), and a
// symbolic link to a directory inside a walked tree (was skipped without a word, so the gate
// judged less than the user pointed it at). Through the real CLI.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { packageRoot } from "../src/paths.js";
import type { Report } from "../src/types.js";
import { SAMPLE, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-adoption-"));
const HARDENED = join(packageRoot, "samples/cis-hardened-v1.33/kube-apiserver.yaml");

describe("a process list without an API server", () => {
  // Headers as procps and busybox print them; the processes of a worker node or a laptop.
  const LISTS: [string, string][] = [
    ["ps -ef", "UID          PID    PPID  C STIME TTY          TIME CMD\nroot           1       0  0 09:12 ?        00:00:03 /sbin/init\nroot         812       1  1 09:12 ?        00:02:10 /usr/bin/kubelet --config=/var/lib/kubelet/config.yaml\nme          4242    4100  0 10:00 pts/0    00:00:00 ps -ef\n"],
    ["ps aux", "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\nroot           1  0.0  0.1 167000 11000 ?        Ss   09:12   0:03 /sbin/init\nme          4242  0.0  0.0  10000  3000 pts/0    R+   10:00   0:00 ps aux\n"],
    ["busybox ps", "PID   USER     TIME  COMMAND\n    1 root      0:03 /sbin/init\n   42 root      0:00 ps\n"],
  ];

  it.each(LISTS)("%s on standard input is named a process list with no kube-apiserver", (_, text) => {
    const run = runKubecis(["test", "-"], text);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toMatch(/^kubecis: -: a process list of \d+ processes, none of them a kube-apiserver .*process: run this on a control-plane node/m);
    expect(run.stderr).not.toContain("invalid YAML");
  });

  it("a process list with the API server is still judged", () => {
    const line = "root 900 1 3 09:12 ? 00:10:00 kube-apiserver --anonymous-auth=false --profiling=false\n";
    const run = runKubecis(["test", "-", "-o", "report", "--no-fail"], LISTS[0]![1] + line);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.errors).toEqual([]);
    expect(report.targets.map((t) => t.source.format)).toEqual(["ps"]);
  });
});

describe("UTF-16 text (Windows PowerShell 5.1's `>`)", () => {
  it.each([
    ["with a byte order mark (UTF-16LE)", (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
    ["without one", (text: string) => Buffer.from(text, "utf16le")],
  ])("%s is named UTF-16, with how to convert it; the other inputs are still judged", (name, encode) => {
    const file = join(scratch, `utf16-${name.length}.yaml`);
    writeFileSync(file, encode(readFileSync(SAMPLE, "utf8")));
    const run = runKubecis(["test", file, HARDENED, "-o", "report"]);
    expect(run.status).toBe(ExitCode.Input);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.errors).toEqual([{ kind: "input", file, message: expect.stringMatching(/^UTF-16 text; kubecis reads UTF-8: convert it/) }]);
    expect(report.targets).toHaveLength(1);
  });
});

describe("a symbolic link to a directory in a walked tree", () => {
  it("is an input error naming it; the tree's other files are judged", () => {
    const tree = join(scratch, "tree");
    mkdirSync(join(tree, "manifests/dev"), { recursive: true });
    mkdirSync(join(tree, "clusters/prod"), { recursive: true });
    writeFileSync(join(tree, "manifests/dev/kube-apiserver.yaml"), readFileSync(HARDENED));
    writeFileSync(join(tree, "clusters/prod/kube-apiserver.yaml"), readFileSync(SAMPLE));
    symlinkSync("../clusters/prod", join(tree, "manifests/prod"));
    const run = runKubecis(["test", join(tree, "manifests"), "-o", "report"]);
    expect(run.status).toBe(ExitCode.Input);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.errors).toEqual([{ kind: "input", file: join(tree, "manifests/prod"), message: expect.stringMatching(/^a symbolic link to a directory, not followed: give its target as an input, or --exclude it/) }]);
    expect(report.targets.map((t) => t.source.path)).toEqual([join(tree, "manifests/dev/kube-apiserver.yaml")]);
    // Excluded, it is left out as the user asked.
    expect(runKubecis(["test", join(tree, "manifests"), "--exclude", join(tree, "manifests/prod")]).status).toBe(ExitCode.Ok);
  });
});

describe("the library (docs/install.md): what is returned and what is thrown", () => {
  it("an unusable input is a report error; what stops the run before judging is a typed error with the CLI's exit code", async () => {
    const { judge, loadKubecis, exitCodeForError, InputError, UsageError } = await import("../src/index.js");
    const kubecis = loadKubecis();
    const report = judge({ paths: [join(scratch, "missing.yaml"), HARDENED] }, {}, kubecis);
    expect(report.errors).toEqual([expect.objectContaining({ kind: "input", file: join(scratch, "missing.yaml") })]);
    expect(report.targets).toHaveLength(1);
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const noHost = thrown(() => judge({ hostRoot: join(scratch, "no-host") }, {}, kubecis));
    expect(noHost).toBeInstanceOf(InputError);
    expect(exitCodeForError(noHost as InstanceType<typeof InputError>)).toBe(ExitCode.Input);
    const badVersion = thrown(() => judge({ paths: [HARDENED] }, { kubernetesVersion: "banana" }, kubecis));
    expect(badVersion).toBeInstanceOf(UsageError);
    expect(exitCodeForError(badVersion as InstanceType<typeof UsageError>)).toBe(ExitCode.Usage);
  });
});
