// Shared test helpers: fixture discovery, the real CLI as a process, the real opa binary.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { packageRoot } from "../src/paths.js";

export const FIXTURES = join(packageRoot, "test", "fixtures");
/** The installed command (package.json "bin"): the CLI bundled into one file by `make build`. */
export const CLI = join(packageRoot, "dist", "kubecis.mjs");
export const SAMPLE = join(packageRoot, "samples", "kubeadm-v1.33", "kube-apiserver.yaml");
/** Kubernetes' own bootstrap RBAC policy (its test data), as four kubectl-style Lists. */
export const BOOTSTRAP_RBAC = join(packageRoot, "test", "datasets", "rbac-bootstrap");
export const OPA = process.env["KUBECIS_OPA"] ?? resolve(packageRoot, ".tools/bin/opa");
export const CONFTEST = process.env["KUBECIS_CONFTEST"] ?? resolve(packageRoot, ".tools/bin/conftest");

export interface Fixture {
  path: string;
  component: string;
  check: string;
  expected: string;
  name: string;
}

/** test/fixtures/<component>/<check>/<expected status>/<case>.<ext>, or <case>/: a directory
 * judged as one input (a manifest with the files its flags reference). */
export function listFixtures(): Fixture[] {
  const found: Fixture[] = [];
  for (const component of readdirSync(FIXTURES)) {
    for (const check of readdirSync(join(FIXTURES, component))) {
      for (const expected of readdirSync(join(FIXTURES, component, check))) {
        for (const name of readdirSync(join(FIXTURES, component, check, expected)).sort()) {
          found.push({ path: join(FIXTURES, component, check, expected, name), component, check, expected, name });
        }
      }
    }
  }
  return found;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process. */
export function runKubecis(args: string[], input?: string): Run {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: packageRoot,
    encoding: "utf8",
    input: input ?? "",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

export function runTool(binary: string, args: string[], input?: string): Run {
  const run = spawnSync(binary, args, { cwd: packageRoot, encoding: "utf8", input: input ?? "", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run ${binary}: ${run.error.message} (run \`make tools\`)`);
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** Runs a process without blocking, so independent runs of a test file can overlap. */
export function runAsync(binary: string, args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd ?? packageRoot, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (error) => reject(new Error(`cannot run ${binary}: ${error.message}`)));
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** The built CLI as a real process, without blocking. */
export function runKubecisAsync(args: string[], input?: string): Promise<Run> {
  return runAsync(process.execPath, [CLI, ...args], { input: input ?? "", env: { ...process.env, NO_COLOR: "1" } });
}

/** Every file under `root` (recursively) whose name matches `pattern`. */
export function filesUnder(root: string, pattern: RegExp): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return filesUnder(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

/** A path of keys and indexes into a document, as lineAt takes it. */
export type Path = (string | number)[];

/** Every path to a node of `value`, plus paths that miss (absent keys, odd indexes, through scalars). */
export function probePaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) {
    value.forEach((item, i) => probePaths(item, [...path, i], out));
    out.push([...path, value.length], [...path, -1], [...path, 1.5], [...path, "0"], [...path, "1.0"], [...path, ""], [...path, "x"]);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) probePaths(item, [...path, key], out);
    out.push([...path, "absent"], [...path, 0]);
  } else {
    out.push([...path, "x"], [...path, 0]);
  }
  return out;
}

/** A Markdown file's lines with their numbers, each marked as inside a fenced code block
 * (``` or ~~~) or not; the fence lines themselves are left out. */
export function markdownLines(file: string): { text: string; line: number; code: boolean }[] {
  const lines: { text: string; line: number; code: boolean }[] = [];
  let code = false;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (/^\s*(```|~~~)/.test(text)) code = !code;
      else lines.push({ text, line: i + 1, code });
    });
  return lines;
}

/** A kube-apiserver static Pod manifest running `image` with `args` after `kube-apiserver`
 * (each argument quoted as written). */
export function apiServerPod(image: string, args: readonly string[]): string {
  return [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: {name: kube-apiserver, namespace: kube-system}",
    "spec:",
    "  containers:",
    "  - name: kube-apiserver",
    `    image: ${image}`,
    "    command:",
    "    - kube-apiserver",
    ...args.map((a) => `    - ${JSON.stringify(a)}`),
    "",
  ].join("\n");
}

/** A writer of test cases under `root`: each call writes its files (relative name → text) into
 * a fresh directory of its own and returns their paths, in order. */
export function caseWriter(root: string): (entries: Record<string, string>) => string[] {
  let counter = 0;
  return (entries) => {
    const dir = join(root, `case-${counter++}`);
    return Object.entries(entries).map(([name, text]) => {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    });
  };
}
