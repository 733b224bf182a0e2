// One declared RbacSnapshot shape: schemas/rbacsnapshot.schema.json. The TypeScript type
// (src/rbac-snapshot.ts) is generated from it by build/schema-types.mjs, and the Rego test
// builder (policies/kubecis/lib/testing) builds documents the schema accepts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { OPA } from "./helpers.js";

type Generator = { typesOf: (schema: unknown) => string; SCHEMA: string; OUTPUT: string };
const generator = (await import(pathToFileURL(join(packageRoot, "build", "schema-types.mjs")).href)) as Generator;
const schemaText = readFileSync(join(packageRoot, generator.SCHEMA), "utf8");
const schema = (): Record<string, any> => JSON.parse(schemaText);
const committed = readFileSync(join(packageRoot, generator.OUTPUT), "utf8");

describe("the generated RbacSnapshot type", () => {
  it("is what the schema gives (make build regenerates it; --check says so)", () => {
    expect(committed).toBe(generator.typesOf(schema()));
    const check = spawnSync(process.execPath, [join(packageRoot, "build", "schema-types.mjs"), "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("changes with every change of the schema's shape", () => {
    const changes: [string, (s: Record<string, any>) => void, RegExp][] = [
      ["a property removed", (s) => (delete s.properties.unboundRoles, (s.required = s.required.filter((k: string) => k !== "unboundRoles"))), /^(?![\s\S]*unboundRoles:)/],
      ["a property made optional", (s) => (s.required = s.required.filter((k: string) => k !== "rules")), /rules\?: RbacRule\[\]/],
      ["a type changed", (s) => (s.properties.subjectsWithSeveralGrants.type = "string"), /subjectsWithSeveralGrants: string/],
      ["an enum grown", (s) => s.$defs.provenance.enum.push("platform"), /"user" \| "platform"/],
      ["a nested field added", (s) => (s.$defs.binding.properties.scope = { type: "string" }), /scope\?: string/],
    ];
    for (const [what, change, expected] of changes) {
      const changed = schema();
      change(changed);
      const text = generator.typesOf(changed);
      expect(text, what).not.toBe(committed);
      expect(text, what).toMatch(expected);
    }
  });

  it("refuses a schema it cannot translate, naming the place", () => {
    const changed = schema();
    changed.properties.rules.items = { anyOf: [{ type: "string" }] };
    expect(() => generator.typesOf(changed)).toThrow(/rbacsnapshot\.schema\.json: \(root\)\.rules\[\]: keyword anyOf is not supported/);
    const untitled = schema();
    delete untitled.$defs.rule.title;
    expect(() => generator.typesOf(untitled)).toThrow(/\$defs\/rule.*title/);
  });
});

/** What lib.testing builds for each call, through the real opa binary. */
function buildWithRego(calls: Record<string, string>): Record<string, unknown> {
  const query = `{${Object.entries(calls)
    .map(([name, call]) => `${JSON.stringify(name)}: ${call}`)
    .join(", ")}}`;
  const run = spawnSync(OPA, ["eval", "--format", "json", "-d", join(packageRoot, "policies"), `x := ${query}`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout).result[0].bindings.x;
}

describe("the Rego test builder (lib.testing.snapshot)", () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema());
  const t = "data.kubecis.lib.testing";
  const calls: Record<string, string> = {
    empty: `${t}.snapshot({}, {}, {})`,
    "roles, bindings, service accounts": `${t}.snapshot(
      {"ClusterRole:reader": {"rules": [${t}.rule(["get"], [""], ["pods", "secrets"])]},
       "Role:a/writer": {"provenance": "vendor", "rules": [${t}.rule(["create"], [""], ["pods"]), ${t}.url_rule(["get"], ["/healthz"])]}},
      {"ClusterRoleBinding:all": {"role": "ClusterRole:reader", "subjects": ["Group:system:masters", "User:u"], "provenance": "bootstrap"},
       "RoleBinding:a/w": {"role": "Role:a/writer", "subjects": ["ServiceAccount:a/default", "ServiceAccount:a/gone"]},
       "RoleBinding:b/r": {"role": "ClusterRole:reader", "subjects": ["User:u"]},
       "RoleBinding:c/missing": {"role": "ClusterRole:nowhere", "subjects": ["User:v"]}},
      {"a/default": {}, "a/other": {"automountServiceAccountToken": false}})`,
    "aggregation and assumed roles": `${t}.snapshot(
      {"ClusterRole:bit": {"aggregatedInto": ["ClusterRole:team"], "aggregationLabels": {"rbac.authorization.k8s.io/aggregate-to-team": "true"}, "rules": [${t}.rule(["*"], ["*"], ["*"])]},
       "ClusterRole:team": {"aggregation": {"selectors": [{"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-team": "true"}}, {"matchExpressions": [{"key": "k", "operator": "Exists"}]}], "selects": ["ClusterRole:bit"], "declaredRules": 0}}},
      {"RoleBinding:a/one": {"role": "ClusterRole:admin", "subjects": ["User:u"], "roleAssumed": true},
       "RoleBinding:a/two": {"role": "ClusterRole:team", "subjects": ["User:u"]}},
      {})`,
    "grants in unrelated scopes": `${t}.snapshot(
      {"ClusterRole:r": {"rules": [${t}.rule(["get"], [""], ["pods"])]}},
      {"RoleBinding:a/x": {"role": "ClusterRole:r", "subjects": ["User:u"]},
       "RoleBinding:b/x": {"role": "ClusterRole:r", "subjects": ["User:u"]}},
      {})`,
    "with pods": `${t}.with_pods(${t}.snapshot({}, {}, {"a/s": {}}), {"a/p": {"serviceAccount": "s", "automountServiceAccountToken": true, "tokenMounted": true}})`,
  };

  it.each(Object.keys(calls))("builds a valid RbacSnapshot: %s", (name) => {
    const built = buildWithRego({ [name]: calls[name]! })[name];
    expect(built, "the call built nothing").toBeTypeOf("object");
    validate(built);
    expect(validate.errors ?? []).toEqual([]);
  });

  it("is held to the schema: a document the schema refuses is reported", () => {
    const built = buildWithRego({ x: calls["roles, bindings, service accounts"]! })["x"] as Record<string, any>;
    expect(validate(built)).toBe(true);
    expect(validate({ ...built, rules: [{ verbs: ["get"] }] })).toBe(false);
    expect(validate({ ...built, grantPairs: { "User:u": { grants: built["grantPairs"]["User:u"]?.grants ?? [], pairs: [] } } })).toBe(false);
  });
});
