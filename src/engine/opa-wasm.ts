// The only module that touches @open-policy-agent/opa-wasm. It loads the compiled bundle
// once, sets its data once, and evaluates the aggregate entrypoint (every check in one
// call) per input document. SDK failures (it throws strings and plain objects) become
// PolicyError.
import * as sdk from "@open-policy-agent/opa-wasm";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { PolicyError, messageOf } from "../errors.js";
import type { EngineReport, InputDocument, Verdict } from "../types.js";
import type { Bundle } from "./bundle.js";

export const ENTRYPOINT = "main/report";

// 1.10.0's ESM entry exports loadPolicySync only on its default export, which its type
// declarations omit.
const { loadPolicySync } = (sdk as unknown as { default: { loadPolicySync(wasm: Uint8Array): LoadedPolicy } }).default;

export interface Engine {
  evaluate(document: InputDocument): EngineReport;
}

/** Instantiates the bundle's policy with its data merged under `overrides` (user data, options). */
export function loadEngine(bundle: Bundle, overrides: Record<string, unknown> = {}): Engine {
  let policy: LoadedPolicy;
  try {
    policy = loadPolicySync(bundle.wasm);
  } catch (error) {
    throw new PolicyError(`cannot instantiate policy.wasm: ${messageOf(error)}`);
  }
  if (!(ENTRYPOINT in policy.entrypoints)) {
    throw new PolicyError(`policy.wasm has no ${ENTRYPOINT} entrypoint (has: ${Object.keys(policy.entrypoints).join(", ")})`);
  }
  try {
    policy.setData(deepMerge(bundle.data, overrides));
  } catch (error) {
    throw new PolicyError(`cannot load policy data: ${messageOf(error)}`);
  }
  return {
    evaluate(document) {
      let resultSet: { result: unknown }[];
      try {
        resultSet = policy.evaluate(document, ENTRYPOINT) as { result: unknown }[];
      } catch (error) {
        throw new PolicyError(`evaluating ${ENTRYPOINT}: ${messageOf(error)}`);
      }
      const report = resultSet[0]?.result as EngineReport | undefined;
      // An undefined result is never "no findings" (it means the policy did not run).
      if (!report || !Array.isArray(report.results)) {
        throw new PolicyError(`${ENTRYPOINT} returned no result for a ${document.kind} document`);
      }
      return { ...report, results: sortVerdicts(report.results) };
    },
  };
}

/** WASM returns sets and object iteration in hash order; results are ordered by control id. */
export function sortVerdicts(results: Verdict[]): Verdict[] {
  return [...results].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Objects merge key by key; anything else in `over` replaces. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
