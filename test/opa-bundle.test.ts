// The shared bundle as OPA users run it: `kubecis bundle` writes it, a real `opa run -s -b`
// serves it on loopback beside another bundle, and the documented decision paths give the
// CLI's verdicts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { sortVerdicts } from "../src/engine/opa-wasm.js";
import { readTextFile } from "../src/readers/files.js";
import { readYamlDocuments } from "../src/readers/yaml.js";
import type { EngineReport } from "../src/types.js";
import { OPA, SAMPLE, listFixtures, runKubecis, runTool } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "kubecis-bundle-"));
const inputs = [SAMPLE, ...listFixtures().filter((f) => f.component === "apiserver").map((f) => f.path)];
let server: ChildProcess | undefined;
let base = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitHealthy(url: string, deadline: number): Promise<void> {
  let last = "";
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`opa exited with ${server.exitCode}`);
    try {
      const response = await fetch(`${url}/health?bundles`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`opa did not become healthy: ${last}`);
}

async function query(path: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${base}/v1/data/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input }),
    signal: AbortSignal.timeout(5000),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: unknown }).result;
}

// Somebody else's bundle, with the top-level roots that a shared bundle must leave free: OPA
// refuses to serve two bundles whose roots overlap.
const theirs = join(dir, "theirs");
function writeTheirBundle(): void {
  mkdirSync(join(theirs, "lib"), { recursive: true });
  mkdirSync(join(theirs, "main"), { recursive: true });
  writeFileSync(join(theirs, ".manifest"), JSON.stringify({ roots: ["lib", "main"] }));
  writeFileSync(join(theirs, "lib/names.rego"), 'package lib.names\n\nforbidden := {"latest"}\n');
  writeFileSync(join(theirs, "main/main.rego"), 'package main\n\nimport data.lib.names\n\ndeny contains "image tag is forbidden" if input.tag in names.forbidden\n');
}

beforeAll(async () => {
  const run = runKubecis(["bundle", dir]);
  expect(run.status, run.stderr).toBe(0);
  writeTheirBundle();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(OPA, ["run", "--server", "--addr", `127.0.0.1:${port}`, "--log-level", "error", "-b", join(dir, "bundle.rego.tar.gz"), "-b", theirs], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  await waitHealthy(base, Date.now() + 20_000);
}, 30_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
});

describe("kubecis bundle", () => {
  it("writes both bundles with a .manifest (revision, roots) and the unpacked Rego bundle", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "policy/.manifest"), "utf8"));
    expect(manifest.revision).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    expect(manifest.roots).toEqual(expect.arrayContaining(["kubecis/checks", "kubecis/lib", "kubecis/main"]));
    const listing = spawnSync("tar", ["-tzf", join(dir, "bundle.wasm.tar.gz")], { encoding: "utf8" }).stdout;
    expect(listing).toContain("/policy.wasm");
    expect(listing).toContain("/.manifest");
  });
});

describe("opa run -s -b serves the CLI's verdicts", () => {
  const kubecis = loadKubecis();

  it("beside a bundle rooted at lib and main, whose decisions are served too", async () => {
    expect(await query("main/deny", { tag: "latest" })).toEqual(["image tag is forbidden"]);
    const [document] = normalizeInputs([SAMPLE]).documents;
    const served = (await query("kubecis/main/report", document)) as EngineReport;
    expect({ ...served, results: sortVerdicts(served.results) }).toEqual(kubecis.engine.evaluate(document!));
  });

  it.each(inputs)("POST /v1/data/kubecis/main/report: %s", async (path) => {
    for (const document of normalizeInputs([path]).documents) {
      const served = (await query("kubecis/main/report", document)) as EngineReport;
      expect({ ...served, results: sortVerdicts(served.results) }).toEqual(kubecis.engine.evaluate(document));
    }
  });

  it.each(inputs.filter((p) => /\.ya?ml$/.test(p)))("POST /v1/data/kubecis/main/deny on the raw manifest: %s", async (path) => {
    const cli = JSON.parse(runKubecis(["test", path, "-o", "json"]).stdout)[0];
    const expected = (cli.failures ?? []).map((f: { msg: string }) => f.msg).sort();
    const denied: string[] = [];
    for (const doc of readYamlDocuments(readTextFile(path))) {
      denied.push(...((await query("kubecis/main/deny", doc.value)) as { msg: string }[]).map((d) => d.msg));
    }
    expect([...new Set(denied)].sort()).toEqual(expected);
  });

  it("opa eval -b on the written bundle agrees too", () => {
    const [document] = normalizeInputs([SAMPLE]).documents;
    const file = join(dir, "input.json");
    writeFileSync(file, JSON.stringify(document));
    const run = runTool(OPA, ["eval", "-b", join(dir, "bundle.rego.tar.gz"), "-i", file, "-f", "json", "data.kubecis.main.report"]);
    expect(run.status, run.stderr).toBe(0);
    const value = JSON.parse(run.stdout).result[0].expressions[0].value as EngineReport;
    expect({ ...value, results: sortVerdicts(value.results) }).toEqual(kubecis.engine.evaluate(document!));
  });
});
