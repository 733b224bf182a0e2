// A large RbacSnapshot judged on two threads. The controls that declare the fields they read
// (METADATA custom.reads) and read a deferred field (RBAC_DEFERRED_FIELDS: the redundancy
// join, which the normalizer computes on first read) are judged in this thread on a document
// of just those fields; every other control is judged meanwhile by a helper thread on the
// snapshot without the deferred fields. So the helper's evaluation overlaps with computing
// the deferred fields and with judging the controls that read them. Each control's verdict
// comes from the evaluation whose document holds everything it reads, so the report is the
// one a single evaluation of the whole snapshot gives (test/split.test.ts).
//
// A run splits when reserve() was told of at least SPLIT_FROM_INPUT_BYTES of input: below
// that, starting a thread and loading the policy in it (about 150 ms of CPU) is not repaid.
// The helper is started for the document (it loads the policy, about 150 ms, while this
// thread serializes its share) and let go once it has judged it, with the WASM memory that
// took: a run that holds no RBAC snapshot never starts one. If it cannot start, fails, or has
// not started on its share by the time this thread is done with its own, this thread judges
// that share too.
import { HEADER_FIELDS, RBAC_DEFERRED_FIELDS, type Control, type EngineReport, type InputDocument, type Verdict } from "../types.js";
import { serializeDocument, type Engine } from "./opa-wasm.js";
import { startHelper, type EngineSetup, type SyncHelper } from "./helper.js";

/** Input bytes (Engine.reserve) from which a run's RbacSnapshot is judged on two threads. */
export const SPLIT_FROM_INPUT_BYTES = 32 * 1024 * 1024;

export interface SplitOptions {
  /** Input bytes from which a run splits (default SPLIT_FROM_INPUT_BYTES). */
  fromInputBytes?: number;
  /** The helper's script (default ./helper-worker.ts, compiled; tests name one that cannot start). */
  helperScript?: string;
  /** Told how each split went: "helper" when the helper judged its share, "fallback" when this thread did. */
  onSplit?: (how: "helper" | "fallback") => void;
  /**
   * How long this thread, done with its own share, waits for a helper that has not started
   * on its share yet (default 0: it judges that share itself). Tests, whose documents are
   * judged faster than a thread loads the policy, wait for it.
   */
  awaitHelperMs?: number;
}

/** The controls judged apart: those whose declared reads include a deferred field. */
export function apartControls(controls: readonly Control[]): Control[] {
  const deferred = new Set<string>(RBAC_DEFERRED_FIELDS);
  return controls.filter((c) => c.reads?.some((field) => deferred.has(field)));
}

/**
 * `engine`, with evaluate() judging an RbacSnapshot on two threads once reserve() has been
 * told of a large run. `setup` loads the helper's policy with the same data as `engine`'s.
 */
export function splitEngine(engine: Engine, controls: readonly Control[], setup: EngineSetup, options: SplitOptions = {}): Engine {
  const deferred = new Set<string>(RBAC_DEFERRED_FIELDS);
  const apart = apartControls(controls);
  const apartIds = new Set(apart.map((c) => c.id));
  const apartFields = [...new Set([...HEADER_FIELDS, ...apart.flatMap((c) => c.reads ?? [])])];
  const from = options.fromInputBytes ?? SPLIT_FROM_INPUT_BYTES;
  let reserved = 0;

  const split = (document: InputDocument): EngineReport => {
    const fields = document as unknown as Record<string, unknown>;
    // The rest of the snapshot, without reading the deferred fields (that would compute them now).
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) if (!deferred.has(key)) rest[key] = fields[key];
    // The thread loads its policy while this one serializes its share.
    let helper: SyncHelper | undefined;
    try {
      helper = startHelper(setup, options.helperScript);
    } catch {
      helper = undefined; // no thread to be had: this thread judges everything
    }
    if (helper) {
      try {
        helper.post(serializeDocument(rest as unknown as InputDocument), document.kind);
      } catch {
        // Judged here instead (where an error of serializing recurs, as the run's error).
        helper.close();
        helper = undefined;
      }
    }
    let mine: EngineReport;
    try {
      // Reading the deferred fields computes them, while the helper judges the rest.
      const own: Record<string, unknown> = {};
      for (const key of apartFields) if (key in fields) own[key] = fields[key];
      mine = engine.evaluate(own as unknown as InputDocument);
    } catch (error) {
      helper?.close();
      throw error; // this thread's share failed: that is the run's error
    }
    let others: EngineReport | undefined;
    try {
      others = helper?.collect(options.awaitHelperMs);
    } catch {
      others = undefined; // the helper failed: its share is judged here
    }
    helper?.close();
    options.onSplit?.(others ? "helper" : "fallback");
    others ??= engine.evaluate(rest as unknown as InputDocument);
    return { ...others, results: merge(others.results, mine.results, apartIds) };
  };

  return {
    reserve(inputBytes) {
      engine.reserve(inputBytes);
      reserved = Math.max(reserved, inputBytes);
    },
    evaluate(document) {
      return document.kind === "RbacSnapshot" && apart.length > 0 && reserved >= from ? split(document) : engine.evaluate(document);
    },
    evaluateSerialized: (input, kind) => engine.evaluateSerialized(input, kind),
  };
}

/** The helper's verdicts for every control but those judged apart, and this thread's for those: both lists are in id order. */
function merge(others: Verdict[], mine: Verdict[], apartIds: ReadonlySet<string>): Verdict[] {
  const a = others.filter((r) => !apartIds.has(r.id));
  const b = mine.filter((r) => apartIds.has(r.id));
  const out: Verdict[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as Verdict).id < (b[j] as Verdict).id)) out.push(a[i++] as Verdict);
    else out.push(b[j++] as Verdict);
  }
  return out;
}
