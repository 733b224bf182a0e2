// Hostile inputs, through the real CLI as a process: special files, unbounded files, deep
// nesting, alias bombs, a fake host root with links out of it, and a closed stdout. Each run
// must end within a bound, never as an internal error, with the other inputs still judged.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, SAMPLE } from "./helpers.js";
import { InputError } from "../src/errors.js";
import { InputCollector } from "../src/normalizers/index.js";
import { packageRoot } from "../src/paths.js";
import { YAML_OR_JSON_NAME, decodeText } from "../src/readers/files.js";
import { yamlLib } from "../src/readers/yaml.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-hostile-"));
const HARDENED = join(packageRoot, "samples", "cis-hardened-v1.33", "kube-apiserver.yaml");
/** A run that takes longer than this hangs (a one-file run takes about a second). */
const BOUND_MS = 30_000;

interface BoundedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The CLI as a process whose standard input stays open (a FIFO or a pipe must not be waited
 * for), killed after BOUND_MS. */
function runBounded(args: string[], options: { closeStdout?: boolean } = {}): Promise<BoundedRun> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { cwd: packageRoot, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    if (options.closeStdout) child.stdout!.destroy();
    else child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, BOUND_MS);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

interface ReportShape {
  targets: { source: { path: string }; results: { id: string; status: string }[] }[];
  errors: { file: string; line?: number; message: string }[];
}

function parseReport(run: BoundedRun): ReportShape {
  expect(run.timedOut, "the run hung").toBe(false);
  expect(run.stderr).not.toContain("internal error");
  return JSON.parse(run.stdout) as ReportShape;
}

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

describe("a walked directory never loses its good files", () => {
  const dir = join(scratch, "walk");
  let socket: Server | undefined;
  const bad: Record<string, RegExp> = {
    "binary.yaml": /binary content/,
    "dangling.yaml": /no such file/,
    "loop.yaml": /symbolic links/,
    "fifo.yaml": /not a regular file \(a FIFO\)/,
    "socket.yaml": /not a regular file/,
    "zero.yaml": /not a regular file \(a character device\)/,
    "proc-zero.yaml": /not a regular file \(a character device\)/,
    "sub.yaml/inner-fifo.yaml": /not a regular file \(a FIFO\)/,
    "big.yaml": /the limit is/,
  };

  beforeAll(async () => {
    mkdirSync(join(dir, "sub.yaml"), { recursive: true });
    copyFileSync(SAMPLE, join(dir, "good.yaml"));
    writeFileSync(join(dir, "binary.yaml"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling.yaml"));
    symlinkSync("loop.yaml", join(dir, "loop.yaml"));
    mkfifo(join(dir, "fifo.yaml"));
    mkfifo(join(dir, "sub.yaml", "inner-fifo.yaml"));
    symlinkSync("/dev/zero", join(dir, "zero.yaml"));
    symlinkSync("/proc/self/root/dev/zero", join(dir, "proc-zero.yaml"));
    writeFileSync(join(dir, "big.yaml"), "");
    truncateSync(join(dir, "big.yaml"), 17 * 1024 * 1024);
    socket = createServer();
    await new Promise<void>((resolve) => socket!.listen(join(dir, "socket.yaml"), resolve));
  });
  afterAll(() => {
    socket?.close();
  });

  it("reports each unreadable file as its own input error (exit 4) and judges the rest", async () => {
    const run = await runBounded(["test", dir, "-o", "report"]);
    const report = parseReport(run);
    expect(run.status).toBe(4);
    expect(report.targets.map((t) => t.source.path)).toEqual([join(dir, "good.yaml")]);
    for (const [name, reason] of Object.entries(bad)) {
      const error = report.errors.find((e) => e.file === join(dir, name));
      expect(error, `${name}: ${JSON.stringify(report.errors)}`).toBeDefined();
      expect(error!.message).toMatch(reason);
    }
    expect(report.errors).toHaveLength(Object.keys(bad).length);
  });
});

describe("every path is read as what it resolves to, with a size cap", () => {
  const fifo = join(scratch, "named.fifo.yaml");
  beforeAll(() => mkfifo(fifo));

  // Paths under /proc used to skip the regular-file check: /dev/zero grew without bound, and
  // a FIFO or this process's own open stdin waited forever.
  for (const path of ["/proc/self/root/dev/zero", "/proc/self/fd/0", `/proc/self/root${fifo}`, fifo, "/dev/zero"]) {
    it(`refuses ${path} at once`, async () => {
      const run = await runBounded(["test", path, SAMPLE, "-o", "report"]);
      const report = parseReport(run);
      expect(run.status).toBe(4);
      expect(report.errors).toEqual([expect.objectContaining({ file: path, message: expect.stringMatching(/^not a regular file/) })]);
      expect(report.targets).toHaveLength(1);
    });
  }
});

describe("documents nested too deeply or expanding past the limit", () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  // The line: where the nesting passes the limit, or (block YAML too deep for the parser's
  // stack) where the parser gave up, deeper still.
  const cases: Record<string, { text: string; reason: RegExp; line: number | ReturnType<typeof expect.any> }> = {
    "flow.yaml": { text: `kind: Pod\nspec:\n  x: ${deep}\n`, reason: /nested too deeply/, line: 3 },
    "compact.yaml": { text: `kind: Pod\nspec:\n  x:\n  ${"- ".repeat(100_000)}x\n`, reason: /nested too deeply/, line: 4 },
    "indented.yaml": { text: Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}a:\n`).join("") + `${" ".repeat(3000)}b\n`, reason: /nested too deeply/, line: expect.any(Number) },
    "rbac.json": {
      text: `{"apiVersion":"v1","kind":"List","items":[\n{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"x"},\n"rules":[{"verbs":["get"],"apiGroups":[""],"resources":${deep}}]}]}\n`,
      reason: /nested too deeply/,
      line: 3,
    },
    "alias-bomb.yaml": { text: `kind: Pod\nbig: &a ${"x".repeat(10 * 1024 * 1024)}\nlist: [${Array(900).fill("*a").join(", ")}]\n`, reason: /once its aliases are expanded/, line: 1 },
    "null-container.yaml": { text: "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver}\nspec:\n  containers: [null]\n", reason: /spec\.containers\[0\]: expected a container/, line: 5 },
  };
  const dir = join(scratch, "deep");
  beforeAll(() => {
    mkdirSync(dir);
    for (const [name, { text }] of Object.entries(cases)) writeFileSync(join(dir, name), text);
  });

  for (const [name, { reason, line }] of Object.entries(cases)) {
    it(`${name}: an input error naming file and line; the sample beside it is judged`, async () => {
      const run = await runBounded(["test", join(dir, name), SAMPLE, "-o", "report"]);
      const report = parseReport(run);
      expect(run.status).toBe(4);
      expect(report.errors).toEqual([expect.objectContaining({ file: join(dir, name), line, message: expect.stringMatching(reason) })]);
      expect(report.targets).toHaveLength(1);
    });
  }
});

describe("scan --host-root: nothing outside the root", () => {
  const outside = join(scratch, "outside");
  let decoy: ChildProcess | undefined;
  const CANARY = "OUTSIDE-THE-ROOT-CANARY";

  beforeAll(async () => {
    mkdirSync(join(outside, "bin"), { recursive: true });
    writeFileSync(join(outside, "cmdline"), `kube-apiserver\0--etcd-servers=https://${CANARY}:2379\0`);
    // A binary outside the root whose version stamp must not become evidence.
    writeFileSync(join(outside, "bin", "stamped"), "\0-X 'k8s.io/component-base/version.gitVersion=v1.29.9'\0");
    // A real process of this machine named kube-apiserver, with the canary in its argv: a
    // root whose proc leads to this machine's /proc must not find it.
    const executable = join(outside, "bin", "kube-apiserver");
    copyFileSync("/bin/sh", executable);
    chmodSync(executable, 0o755);
    decoy = spawn(executable, ["-c", "while :; do sleep 1; done", `--etcd-servers=https://${CANARY}:2379`], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  afterAll(() => {
    decoy?.kill("SIGKILL");
  });

  it("<root>/proc linked to the machine's /proc is not this machine's processes", async () => {
    const root = join(scratch, "root-proc-link");
    mkdirSync(root);
    symlinkSync("/proc", join(root, "proc"));
    const run = await runBounded(["scan", "--host-root", root, "-o", "report"]);
    expect(run.timedOut).toBe(false);
    expect(run.stderr).not.toContain("internal error");
    expect(run.status).toBe(4);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(run.stderr).toContain("cannot list processes");
  });

  it("reads every cmdline and exe inside the root, regular and capped, without hanging", async () => {
    const root = join(scratch, "root-hostile");
    const proc = (pid: number, name: string) => join(root, "proc", String(pid), name);
    for (const pid of [100, 101, 102, 103, 104, 105, 106]) mkdirSync(join(root, "proc", String(pid)), { recursive: true });
    mkdirSync(join(root, "usr", "bin"), { recursive: true });
    writeFileSync(join(root, "usr", "bin", "kube-apiserver"), "not a stamped binary\n");
    const inside = "/usr/bin/kube-apiserver";
    // 100: a cmdline linked out of the root (absolute and by climbing): read inside the root, where it does not exist.
    symlinkSync(join(outside, "cmdline"), proc(100, "cmdline"));
    symlinkSync(inside, proc(100, "exe"));
    symlinkSync(`../../../../../../..${join(outside, "cmdline")}`, proc(101, "cmdline"));
    symlinkSync(inside, proc(101, "exe"));
    // 102: a FIFO cmdline; 103: a 23 MB cmdline; 104: a cmdline linked to this machine's /dev/zero.
    mkfifo(proc(102, "cmdline"));
    symlinkSync(inside, proc(102, "exe"));
    writeFileSync(proc(103, "cmdline"), `kube-apiserver\0${"--v=2\0".repeat(4_000_000)}`);
    symlinkSync(inside, proc(103, "exe"));
    symlinkSync("/proc/self/root/dev/zero", proc(104, "cmdline"));
    symlinkSync(inside, proc(104, "exe"));
    // 105: a good cmdline whose exe is a FIFO; 106: one whose exe leads to a binary outside the root.
    writeFileSync(proc(105, "cmdline"), "kube-apiserver\0--anonymous-auth=false\0");
    mkfifo(proc(105, "exe"));
    writeFileSync(proc(106, "cmdline"), "kube-apiserver\0--anonymous-auth=false\0");
    symlinkSync(join(outside, "bin", "stamped"), proc(106, "exe"));

    const run = await runBounded(["scan", "--host-root", root, "-o", "report"]);
    const report = parseReport(run);
    expect(run.status).toBe(4);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(report.targets.map((t) => t.source.path).sort()).toEqual(["/proc/105/cmdline", "/proc/106/cmdline"]);
    const errorOf = (pid: number) => report.errors.find((e) => e.file === `/proc/${pid}/cmdline`)?.message;
    expect(errorOf(102)).toMatch(/not a regular file \(a FIFO\)/);
    expect(errorOf(103)).toMatch(/the limit is/);
    // 100, 101 and 104 have no cmdline inside the root (the links resolve inside it, to
    // nothing): processes that are gone.
    for (const pid of [100, 101, 104]) expect(errorOf(pid)).toBeUndefined();
    const normalized = await runBounded(["normalize", "--live", "--host-root", root]);
    expect(normalized.stdout).not.toContain("1.29.9");
    expect(normalized.stdout).not.toContain(CANARY);
  });
});

describe("a closed standard output", () => {
  const big = join(scratch, "big");
  beforeAll(() => {
    mkdirSync(big);
    for (let i = 0; i < 40; i++) copyFileSync(SAMPLE, join(big, `k${String(i).padStart(2, "0")}.yaml`));
  });

  // The reader closed its end before kubecis wrote a byte (`| head -c 0`): every write fails.
  for (const args of [["list"], ["test", big, "-o", "report"], ["test", big], ["explain", "KAS-0001"]]) {
    it(`kubecis ${args.join(" ").replace(big, "big/")} ends quietly with 141`, async () => {
      const run = await runBounded(args, { closeStdout: true });
      expect(run.timedOut).toBe(false);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(141);
    });
  }
});

describe("a standard output that cannot be written (a full disk)", () => {
  // /dev/full fails every write with ENOSPC: never a stack trace, never a code a gate reads as
  // a verdict (1 would say a control failed on a clean manifest).
  it.each(["sarif", "report", "text"])("-o %s ends with 141 and says why on stderr", async (format) => {
    const run = await runAsyncShell(`exec "${process.execPath}" "${CLI}" test "${SAMPLE}" -o ${format} > /dev/full`, { ...process.env, NO_COLOR: "1" });
    expect(run.status).toBe(141);
    expect(run.stderr).toBe("kubecis: standard output could not be written (ENOSPC); the report is incomplete\n");
  });
});

describe("an address-space limit too small for WebAssembly", () => {
  // V8 reserves a ~10 GiB cage per WebAssembly memory; the run says so and what to do.
  const under = (limitKiB: number, nodeOptions: string) =>
    runAsyncShell(`ulimit -v ${limitKiB} && exec "${process.execPath}" "${CLI}" test "${SAMPLE}"`, { ...process.env, NO_COLOR: "1", NODE_OPTIONS: nodeOptions });

  it("exits 5 naming the limit and the two remedies", async () => {
    const run = await under(4_000_000, "");
    expect(run.status).toBe(5);
    expect(run.stderr).toMatch(/^kubecis: cannot reserve memory for policy\.wasm: .*ulimit -v.*--disable-wasm-trap-handler/);
  });

  it("runs under a 2 GB limit with --disable-wasm-trap-handler, as the message says", async () => {
    const run = await under(2_000_000, "--disable-wasm-trap-handler");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\n1 target, \d+ results, /);
  });
});

function runAsyncShell(script: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", script], { cwd: packageRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("property: hostile variants of the bundled samples", () => {
  const dir = join(scratch, "variants");
  mkdirSync(dir, { recursive: true });
  const samples = [SAMPLE, HARDENED, join(packageRoot, "samples", "kubeadm-v1.19", "ps-ef.txt")];

  type Mutation =
    | { kind: "truncate"; at: number }
    | { kind: "null-line"; at: number }
    | { kind: "wrong-type"; at: number; value: string }
    | { kind: "deep"; depth: number; flow: boolean }
    | { kind: "nul-bytes"; at: number }
    | { kind: "special"; file: "fifo" | "dev-zero" | "dangling" | "directory" };

  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant("null-line" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant("wrong-type" as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      value: fc.constantFrom("null", "42", "{a: 1}", "[1, [2]]", "~", "true", "''", "&x [*x]", "!!binary AAAA", "{", "- -"),
    }),
    fc.record({ kind: fc.constant("deep" as const), depth: fc.integer({ min: 90, max: 20_000 }), flow: fc.boolean() }),
    fc.record({ kind: fc.constant("nul-bytes" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant("special" as const), file: fc.constantFrom("fifo" as const, "dev-zero" as const, "dangling" as const, "directory" as const) }),
  );

  /** Writes the variant of `sample` that `m` makes into a directory of its own, beside a copy
   * of the hardened sample, and returns the directory and the variant's path. */
  function writeVariant(sample: string, m: Mutation, n: number, canary: Canary): { walk: string; path: string; good: string } {
    const walk = join(dir, `run${n}`);
    rmSync(walk, { recursive: true, force: true });
    mkdirSync(walk, { recursive: true });
    const good = join(walk, "good.yaml");
    copyFileSync(HARDENED, good);
    const path = join(walk, `variant${sample.endsWith(".txt") ? ".txt" : ".yaml"}`);
    const text = plant(readFileSync(sample, "utf8"), canary);
    const lines = text.split("\n");
    const lineAt = (at: number) => Math.min(lines.length - 1, Math.floor(at * lines.length));
    switch (m.kind) {
      case "truncate":
        writeFileSync(path, text.slice(0, Math.floor(m.at * text.length)));
        break;
      case "null-line": {
        const i = lineAt(m.at);
        lines[i] = lines[i]!.replace(/^(\s*(?:- )?)(.*?)$/, (_, lead: string, rest: string) => (/^[\w.-]+:/.test(rest) ? `${lead}${rest.split(":")[0]}: null` : `${lead}null`));
        writeFileSync(path, lines.join("\n"));
        break;
      }
      case "wrong-type": {
        const i = lineAt(m.at);
        lines[i] = lines[i]!.replace(/^(\s*(?:- )?)(?:([\w.-]+):\s.*|.*)$/, (_, lead: string, key?: string) => (key ? `${lead}${key}: ${m.value}` : `${lead}${m.value}`));
        writeFileSync(path, lines.join("\n"));
        break;
      }
      case "deep": {
        const nest = m.flow ? `${"[".repeat(m.depth)}x${"]".repeat(m.depth)}` : `\n${"  ".repeat(2)}${"- ".repeat(m.depth)}x`;
        writeFileSync(path, text.replace(/(\n\s+- --[\w-]+=.*)/, `$1\n    - ${m.flow ? nest : "x"}`).replace(/\nspec:\n/, `\nextra: ${m.flow ? nest : nest}\nspec:\n`));
        break;
      }
      case "nul-bytes": {
        const at = Math.floor(m.at * text.length);
        writeFileSync(path, Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0, 0, 1]), Buffer.from(text.slice(at))]));
        break;
      }
      case "special":
        if (m.file === "fifo") mkfifo(path);
        else if (m.file === "dev-zero") symlinkSync("/proc/self/root/dev/zero", path);
        else if (m.file === "dangling") symlinkSync(join(dir, "nowhere"), path);
        else mkdirSync(path);
        break;
    }
    return { walk, path, good };
  }

  // Key material planted in a flag before the mutation: whatever the mutation breaks, none of
  // it may reach any output (DESIGN decision 11).
  const SECRET = "CANARY7f3a9c";
  type Canary = "url" | "pem" | "named";
  const canaryFlag: Record<Canary, string> = {
    url: `--etcd-servers=https://kubecis:pw,${SECRET}@etcd-1.local:2379`,
    pem: `--service-account-signing-key-file=-----BEGIN PRIVATE KEY-----${SECRET}-----END PRIVATE KEY-----`,
    named: `--oidc-client-secret=${SECRET}`,
  };
  /** The sample with the canary flag after its first flag (a manifest's list item, or a ps word). */
  function plant(text: string, canary: Canary): string {
    const flag = canaryFlag[canary];
    return /\n(\s+)- --/.test(text)
      ? text.replace(/\n(\s+)- (--[^\n]*)/, (_, indent: string, first: string) => `\n${indent}- ${first}\n${indent}- ${flag}`)
      : text.replace(/ (--\S+)/, ` $1 ${flag}`);
  }

  /** The line a mutation at `at` (0..1) changes, as writeVariant picks it. */
  function lineOf(sample: string, at: number, canary: Canary): string {
    const lines = plant(readFileSync(sample, "utf8"), canary).split("\n");
    return lines[Math.min(lines.length - 1, Math.floor(at * lines.length))]!;
  }

  it("never an internal error, never a hang, never a lost good input, never a pass for an unread flag, never a secret out", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...samples), mutation, fc.constantFrom<Canary>("url", "pem", "named"), async (sample, m, canary) => {
        const { walk, path: variant, good } = writeVariant(sample, m, n++, canary);
        // The directory is walked; the untouched hardened sample in it is judged beside every variant.
        const run = await runBounded(["test", walk, "-o", "report"]);
        expect(run.timedOut, JSON.stringify(m)).toBe(false);
        expect(run.stdout + run.stderr, `${canary}: ${JSON.stringify(m)}`).not.toContain(SECRET);
        // normalize prints every flag, so the canary's flag is in its output whenever it was read.
        const normalized = await runBounded(["normalize", walk, "-o", "json"]);
        expect(normalized.stdout + normalized.stderr, `normalize, ${canary}: ${JSON.stringify(m)}`).not.toContain(SECRET);
        expect(run.stderr, JSON.stringify(m)).not.toMatch(/internal error|RangeError|TypeError|at .*\.mjs:\d+/);
        expect([0, 1, 4], `${JSON.stringify(m)}: ${run.stderr}`).toContain(run.status);
        const report = JSON.parse(run.stdout) as ReportShape;
        expect(report.targets.some((t) => t.source.path === good), `${JSON.stringify(m)}: ${JSON.stringify(report.errors)}`).toBe(true);
        // A file that could not be read yields no target, so nothing of it passes.
        if (report.errors.some((e) => e.file === variant && !/no kube-apiserver found/.test(e.message))) {
          expect(report.targets.filter((t) => t.source.path === variant && t.results.some((r) => r.status === "pass")), JSON.stringify(m)).toEqual([]);
        }
        // --anonymous-auth=false replaced by something that is not that flag: KAS-0001 never passes.
        if (sample === HARDENED && m.kind === "wrong-type" && /--anonymous-auth=false/.test(lineOf(sample, m.at, canary))) {
          const target = report.targets.find((t) => t.source.path === variant);
          expect(target?.results.find((r) => r.id === "KAS-0001")?.status).not.toBe("pass");
        }
      }),
      { numRuns: 30, seed: Number(process.env["KUBECIS_FUZZ_SEED"] ?? 20261207) },
    );
  }, 600_000);
});

describe("property: readers and normalizers take any input", () => {
  // In-process, so thousands of variants run in seconds: every file of test/inputs and
  // samples. YAML and JSON files get a value anywhere in them replaced (null, wrong types,
  // deep nesting); other files get lines replaced or cut short. The only way out of a reader
  // or normalizer for a bad input is an InputError.
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const corpus = [...walk(join(packageRoot, "test", "inputs")), ...walk(join(packageRoot, "samples"))]
    .filter((p) => statSync(p).size < 200_000)
    .map((path) => {
      const text = readFileSync(path, "utf8");
      let documents: unknown[] | undefined;
      try {
        documents = YAML_OR_JSON_NAME.test(path) ? yamlLib().parseAllDocuments(text).map((d) => d.toJS()) : undefined;
      } catch {
        documents = undefined;
      }
      return { path, text, documents };
    });
  let deep: unknown = "x";
  for (let i = 0; i < 150; i++) deep = [deep];
  const hostile: unknown[] = [null, 42, -1, "", "x", true, [], {}, [null], { a: [null] }, [[1, [2]]], deep, "--anonymous-auth"];
  const textValues = ["null", "42", "{}", "[]", "[null]", "''", "~", "!!binary AAAA", "&a x", "*a", "[[[[[", "{{", '"\\u0000"', "0x1F"];
  // Uniform in [0, 1): fast-check's doubles lean to 0 and the extremes.
  const unit = fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((n) => n / 10_000);
  const edit = fc.tuple(unit, unit, fc.nat(hostile.length + textValues.length - 1), fc.constantFrom("value", "item", "cut", "flag"));

  /** Every path to a value in `value`, the root included. */
  function pathsIn(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    out.push(path);
    if (Array.isArray(value)) value.forEach((v, i) => pathsIn(v, [...path, i], out));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsIn(v, [...path, k], out);
    return out;
  }

  function mutate(entry: (typeof corpus)[number], edits: [number, number, number, string][]): string {
    if (entry.documents) {
      const documents = structuredClone(entry.documents);
      for (const [level, at, which] of edits) {
        // A depth first, then a node at that depth: structure (spec, containers, an item) is
        // hit as often as the many leaves.
        const paths = pathsIn(documents).filter((p) => p.length > 1);
        const depths = [...new Set(paths.map((p) => p.length))].sort((a, b) => a - b);
        const atDepth = paths.filter((p) => p.length === depths[Math.floor(level * depths.length)]);
        const path = atDepth[Math.floor(at * atDepth.length)];
        if (!path) break;
        const parent = path.slice(0, -1).reduce<any>((v, k) => v[k], documents); // eslint-disable-line @typescript-eslint/no-explicit-any
        parent[path.at(-1)!] = structuredClone(hostile[which % hostile.length]);
      }
      return documents.map((d) => JSON.stringify(d)).join("\n---\n");
    }
    let lines = entry.text.split("\n");
    for (const [, at, which, how] of edits) {
      if (lines.length === 0) break;
      const k = Math.min(lines.length - 1, Math.floor(at * lines.length));
      const value = textValues[which % textValues.length]!;
      if (how === "value") lines[k] = lines[k]!.replace(/:\s.*$/, `: ${value}`);
      else if (how === "item") lines[k] = lines[k]!.replace(/^(\s*- ).*$/, `$1${value}`);
      else if (how === "flag") lines[k] = lines[k]!.replace(/(--[\w-]+=).*$/, `$1${value}`);
      else lines = lines.slice(0, k);
    }
    return lines.join("\n");
  }

  it("gives documents or InputErrors, never another exception", () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 3 }), (entry, edits) => {
        const collector = new InputCollector({});
        try {
          collector.add(decodeText(entry.path, Buffer.from(mutate(entry, edits))));
          collector.finish();
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      }),
      { numRuns: 3000, seed: Number(process.env["KUBECIS_FUZZ_SEED"] ?? 20261207) },
    );
  });
});
