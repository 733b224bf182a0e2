// Runs the built CLI once per job and records what it wrote, for the before/after corpora
// (bench/report-corpus.mjs, bench/command-corpus.mjs): OUT/NAME holds stdout then a line with
// the exit code, OUT/NAME.stderr holds stderr. OUT is emptied first; jobs run two at a time (one on a one-CPU machine).
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

/**
 * @param {string} root  the repository: the CLI runs there (paths in the jobs are relative to it)
 * @param {string} out   the output directory
 * @param {{name: string, argv: string[], stdin?: Buffer | string, env?: Record<string, string>}[]} jobs
 */
export async function recordRuns(root, out, jobs) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await recordRun(root, out, jobs[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, cpus().length)) }, worker));
}

function recordRun(root, out, { name, argv, stdin, env }) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["dist/kubecis.mjs", ...argv], { cwd: root, env: { ...process.env, ...env } });
    const stdout = [];
    const stderr = [];
    child.stdout.on("data", (b) => stdout.push(b));
    child.stderr.on("data", (b) => stderr.push(b));
    child.on("error", fail);
    child.on("close", (code) => {
      writeFileSync(join(out, name), Buffer.concat([...stdout, Buffer.from(`\n[exit ${code}]\n`)]));
      writeFileSync(join(out, `${name}.stderr`), Buffer.concat(stderr));
      done();
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin ?? "");
  });
}
