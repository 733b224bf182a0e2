// Node reports given to `kubecis test` as inputs: the `kubecis scan -o report` (or `test -o
// report`) JSON of each node of a fleet. They are already judged: the run takes their targets
// as they are, labelled with the node (the report's own `node`, else the file's name).
//
// A node report is the output of another kubecis, and the gate vouches for it, so it is read
// fail-closed (DESIGN decisions 2 and 9): it must be written by this very kubecis version with
// this catalogue (a policy fix changes verdicts without changing the control ids, so the
// verdicts of another version are not this one's to vouch for), every target must hold one
// result of a known status for each control of its component, its summary must count its
// results, and a report must hold a target or an error. Anything else is an InputError naming
// the file, the line and the JSON place: the report is not judged, the other inputs are.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { InputError, PolicyError } from "../errors.js";
import { catalogPath, packageJsonPath } from "../paths.js";
import type { TextFile } from "../readers/files.js";
import { jsonLineLocator } from "../readers/json-lines.js";
import { API_VERSION, STATUSES, type Report, type Status } from "../types.js";

export interface NodeReport {
  node: string;
  report: Report;
}

/** What this kubecis is: its version, its catalogue's revision and controls per component. */
interface Expected {
  version: string;
  revision: string;
  components: Map<string, Set<string>>;
}

let expected: Expected | undefined;

/** This kubecis's version and catalogue (read once, as src/scan.ts toolVersion and
 * src/engine/catalog.ts readCatalog read them for the run). */
function expectedOfThisKubecis(): Expected {
  if (expected) return expected;
  let catalog: { revision: string; controls: { id: string; component: string }[] };
  let version: string;
  try {
    catalog = JSON.parse(readFileSync(catalogPath, "utf8"));
    version = (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string }).version;
  } catch (error) {
    throw new PolicyError(`cannot read control catalogue ${catalogPath}: ${(error as Error).message}`);
  }
  const components = new Map<string, Set<string>>();
  for (const { id, component } of catalog.controls) {
    if (!components.has(component)) components.set(component, new Set());
    components.get(component)!.add(id);
  }
  return (expected = { version, revision: catalog.revision, components });
}

type Path = (string | number)[];
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const place = (path: Path): string => path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** The node report a file holds (a .json file holding a kubecis Report), or undefined; an
 * InputError when it is a kubecis Report this kubecis cannot vouch for. */
export function readNodeReport(file: TextFile): NodeReport | undefined {
  if (!file.path.endsWith(".json") || !/"kind"\s*:\s*"Report"/.test(file.text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch {
    return undefined;
  }
  if (!isMap(value) || value["kind"] !== "Report" || typeof value["apiVersion"] !== "string" || !value["apiVersion"].startsWith("kubecis.dev/")) return undefined;
  const fail = (path: Path, message: string): never => {
    let line: number | undefined;
    try {
      line = jsonLineLocator(file.text)(path);
    } catch {
      // No line: the file and the JSON place still say where.
    }
    throw new InputError(`node report: ${path.length > 0 ? `${place(path)}: ` : ""}${message}`, { file: file.path, ...(line ? { line } : {}) });
  };
  checkReport(value, expectedOfThisKubecis(), fail);
  const report = value as unknown as Report & { node?: string };
  return { node: report.node ?? basename(file.path).replace(/\.json$/, ""), report };
}

type Fail = (path: Path, message: string) => never;

function checkReport(value: Record<string, unknown>, expected: Expected, fail: Fail): void {
  if (value["apiVersion"] !== API_VERSION) fail(["apiVersion"], `${JSON.stringify(value["apiVersion"])}; this kubecis ${expected.version} reads ${API_VERSION}`);
  const tool = value["tool"];
  if (!isMap(tool) || tool["name"] !== "kubecis" || typeof tool["version"] !== "string" || typeof tool["bundleRevision"] !== "string") {
    fail(["tool"], "expected {name: kubecis, version, bundleRevision}");
  }
  const { version, bundleRevision } = tool as { version: string; bundleRevision: string };
  if (version !== expected.version || bundleRevision !== expected.revision) {
    fail(
      ["tool", version !== expected.version ? "version" : "bundleRevision"],
      `written by kubecis ${version} (policy bundle ${bundleRevision}); this is kubecis ${expected.version} (policy bundle ${expected.revision}). ` +
        "Its verdicts are those of that version's policies, which this one cannot vouch for: scan the nodes with the same kubecis version as the gate (the image tag of deploy/*.yaml)",
    );
  }
  if (value["node"] !== undefined && (typeof value["node"] !== "string" || value["node"] === "")) fail(["node"], "expected a node name");
  const targets = value["targets"];
  const errors = value["errors"];
  if (!Array.isArray(targets)) fail(["targets"], "expected a list");
  if (!Array.isArray(errors)) fail(["errors"], "expected a list");
  if ((targets as unknown[]).length === 0 && (errors as unknown[]).length === 0) {
    fail([], "it holds no target and no error: nothing was judged on this node");
  }
  (errors as unknown[]).forEach((error, i) => {
    if (!isMap(error) || (error["kind"] !== "input" && error["kind"] !== "policy") || typeof error["message"] !== "string") {
      fail(["errors", i], "expected {kind: input or policy, message}");
    }
  });
  (targets as unknown[]).forEach((target, i) => checkTarget(target, ["targets", i], expected, fail));
}

function checkTarget(target: unknown, at: Path, expected: Expected, fail: Fail): void {
  if (!isMap(target)) return fail(at, "expected a target");
  const source = target["source"];
  if (!isMap(source) || typeof source["path"] !== "string" || typeof source["format"] !== "string") fail([...at, "source"], "expected {path, format}");
  if (typeof target["kind"] !== "string") fail([...at, "kind"], "expected a document kind");
  const profile = target["profile"];
  if (!isMap(profile) || typeof profile["name"] !== "string") fail([...at, "profile"], "expected {name, reason}");
  if (!isMap(target["kubernetesVersion"])) fail([...at, "kubernetesVersion"], "expected the version and its source");
  if (!Array.isArray(target["diagnostics"])) fail([...at, "diagnostics"], "expected a list");
  if (target["node"] !== undefined && (typeof target["node"] !== "string" || target["node"] === "")) fail([...at, "node"], "expected a node name");
  const results = target["results"];
  if (!Array.isArray(results)) return fail([...at, "results"], "expected a list");
  if (results.length === 0) fail([...at, "results"], "no result: nothing was judged for this target");
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const seen = new Set<string>();
  let component: string | undefined;
  results.forEach((result: unknown, j) => {
    const here = [...at, "results", j];
    if (!isMap(result) || typeof result["id"] !== "string") return fail(here, "expected a result with an id");
    const id = result["id"];
    const owner = [...expected.components].find(([, ids]) => ids.has(id))?.[0];
    if (!owner) fail([...here, "id"], `${id} is not a control of kubecis ${expected.version}`);
    component ??= owner;
    if (owner !== component) fail([...here, "id"], `${id} is a ${owner} control, in a target judged by the ${component} controls`);
    if (seen.has(id)) fail([...here, "id"], `a second result for ${id}`);
    seen.add(id);
    const status = result["status"];
    if (typeof status !== "string" || !STATUSES.includes(status as Status)) {
      fail([...here, "status"], `${JSON.stringify(status)} is not a status kubecis knows (${STATUSES.join(", ")})`);
    }
    for (const key of ["title", "severity"]) if (typeof result[key] !== "string") fail([...here, key], "expected a string");
    if (!isMap(result["frameworks"]) || !isMap(result["evidence"])) fail(here, "expected frameworks and evidence maps");
    if (result["outside"] !== undefined && typeof result["outside"] !== "string") fail([...here, "outside"], "expected a profile name");
    for (const key of ["waived", "waiverExpired"]) {
      const waiver = result[key];
      if (waiver !== undefined && (!isMap(waiver) || typeof waiver["reason"] !== "string" || typeof waiver["source"] !== "string")) fail([...here, key], "expected {reason, source}");
    }
    if (result["outside"] === undefined) counts[status as Status]++;
  });
  const missing = [...expected.components.get(component!)!].filter((id) => !seen.has(id));
  if (missing.length > 0) {
    fail([...at, "results"], `no result for ${missing.length} ${component} control(s) of kubecis ${expected.version}: ${missing.join(", ")}; nothing says they were judged on this node`);
  }
  const summary = target["summary"];
  const differs = !isMap(summary) || Object.keys(summary).length !== STATUSES.length || STATUSES.some((s) => summary[s] !== counts[s]);
  if (differs) fail([...at, "summary"], `does not count its results (${STATUSES.map((s) => `${counts[s]} ${s}`).join(", ")})`);
}
