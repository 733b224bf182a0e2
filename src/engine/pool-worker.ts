// One worker of ./pool.ts: the policy loaded once, then one evaluation per message.
import { parentPort, workerData } from "node:worker_threads";
import { messageOf } from "../errors.js";
import { readBundle } from "./bundle.js";
import { loadEngine, type Engine } from "./opa-wasm.js";
import type { PoolAnswer, PoolSetup } from "./pool.js";

const setup = workerData as PoolSetup;
let engine: Engine | undefined;
let loadError: string | undefined;
try {
  engine = loadEngine(readBundle(setup.bundlePath), setup.overrides);
} catch (error) {
  loadError = messageOf(error);
}

parentPort!.on("message", ({ id, input, kind }: { id: number; input: ArrayBuffer; kind: string }) => {
  let answer: PoolAnswer;
  if (!engine) answer = { id, error: loadError ?? "the policy did not load" };
  else {
    try {
      answer = { id, report: engine.evaluateSerialized(new Uint8Array(input), kind) };
    } catch (error) {
      answer = { id, error: messageOf(error) };
    }
  }
  parentPort!.postMessage(answer);
});
