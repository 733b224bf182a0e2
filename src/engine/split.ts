// A large RbacSnapshot judged on two threads. The controls that declare the fields they read
// (METADATA custom.reads) and read a deferred field (RBAC_DEFERRED_FIELDS: the redundancy
// join, which the normalizer computes on first read) are judged on a document of just those
// fields in this thread; every other control is judged meanwhile by a helper thread on the
// snapshot without the deferred fields. So the helper's evaluation overlaps with computing
// the deferred fields and with judging the controls that read them. The verdicts are the
// ones a single evaluation of the whole snapshot gives (test/split.test.ts): each control's
// result comes from the evaluation whose document holds everything it reads.
//
// The helper is started by reserve() when a run's inputs are large enough to pay for it (a
// thread takes 60-70 ms to start and load the policy, BENCHMARKS.md); smaller runs, and a
// helper that failed, evaluate the whole document in this thread.
import { RBAC_DEFERRED_FIELDS, type Control, type EngineReport, type InputDocument } from "../types.js";
import { serializeDocument, type Engine } from "./opa-wasm.js";
import { startHelper, type PoolSetup, type SyncHelper } from "./pool.js";

/** Input bytes (Engine.reserve) from which a run gets the helper thread. */
export const SPLIT_FROM_INPUT_BYTES = 32 * 1024 * 1024;

/** Fields every control may read: main/report's and lib.result's. */
const HEADER_FIELDS = ["apiVersion", "kind", "metadata", "kubernetesVersion"];

export interface SplitOptions {
  /** Input bytes from which reserve() starts the helper (default SPLIT_FROM_INPUT_BYTES). */
  fromInputBytes?: number;
}

/**
 * `engine` with reserve() starting the helper thread for large runs and evaluate() splitting
 * RbacSnapshots while the helper is there. `setup` loads the helper's policy with the same
 * data as `engine`'s.
 */
export function splitEngine(engine: Engine, controls: readonly Control[], setup: PoolSetup, options: SplitOptions = {}): Engine {
  const deferred = new Set<string>(RBAC_DEFERRED_FIELDS);
  const apart = controls.filter((c) => c.reads?.some((field) => deferred.has(field)));
  const apartIds = new Set(apart.map((c) => c.id));
  const apartFields = [...new Set([...HEADER_FIELDS, ...apart.flatMap((c) => c.reads ?? [])])];
  const from = options.fromInputBytes ?? SPLIT_FROM_INPUT_BYTES;
  let helper: SyncHelper | undefined;

  // A helper that failed (it could not load, its memory could not be had) is let go: this
  // thread judges what it was given, and later documents are evaluated whole.
  const retire = (worker: SyncHelper): void => {
    if (helper === worker) helper = undefined;
    void worker.close();
  };

  const split = (document: InputDocument, worker: SyncHelper): EngineReport => {
    const fields = document as unknown as Record<string, unknown>;
    // The rest of the snapshot, without reading the deferred fields (that would compute them now).
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) if (!deferred.has(key)) rest[key] = fields[key];
    let posted = true;
    try {
      worker.post(serializeDocument(rest as unknown as InputDocument), document.kind);
    } catch {
      posted = false;
      retire(worker);
    }
    // Reading the deferred fields computes them, while the helper judges the rest.
    const own: Record<string, unknown> = {};
    for (const key of apartFields) if (key in fields) own[key] = fields[key];
    let mine: EngineReport;
    let others: EngineReport | undefined;
    try {
      mine = engine.evaluate(own as unknown as InputDocument);
    } finally {
      if (posted) {
        try {
          others = worker.wait();
        } catch {
          retire(worker);
        }
      }
    }
    others ??= engine.evaluate(rest as unknown as InputDocument);
    const results = [
      ...others.results.filter((r) => !apartIds.has(r.id)),
      ...mine.results.filter((r) => apartIds.has(r.id)),
    ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { ...others, results };
  };

  return {
    reserve(inputBytes) {
      engine.reserve(inputBytes);
      if (helper === undefined && apart.length > 0 && inputBytes >= from) {
        try {
          helper = startHelper({ ...setup, reserve: inputBytes });
        } catch {
          helper = undefined; // a thread could not be had: one thread judges everything
        }
      }
    },
    evaluate(document) {
      return document.kind === "RbacSnapshot" && helper !== undefined ? split(document, helper) : engine.evaluate(document);
    },
    evaluateSerialized: (input, kind) => engine.evaluateSerialized(input, kind),
  };
}

