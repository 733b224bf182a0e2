// Node reports given to `kubecis test` as inputs: the `kubecis scan -o report` (or `test -o
// report`) JSON of each node of a fleet. They are already judged: the run takes their targets
// as they are, labelled with the node (the report's own `node`, else the file's name).
import { basename } from "node:path";
import type { TextFile } from "../readers/files.js";
import { API_VERSION, type Report } from "../types.js";

export interface NodeReport {
  node: string;
  report: Report;
}

/** The node report a file holds (a .json file holding a kubecis Report), or undefined. */
export function readNodeReport(file: TextFile): NodeReport | undefined {
  if (!file.path.endsWith(".json") || !/"kind"\s*:\s*"Report"/.test(file.text)) return undefined;
  let value: Report & { node?: string };
  try {
    value = JSON.parse(file.text) as Report & { node?: string };
  } catch {
    return undefined;
  }
  const isReport = value.apiVersion === API_VERSION && value.kind === "Report" && Array.isArray(value.targets) && Array.isArray(value.errors);
  return isReport ? { node: value.node ?? basename(file.path).replace(/\.json$/, ""), report: value } : undefined;
}
