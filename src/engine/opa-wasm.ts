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
const { loadPolicySync } = (
  sdk as unknown as { default: { loadPolicySync(wasm: Uint8Array, memory?: { initial: number }): LoadedPolicy } }
).default;

/** WASM linear memory the runtime's heap takes per input byte (≈ 12×, reference/performance.md §1.3). */
const HEAP_PER_INPUT_BYTE = 13;
const WASM_PAGE = 65536;
/** Inputs from this size on get a policy instance whose memory is sized for them up front. */
const PRESIZE_FROM_BYTES = 2 * 1024 * 1024;
const encoder = new TextEncoder();

export interface Engine {
  evaluate(document: InputDocument): EngineReport;
}

/** Instantiates the bundle's policy with its data merged under `overrides` (user data, options). */
export function loadEngine(bundle: Bundle, overrides: Record<string, unknown> = {}): Engine {
  const data = deepMerge(bundle.data, overrides);
  let policy = instantiate(bundle, data);
  let pages = memoryOf(policy).buffer.byteLength / WASM_PAGE;
  return {
    evaluate(document) {
      // Serialized once here (the SDK would do the same for an object) so that its size is
      // known before evaluating: the runtime grows memory a page at a time while it parses,
      // which made large inputs superlinear (16 MB: 4.6 s, against 0.17 s in an instance
      // created with its memory sized for the input; BENCHMARKS.md). Growing the memory of
      // the running instance does not help (the runtime's allocator ignores it: 8.1 s), so a
      // large input gets a fresh instance; the compiled module is reused by V8.
      const bytes = encoder.encode(JSON.stringify(document));
      const wanted = Math.ceil((bytes.byteLength * HEAP_PER_INPUT_BYTE) / WASM_PAGE);
      if (bytes.byteLength >= PRESIZE_FROM_BYTES && wanted > pages) {
        policy = instantiate(bundle, data, wanted);
        pages = wanted;
      }
      let resultSet: { result: unknown }[];
      try {
        resultSet = policy.evaluate(exactBuffer(bytes), ENTRYPOINT) as { result: unknown }[];
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

function instantiate(bundle: Bundle, data: Record<string, unknown>, initialPages?: number): LoadedPolicy {
  let policy: LoadedPolicy;
  try {
    policy = loadPolicySync(bundle.wasm, initialPages ? { initial: initialPages } : undefined);
  } catch (error) {
    throw new PolicyError(`cannot instantiate policy.wasm: ${messageOf(error)}`);
  }
  if (!(ENTRYPOINT in policy.entrypoints)) {
    throw new PolicyError(`policy.wasm has no ${ENTRYPOINT} entrypoint (has: ${Object.keys(policy.entrypoints).join(", ")})`);
  }
  try {
    policy.setData(data);
  } catch (error) {
    throw new PolicyError(`cannot load policy data: ${messageOf(error)}`);
  }
  return policy;
}

function memoryOf(policy: LoadedPolicy): { buffer: ArrayBuffer } {
  return (policy as unknown as { mem: { buffer: ArrayBuffer } }).mem;
}

/** The SDK takes JSON input as an ArrayBuffer holding exactly those bytes. */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
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
