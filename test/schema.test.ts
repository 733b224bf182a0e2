// Every normalized fixture is valid against the published input schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { normalizeInputs } from "../src/index.js";
import { packageRoot } from "../src/paths.js";
import { BOOTSTRAP_RBAC, SAMPLE, listFixtures } from "./helpers.js";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const compile = (name: string) => ajv.compile(JSON.parse(readFileSync(join(packageRoot, "schemas", name), "utf8")));
const validate = compile("apiserverconfig.schema.json");
const SCHEMA_OF_KIND = { ApiServerConfig: validate, RbacSnapshot: compile("rbacsnapshot.schema.json") };

describe("input document schemas", () => {
  it.each([SAMPLE, BOOTSTRAP_RBAC, ...listFixtures().map((f) => f.path)])("%s", (path) => {
    const { documents } = normalizeInputs([path]);
    for (const document of documents) {
      const validate = SCHEMA_OF_KIND[document.kind];
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
