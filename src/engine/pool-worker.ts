// One worker thread of ./pool.ts: the policy loaded once, then one evaluation per message.
// As the pool's worker it answers on parentPort; as a synchronous helper (startHelper) it
// answers on the MessagePort it was given and then wakes the waiting thread through the
// shared signal.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { messageOf } from "../errors.js";
import { readBundle } from "./bundle.js";
import { loadEngine, type Engine } from "./opa-wasm.js";
import type { HelperSetup, PoolAnswer, PoolSetup } from "./pool.js";

const setup = workerData as PoolSetup & Partial<HelperSetup>;
let engine: Engine | undefined;
let loadError: string | undefined;
try {
  engine = loadEngine(readBundle(setup.bundlePath), setup.overrides);
  if (setup.reserve !== undefined) engine.reserve(setup.reserve);
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
  let reply: PoolAnswer;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { id: request.id, error: messageOf(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    port.postMessage({ id: request.id, error: `cannot return the verdicts: ${messageOf(error)}` });
  } finally {
    // Always: a synchronous caller is blocked until this is set.
    if (setup.signal) {
      Atomics.store(setup.signal, 0, 1);
      Atomics.notify(setup.signal, 0);
    }
  }
});
