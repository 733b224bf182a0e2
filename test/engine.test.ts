// The engine: a document of several MiB is evaluated by an instance whose memory is sized for
// it and gives the same verdicts as the same document kept small; serialized input given as a
// view is evaluated as exactly its bytes; memory reserved ahead (up to the largest memory the
// policy's allocator works in) changes no verdict; findings are ordered by their canonical JSON.
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inputBytes, isTextFile, readInputPaths } from "../src/readers/files.js";
import { serializeDocument, sortVerdicts } from "../src/engine/opa-wasm.js";
import { loadKubecis, normalizeInputs } from "../src/index.js";
import { prepareInputs } from "../src/scan.js";
import type { ApiServerConfig, Diagnostic } from "../src/types.js";
import { SAMPLE } from "./helpers.js";

describe("engine", () => {
  it("judges a multi-MiB document like the same document kept small", () => {
    const kubecis = loadKubecis();
    const [document] = normalizeInputs([SAMPLE]).documents;
    const small = kubecis.engine.evaluate(document!);
    const diagnostic: Diagnostic = {
      code: "unknown-flag",
      message: "unknown flag --padding: added to make the input document large",
      flag: "padding",
      origin: { file: SAMPLE, line: 1, argIndex: 1 },
    };
    const large = { ...(document as ApiServerConfig), diagnostics: Array.from({ length: 30_000 }, () => diagnostic) };
    expect(JSON.stringify(large).length).toBeGreaterThan(3 * 1024 * 1024);
    expect(kubecis.engine.evaluate(large)).toEqual(small);
    // and the engine keeps working for small documents afterwards
    expect(kubecis.engine.evaluate(document!)).toEqual(small);
  });

  it("judges alike after reserving memory, up to the largest memory policy.wasm's allocator works in", () => {
    const [document] = normalizeInputs([SAMPLE]).documents;
    const expected = loadKubecis().engine.evaluate(document!);
    const kubecis = loadKubecis();
    kubecis.engine.reserve(64 * 1024 * 1024);
    expect(kubecis.engine.evaluate(document!)).toEqual(expected);
    // Far beyond 4 GiB: capped below the 65,536 pages at which the allocator fails to start.
    kubecis.engine.reserve(1e12);
    expect(kubecis.engine.evaluate(document!)).toEqual(expected);
  });

  it("sizes the YAML and JSON inputs as readInputPaths reads them, without reading them", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-input-bytes-"));
    mkdirSync(join(dir, "nested"));
    writeFileSync(join(dir, "a.yaml"), "kind: Role\n");
    writeFileSync(join(dir, "nested", "b.json"), "{}");
    writeFileSync(join(dir, "ignored.bin"), "x".repeat(1000));
    const read = readInputPaths(dir, () => Buffer.alloc(0)).filter(isTextFile).reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    expect(inputBytes([dir])).toBe(read);
    expect(inputBytes([SAMPLE, "-", join(dir, "missing.yaml")])).toBe(statSync(SAMPLE).size);
    // Forms that make small documents (process lists, journals) are not counted.
    writeFileSync(join(dir, "ps.txt"), "x".repeat(5000));
    expect(inputBytes([dir])).toBe(read);
  });

  it("has the engine reserve memory for the inputs before kubecis test reads them", () => {
    const asked: number[] = [];
    const prepared = prepareInputs([SAMPLE], {}, { reserve: (bytes) => asked.push(bytes) });
    expect(prepared.documents).toHaveLength(1);
    expect(asked).toEqual([statSync(SAMPLE).size]);
  });

  it("evaluates serialized bytes given as a view into a larger buffer as exactly those bytes", () => {
    const kubecis = loadKubecis();
    const [document] = normalizeInputs([SAMPLE]).documents;
    const bytes = serializeDocument(document!);
    // The document's bytes in the middle of a larger buffer, with junk around them.
    const padded = new Uint8Array(bytes.byteLength + 64).fill(0x7b);
    padded.set(bytes, 32);
    const view = padded.subarray(32, 32 + bytes.byteLength);
    expect(kubecis.engine.evaluateSerialized(view, document!.kind)).toEqual(kubecis.engine.evaluate(document!));
    expect([...padded.subarray(0, 32)].every((b) => b === 0x7b)).toBe(true);
  });

  it("keeps the first `limit` findings of many, as a full sort by canonical JSON would", () => {
    const sortedJson = (value: unknown): string =>
      value === null || typeof value !== "object"
        ? JSON.stringify(value)
        : Array.isArray(value)
          ? `[${value.map(sortedJson).join(",")}]`
          : `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Shapes vary (keys in several orders, nested objects, arrays) and some findings repeat.
    const findings = Array.from({ length: 600 }, (_, i) => {
      const entries: [string, unknown][] = [
        ["subject", `User:u${Math.floor(random() * 40)}`],
        ["binding", `RoleBinding:ns${Math.floor(random() * 5)}/b${i % 97}`],
        ["kind", random() < 0.5 ? "duplicate" : "covered"],
      ];
      if (i % 3 === 0) entries.push(["fields", ["verbs", "resources"]]);
      if (i % 5 === 0) entries.push(["where", { z: i % 2, a: "x" }]);
      if (random() < 0.5) entries.reverse();
      return Object.fromEntries(entries);
    });
    const verdict = (limit: number) => ({
      id: "KRB-0000", title: "t", status: "fail" as const, reason: "", severity: "low" as const, frameworks: {},
      evidence: { findings, limit },
    });
    const expected = [...findings].sort((a, b) => (sortedJson(a) < sortedJson(b) ? -1 : sortedJson(a) > sortedJson(b) ? 1 : 0));
    for (const limit of [1, 7, 25, 70, 100, 600, 1000, Infinity]) {
      expect(sortVerdicts([verdict(limit)])[0]!.evidence["findings"]).toEqual(expected.slice(0, limit));
    }
    expect(sortVerdicts([verdict(0)])[0]!.evidence["findings"]).toEqual([]);
    expect(sortVerdicts([verdict(Number.NaN)])[0]!.evidence["findings"]).toEqual([]);
  });

  it("orders findings by their JSON with object keys sorted, whatever order the keys arrive in", () => {
    const verdict = {
      id: "KRB-0000", title: "t", status: "fail" as const, reason: "", severity: "low" as const, frameworks: {},
      evidence: { findings: [{ b: 1, a: 2 }, { a: 1, b: [{ d: 1, c: 2 }] }, { "10": "x", "2": "y" }, { a: 1, b: 2 }], limit: 3 },
    };
    const [sorted] = sortVerdicts([verdict]);
    // {"10":…} < {"a":1,"b":2} < {"a":1,"b":[…]} < {"a":2,"b":1}; the fourth is cut by the limit
    expect(sorted!.evidence["findings"]).toEqual([{ "10": "x", "2": "y" }, { a: 1, b: 2 }, { a: 1, b: [{ c: 2, d: 1 }] }]);
  });
});
