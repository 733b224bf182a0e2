// One worker thread that evaluates a serialized document while its caller waits for it
// synchronously (startHelper, used by ./split.ts). The worker (./helper-worker.ts) loads the
// policy bundle through ./opa-wasm.ts (the only module that touches the WASM SDK) with the
// run's data overrides; UTF-8 JSON bytes are transferred to it, never object graphs, and it
// answers with the engine's verdicts. A worker must start, load the policy and warm up its
// JIT, so ./split.ts uses one only for large documents.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { PolicyError } from "../errors.js";
import { ownBuffer } from "./opa-wasm.js";
import { helperWorkerPath } from "../paths.js";
import type { EngineReport } from "../types.js";

export interface EngineSetup {
  /** The bundle (.tar.gz) with policy.wasm and its data. */
  bundlePath: string;
  /** Data merged over the bundle's (options, parameters), as loadEngine takes it. */
  overrides: Record<string, unknown>;
}

/** What the worker answers: verdicts, or the message of the error it met. */
export type HelperAnswer = { id: number; report: EngineReport } | { id: number; error: string };

/** What the worker gets besides EngineSetup. */
export interface HelperChannel {
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

export function startHelper(setup: EngineSetup, script: string = helperWorkerPath): SyncHelper {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const helperSetup: EngineSetup & HelperChannel = { ...setup, port: port2, signal };
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
      const answer = receiveMessageOnPort(port1)?.message as HelperAnswer | undefined;
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
