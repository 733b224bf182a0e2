// The policy data the normalizers need as well (build/out/host-data.json, copied by
// `make build` from the bundle's data.json): the kube-apiserver flag table
// (data.kubecis.flags) and the RBAC facts (data.kubecis.rbac). Read once per process, so
// the host and the policies judge with the very same values.
import { readFileSync } from "node:fs";
import { PolicyError } from "../errors.js";
import { hostDataPath } from "../paths.js";

export interface HostData {
  flags: Record<string, unknown>;
  rbac: { cluster_scoped_resources: string[] } & Record<string, unknown>;
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
