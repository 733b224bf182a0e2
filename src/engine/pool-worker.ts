// One worker thread of ./pool.ts: the policy loaded once, then one evaluation per message.
// As the pool's worker it answers on parentPort; as a synchronous helper (startHelper) it
// answers on the MessagePort it was given, and keeps the shared state word up to date:
// READY once the policy is loaded, BUSY while it evaluates, ANSWERED once it has answered.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { messageOf } from "../errors.js";
import { readBundle } from "./bundle.js";
import { loadEngine, type Engine } from "./opa-wasm.js";
import { ANSWERED, BUSY, READY, STATE, type HelperSetup, type PoolAnswer, type PoolSetup } from "./pool.js";

const setup = workerData as PoolSetup & Partial<HelperSetup>;
const signal = setup.signal;
let engine: Engine | undefined;
let loadError: string | undefined;
try {
  engine = loadEngine(readBundle(setup.bundlePath), setup.overrides);
} catch (error) {
  loadError = messageOf(error);
}

function answer({ id, input, kind }: { id: number; input: ArrayBuffer; kind: string }): PoolAnswer {
  if (!engine) return { id, error: loadError ?? "the policy did not load" };
  try {
    return { id, report: engine.evaluateSerialized(new Uint8Array(input), kind) };
  } catch (error) {
    return { id, error: messageOf(error) };
  }
}

const port: MessagePort = setup.port ?? parentPort!;
port.on("message", (request: { id: number; input: ArrayBuffer; kind: string }) => {
  if (signal) setState(BUSY);
  const reply = answer(request);
  try {
    port.postMessage(reply);
  } catch (error) {
    port.postMessage({ id: request.id, error: `cannot return the verdicts: ${messageOf(error)}` });
  } finally {
    if (signal) {
      // ANSWERED before READY: a caller that sees READY without ANSWERED knows this thread had not started.
      Atomics.store(signal, ANSWERED, 1);
      Atomics.notify(signal, ANSWERED);
      setState(READY);
    }
  }
});
if (signal) setState(READY);

function setState(state: number): void {
  Atomics.store(signal!, STATE, state);
  Atomics.notify(signal!, STATE);
}
