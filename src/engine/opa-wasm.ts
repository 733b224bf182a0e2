// The only module that touches @open-policy-agent/opa-wasm. It loads the compiled bundle
// once, sets its data once, and evaluates the aggregate entrypoint (every check in one
// call) per input document. SDK failures (it throws strings and plain objects) become
// PolicyError.
import * as sdk from "@open-policy-agent/opa-wasm";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { PolicyError, messageOf } from "../errors.js";
import type { EngineReport, InputDocument, Verdict } from "../types.js";
import type { Bundle } from "./bundle.js";
import { rankFindings } from "../rank.js";

export const ENTRYPOINT = "kubecis/main/report";

// 1.10.0's ESM entry exports loadPolicySync only on its default export, which its type
// declarations omit.
const { loadPolicySync } = (sdk as unknown as { default: { loadPolicySync(wasm: CompiledPolicy, memory?: { initial: number }): LoadedPolicy } })
  .default;

/** A compiled policy.wasm (WebAssembly.Module, which loadPolicySync takes instead of bytes). */
type CompiledPolicy = object;
// Node's global; the "es2022" lib types WebAssembly as a namespace without values.
declare const WebAssembly: { Module: new (bytes: Uint8Array) => CompiledPolicy };

export interface Engine {
  evaluate(document: InputDocument): EngineReport;
  /** The same, for a document already serialized as UTF-8 JSON (what the worker of ./helper.ts gets). */
  evaluateSerialized(input: Uint8Array, kind: string): EngineReport;
  /**
   * Sizes the evaluation memory now for documents of up to about `inputBytes` of JSON (see
   * pagesFor). Call it before a run builds its documents: creating a large WebAssembly memory
   * makes V8 collect its whole heap, which costs little while the heap is small and 0.4-0.6 s
   * once it holds a 100k-binding RbacSnapshot. Evaluation resizes anyway when a document
   * needs more.
   */
  reserve(inputBytes: number): void;
}

/** The bytes the engine evaluates for a document (a Uint8Array over a buffer of its own). */
export function serializeDocument(document: InputDocument): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(document));
}

/** The bytes of `view` as an ArrayBuffer of their own (the view's own buffer when it spans it). */
export function ownBuffer(view: Uint8Array): ArrayBuffer {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? (view.buffer as ArrayBuffer) : (view.slice().buffer as ArrayBuffer);
}

/**
 * What this host tells the policies. It ranks RBAC findings and keeps the riskiest `limit`
 * (boundFindings), so it asks them to list only those that can be among them (lib.rbac
 * `_listed`): the evaluator then does not write the tens of thousands of findings a large
 * cluster has that no one would see. It checks every document against the schemas before
 * judging it (src/normalizers/documents.ts) and judges parts of a large RbacSnapshot apart
 * (./split.ts), so the policies do not check a document's fields again (lib.document).
 */
const HOST_OPTIONS = { kubecis: { options: { findings: "riskiest", documents: "checked" } } };

/** Instantiates the bundle's policy with its data merged under `overrides` (user data, options). */
export function loadEngine(bundle: Bundle, overrides: Record<string, unknown> = {}): Engine {
  const data = deepMerge(deepMerge(bundle.data, HOST_OPTIONS), overrides);
  // Compiled once: a larger input re-instantiates the same module with a larger memory.
  const module = compile(bundle);
  let pages = DEFAULT_PAGES;
  let policy = instantiate(module, data, pages);
  const resize = (inputBytes: number): void => {
    const wanted = pagesFor(inputBytes);
    if (wanted > pages) {
      policy = instantiate(module, data, wanted);
      pages = wanted;
    }
  };
  const engine: Engine = {
    evaluate: (document) => engine.evaluateSerialized(serializeDocument(document), document.kind),
    reserve(inputBytes) {
      // Only a hint: if the memory cannot be had now (ulimit -v), evaluation asks for what it needs.
      try {
        resize(inputBytes);
      } catch {
        // the current instance stays
      }
    },
    evaluateSerialized(input, kind) {
      let resultSet: { result: unknown }[];
      resize(input.byteLength);
      try {
        resultSet = policy.evaluate(ownBuffer(input), ENTRYPOINT) as { result: unknown }[];
      } catch (error) {
        throw new PolicyError(`evaluating ${ENTRYPOINT}: ${messageOf(error)}`);
      }
      const report = resultSet[0]?.result as EngineReport | undefined;
      // An undefined result is never "no findings" (it means the policy did not run).
      if (!report || !Array.isArray(report.results)) {
        throw new PolicyError(`${ENTRYPOINT} returned no result for a ${kind} document`);
      }
      return { ...report, results: sortVerdicts(report.results) };
    },
  };
  return engine;
}

function compile(bundle: Bundle): CompiledPolicy {
  try {
    return new WebAssembly.Module(bundle.wasm);
  } catch (error) {
    throw new PolicyError(`cannot compile policy.wasm: ${messageOf(error)}`);
  }
}

/** V8 reserves about 10 GiB of address space (not memory) around each WebAssembly memory so
 * that its bounds checks are free; an address-space limit below that refuses every run. */
const ADDRESS_SPACE_ADVICE =
  "cannot reserve memory for policy.wasm: WebAssembly needs about 12 GB of virtual address space (reserved, not used), more than the address-space limit allows (ulimit -v). " +
  "Raise the limit (ulimit -v unlimited), or run with NODE_OPTIONS=--disable-wasm-trap-handler (Node 20.15 or later), with which 2 GB is enough";

function instantiate(module: CompiledPolicy, data: Record<string, unknown>, pages: number): LoadedPolicy {
  let policy: LoadedPolicy;
  try {
    policy = loadPolicySync(module, { initial: pages });
  } catch (error) {
    const message = messageOf(error);
    if (/could not allocate memory|Out of memory/i.test(message)) throw new PolicyError(ADDRESS_SPACE_ADVICE);
    throw new PolicyError(`cannot instantiate policy.wasm: ${message}`);
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

/**
 * Evaluation memory, sized from the input. policy.wasm's allocator grows its memory a few
 * pages at a time, and each grow of a large WebAssembly.Memory costs a copy, so a large
 * document judged in a memory grown page by page is slower by an order of magnitude or more
 * than in a memory created at its size. The allocator only knows the size it was instantiated with, so a large input
 * gets a fresh instance with HEAP_PER_INPUT_BYTE times its size (measured on
 * bench/rbac-generate.mjs data); pages are committed only when used.
 */
const HEAP_PER_INPUT_BYTE = 32;
const WASM_PAGE = 64 * 1024;
// 4 GiB less one page: with the full 65,536 pages policy.wasm's allocator fails at start
// ("opa_malloc: failed"; its heap end wraps to 0 in 32 bits).
const MAX_PAGES = 65535;

function pagesFor(inputBytes: number): number {
  return Math.min(MAX_PAGES, Math.ceil((inputBytes * HEAP_PER_INPUT_BYTE + 16 * 1024 * 1024) / WASM_PAGE));
}

/** The first instance's memory (32 MiB): room for any document up to 512 KiB, so an API-server run never re-instantiates. */
const DEFAULT_PAGES = pagesFor(512 * 1024);

/**
 * WASM returns sets and object iteration in hash order; results are ordered by control id.
 * Evidence that carries `findings` with a `limit` (the RBAC checks) gets its findings ranked
 * by risk and cut to the limit here (null: no limit, as --all asks), and says so (`order:
 * "risk"`): WASM's sort builtin is quadratic, so policies leave it to the host. An access
 * control gives its roles' power once per role (`powers`, lib.rbac.role_power) rather than in
 * each of its many grants; each finding gets its role's `power` here, before ranking by it.
 */
export function sortVerdicts(results: Verdict[]): Verdict[] {
  return [...results].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(boundFindings);
}

function boundFindings(verdict: Verdict): Verdict {
  const { findings, limit, powers } = verdict.evidence as { findings?: unknown; limit?: unknown; powers?: unknown };
  if (!Array.isArray(findings) || (typeof limit !== "number" && limit !== null)) return verdict;
  const evidence: Record<string, unknown> = { ...verdict.evidence };
  if (powers !== null && typeof powers === "object") {
    givePower(findings, powers as Record<string, unknown>);
    delete evidence["powers"];
  }
  const keep = limit === null ? findings.length : Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : limit > 0 ? findings.length : 0;
  return { ...verdict, evidence: { ...evidence, findings: rankFindings(findings, keep), order: "risk" } };
}

/** Each finding's `power`: that of its role in `powers`. */
function givePower(findings: unknown[], powers: Record<string, unknown>): void {
  for (const finding of findings) {
    if (finding === null || typeof finding !== "object") continue;
    const role = (finding as Record<string, unknown>)["role"];
    if (typeof role === "string" && Array.isArray(powers[role])) (finding as Record<string, unknown>)["power"] = powers[role];
  }
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
