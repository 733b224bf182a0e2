// The worker thread of ./helper.ts (startHelper): the policy loaded once, then one evaluation
// per message, answered on the MessagePort it was given. It keeps the shared state word up to
// date: READY once the policy is loaded, BUSY while it evaluates, ANSWERED once it has answered.
import { workerData } from "node:worker_threads";
import { messageOf } from "../errors.js";
import { readBundle } from "./bundle.js";
import { loadEngine, type Engine } from "./opa-wasm.js";
import { ANSWERED, BUSY, READY, STATE, type EngineSetup, type HelperAnswer, type HelperChannel } from "./helper.js";

const setup = workerData as EngineSetup & HelperChannel;
let engine: Engine | undefined;
let loadError: string | undefined;
try {
  engine = loadEngine(readBundle(setup.bundlePath), setup.overrides);
} catch (error) {
  loadError = messageOf(error);
}

function answer({ id, input, kind }: { id: number; input: ArrayBuffer; kind: string }): HelperAnswer {
  if (!engine) return { id, error: loadError ?? "the policy did not load" };
  try {
    return { id, report: engine.evaluateSerialized(new Uint8Array(input), kind) };
  } catch (error) {
    return { id, error: messageOf(error) };
  }
}

const { port, signal } = setup;
port.on("message", (request: { id: number; input: ArrayBuffer; kind: string }) => {
  setState(BUSY);
  const reply = answer(request);
  try {
    port.postMessage(reply);
  } catch (error) {
    port.postMessage({ id: request.id, error: `cannot return the verdicts: ${messageOf(error)}` });
  } finally {
    // ANSWERED before READY: a caller that sees READY without ANSWERED knows this thread had not started.
    Atomics.store(signal, ANSWERED, 1);
    Atomics.notify(signal, ANSWERED);
    setState(READY);
  }
});
setState(READY);

function setState(state: number): void {
  Atomics.store(signal, STATE, state);
  Atomics.notify(signal, STATE);
}
