// The policy data the normalizers need as well (build/out/host-data.json, copied by
// `make build` from the bundle's data.json): the kube-apiserver flag table
// (data.kubecis.flags) and the RBAC facts (data.kubecis.rbac). Read once per process, so
// the host and the policies judge with the very same values.
import { readFileSync } from "node:fs";
import { PolicyError } from "../errors.js";
import { hostDataPath } from "../paths.js";

export interface HostData {
  flags: Record<string, unknown>;
  rbac: Record<string, unknown>;
  /** data.kubecis.admission and data.kubecis.features: plugin and gate names bound the version. */
  admission?: { added?: Record<string, string>; removed?: Record<string, string> };
  features?: { removed?: Record<string, string>; gates?: Record<string, { defaults?: { from: string }[] }> };
}

let cached: HostData | undefined;

export function loadHostData(): HostData {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(hostDataPath, "utf8")) as HostData;
  } catch (error) {
    throw new PolicyError(`cannot read ${hostDataPath}: ${(error as Error).message} (run \`make build\`)`);
  }
  return cached;
}

/**
 * The list of strings at data.kubecis.<topic>.<name> in host data; a PolicyError naming it
 * when it is absent or not a list of strings, so that a damaged install never judges with a
 * shorter list.
 */
export function hostStrings(data: unknown, topic: string, name: string): string[] {
  const list: unknown = (data as Record<string, Record<string, unknown> | undefined> | null)?.[topic]?.[name];
  if (!Array.isArray(list) || list.some((entry) => typeof entry !== "string")) {
    throw new PolicyError(`${hostDataPath}: ${topic}.${name} is not a list of strings`);
  }
  return list as string[];
}
