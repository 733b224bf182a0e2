// Every normalized fixture is valid against the published input schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { normalizeInputs } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import { SAMPLE, listFixtures } from "./helpers.js";

const schema = JSON.parse(readFileSync(join(packageRoot, "schemas/apiserverconfig.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe("ApiServerConfig schema", () => {
  it.each([SAMPLE, ...listFixtures().map((f) => f.path)])("%s", (path) => {
    const { documents } = normalizeInputs([path]);
    for (const document of documents) {
      const valid = validate(document);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it("rejects a document that breaks it", () => {
    const [document] = normalizeInputs([SAMPLE]).documents;
    expect(validate({ ...document, kind: "Pod" })).toBe(false);
    expect(validate({ ...document, flags: { profiling: { value: true } } })).toBe(false);
  });
});
