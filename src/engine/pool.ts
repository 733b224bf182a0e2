// Worker threads that evaluate serialized documents: a small pool for long runs
// (startPool), and one helper thread that its caller waits for synchronously (startHelper,
// used by ./split.ts). Each worker loads the policy bundle through ./opa-wasm.ts (the only
// module that touches the WASM SDK) with the run's data overrides, and evaluates serialized
// documents: UTF-8 JSON bytes are transferred to it, never object graphs, and it answers with
// the engine's verdicts. Nothing here knows what a document is: an API-server config or one
// large RBAC snapshot are evaluated alike.
//
// Workers pay off only for runs of more than about 2 s (reference/performance.md §4: a worker
// takes 60-70 ms to start and load the policy, and its JIT starts cold); callers decide.
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { PolicyError } from "../errors.js";
import { ownBuffer } from "./opa-wasm.js";
import { poolWorkerPath } from "../paths.js";
import type { EngineReport } from "../types.js";

export interface PoolSetup {
  /** The bundle (.tar.gz) with policy.wasm and its data. */
  bundlePath: string;
  /** Data merged over the bundle's (options, parameters), as loadEngine takes it. */
  overrides: Record<string, unknown>;
}

export interface EnginePool {
  /** Evaluates one serialized document (the bytes are transferred: do not reuse them). */
  evaluate(input: Uint8Array, kind: string): Promise<EngineReport>;
  close(): Promise<void>;
}

/** What a worker answers: verdicts, or the message of the error it met. */
export type PoolAnswer = { id: number; report: EngineReport } | { id: number; error: string };

/**
 * How many workers a run gets: KUBECIS_WORKERS (a whole number; 0, the default, evaluates in
 * the main thread), at most one per CPU. Not on by default: on the shared 2-core bench machine
 * two workers cost about 20 % more CPU than one thread (each compiles and tiers up its own
 * policy.wasm and copies its verdicts back) and were slower in wall time whenever other work
 * held a core, and on the quiet machine too (BENCHMARKS.md "API server", the kubecis-cli-2w
 * row: 16.9 s against 15.3 s for 10,000 manifests), since only the evaluation overlaps.
 */
export function workersFor(): number {
  const configured = process.env["KUBECIS_WORKERS"];
  if (configured === undefined || !/^\d+$/.test(configured)) return 0;
  return Math.min(Number(configured), availableParallelism());
}

export function startPool(size: number, setup: PoolSetup): EnginePool {
  const workers = Array.from({ length: size }, () => new Worker(poolWorkerPath, { workerData: setup }));
  const waiting = new Map<number, { resolve: (r: EngineReport) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let closed = false;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  for (const worker of workers) {
    worker.on("message", (answer: PoolAnswer) => {
      const entry = waiting.get(answer.id);
      if (!entry) return;
      waiting.delete(answer.id);
      if ("error" in answer) entry.reject(new PolicyError(answer.error));
      else entry.resolve(answer.report);
    });
    worker.on("error", (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on("exit", (code) => {
      // Also when idle: a later evaluate() must reject, not wait for a thread that is gone.
      if (!closed) fail(new PolicyError(`an evaluation worker stopped (exit code ${code})`));
    });
  }
  return {
    evaluate(input, kind) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      // Round robin: documents of a run cost about the same.
      const worker = workers[id % workers.length]!;
      const answer = new Promise<EngineReport>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const buffer = ownBuffer(input);
        worker.postMessage({ id, input: buffer, kind }, [buffer]);
      });
      // A caller that stops at the first error leaves later answers unread: not an unhandled rejection.
      answer.catch(() => undefined);
      return answer;
    },
    async close() {
      closed = true;
      waiting.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** What a synchronous helper's worker gets besides PoolSetup. */
export interface HelperSetup {
  /** Where it answers (the other end of the caller's channel). */
  port: MessagePort;
  /**
   * Shared state: [ANSWERED] is set to 1 once an answer has been posted; [STATE] is the
   * worker's: LOADING until its policy is loaded, then READY, and BUSY while it evaluates.
   */
  signal: Int32Array;
}

export const ANSWERED = 0;
export const STATE = 1;
export const LOADING = 0;
export const READY = 1;
export const BUSY = 2;

/**
 * One worker thread that a caller waits for synchronously: post() hands it one serialized
 * document and returns at once, collect() blocks this thread (Atomics.wait) until the
 * verdicts are back. The engine's API stays synchronous while two threads evaluate
 * (./split.ts). The thread never keeps the process alive.
 */
export interface SyncHelper {
  /** Starts evaluating one document (its bytes are transferred: do not reuse them). */
  post(input: Uint8Array, kind: string): void;
  /**
   * The verdicts of the document posted, waiting for them if the helper is evaluating it;
   * undefined if it has not started on it within `startWithinMs` (still loading, or never
   * started: the caller judges the document itself). Throws PolicyError if the helper
   * answered with an error or did not answer within the deadline.
   */
  collect(startWithinMs?: number): EngineReport | undefined;
  /** Stops the thread (it may be mid-evaluation). */
  close(): void;
}

/**
 * How long collect() waits at most for an evaluation under way. A worker answers every
 * request it starts, errors included; the deadline only bounds a thread stopped from outside
 * while it evaluated.
 */
const HELPER_DEADLINE_MS = 10 * 60 * 1000;

export function startHelper(setup: PoolSetup, script: string = poolWorkerPath): SyncHelper {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const helperSetup: PoolSetup & HelperSetup = { ...setup, port: port2, signal };
  const worker = new Worker(script, { workerData: helperSetup, transferList: [port2] });
  worker.unref();
  // A thread that cannot start (a missing script) reports it here, once this thread's event
  // loop turns; collect() does not rely on it: the state word stays LOADING.
  worker.on("error", () => undefined);
  let posted = false;
  return {
    post(input, kind) {
      if (posted) throw new PolicyError("the evaluation helper thread is busy");
      const buffer = ownBuffer(input);
      Atomics.store(signal, ANSWERED, 0);
      port1.postMessage({ id: 0, input: buffer, kind }, [buffer]);
      posted = true;
    },
    collect(startWithinMs = 0) {
      if (!posted) throw new PolicyError("nothing was posted to the evaluation helper thread");
      posted = false;
      // Not started on it (still loading, or the thread never started): waited for only
      // startWithinMs. The worker sets ANSWERED before it leaves BUSY, hence the second look.
      const started = (): boolean => Atomics.load(signal, ANSWERED) === 1 || Atomics.load(signal, STATE) === BUSY || Atomics.load(signal, ANSWERED) === 1;
      const until = Date.now() + startWithinMs;
      while (!started()) {
        const left = until - Date.now();
        if (left <= 0) return undefined;
        Atomics.wait(signal, STATE, Atomics.load(signal, STATE), Math.min(left, 50));
      }
      const deadline = Date.now() + HELPER_DEADLINE_MS;
      while (Atomics.load(signal, ANSWERED) === 0) {
        const left = deadline - Date.now();
        if (left <= 0 || (Atomics.wait(signal, ANSWERED, 0, left) === "timed-out" && Atomics.load(signal, ANSWERED) === 0)) {
          throw new PolicyError(`the evaluation helper thread did not answer within ${HELPER_DEADLINE_MS / 60000} minutes`);
        }
      }
      const answer = receiveMessageOnPort(port1)?.message as PoolAnswer | undefined;
      if (!answer) throw new PolicyError("the evaluation helper thread signalled an answer it did not send");
      if ("error" in answer) throw new PolicyError(answer.error);
      return answer.report;
    },
    close() {
      port1.close();
      void worker.terminate();
    },
  };
}
