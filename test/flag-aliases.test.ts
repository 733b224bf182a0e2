// Flag aliases: two names kube-apiserver registers on ONE variable (pflag sets it in argv order,
// so the later occurrence of either name wins). Every alias in the flag table
// (policies/kubecis/flags/data.yaml `alias`) is read as its canonical flag, in both orders, and
// the controls judge the effective value, with the spelling and place actually used.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlagTable, parseArgv, type ArgvItem } from "../src/index.js";
import { FIXTURES, runKubecis } from "./helpers.js";

const table = loadFlagTable();
const aliases = [...table.entries()].filter(([, spec]) => spec.alias !== undefined).map(([name, spec]) => [name, spec.alias!] as const);
const argv = (...words: string[]): ArgvItem[] => ["kube-apiserver", ...words].map((text, argIndex) => ({ text, origin: { file: "t", argIndex } }));

/** Two different values that parse for a flag type, as written and as the document holds them. */
const VALUES: Record<string, [string, unknown, string, unknown]> = {
  port: ["0", 0, "8080", 8080],
  int: ["1", 1, "2", 2],
  ip: ["127.0.0.1", "127.0.0.1", "0.0.0.0", "0.0.0.0"],
  string: ["/etc/kubernetes/a.yaml", "/etc/kubernetes/a.yaml", "/etc/kubernetes/b.yaml", "/etc/kubernetes/b.yaml"],
  duration: ["1s", "1s", "2s", "2s"],
  stringSlice: ["a", ["a"], "b", ["b"]],
};

describe("the flag table's aliases", () => {
  it("hold the upstream aliases, each naming a canonical flag that exists and is no alias", () => {
    // kube-apiserver's double registrations (sources in data.yaml).
    expect(Object.fromEntries(aliases)).toMatchObject({
      port: "insecure-port",
      address: "insecure-bind-address",
      "experimental-encryption-provider-config": "encryption-provider-config",
      "service-account-api-audiences": "api-audiences",
      "public-address-override": "bind-address",
      "audit-webhook-batch-initial-backoff": "audit-webhook-initial-backoff",
    });
    for (const [alias, canonical] of aliases) {
      expect(table.get(canonical), alias).toBeDefined();
      expect(table.get(canonical)!.alias, alias).toBeUndefined();
      expect(table.get(alias)!.type, alias).toBe(table.get(canonical)!.type);
    }
  });

  it.each(aliases)("--%s is --%s: the later occurrence of either name wins, in both orders", (alias, canonical) => {
    const type = table.get(canonical)!.type;
    const [a, aValue, b, bValue] = VALUES[type] ?? [];
    expect(a, `no sample values for type ${type}`).toBeDefined();

    const aliasLast = parseArgv(argv(`--${canonical}=${a}`, `--${alias}=${b}`), table);
    expect(aliasLast.flags[canonical]).toMatchObject({ value: bValue, occurrences: 2, writtenAs: alias, origin: { argIndex: 2 } });
    expect(aliasLast.flags[canonical]!.spellings).toEqual({ [canonical]: { file: "t", argIndex: 1 }, [alias]: { file: "t", argIndex: 2 } });
    expect(aliasLast.flags[alias]).toBeUndefined();
    expect(aliasLast.diagnostics.filter((d) => d.code === "unknown-flag")).toEqual([]);

    const canonicalLast = parseArgv(argv(`--${alias}`, b!, `--${canonical}=${a}`), table);
    expect(canonicalLast.flags[canonical]).toMatchObject({ value: aValue, occurrences: 2, origin: { argIndex: 3 } });
    expect(canonicalLast.flags[canonical]!.writtenAs).toBeUndefined();
    expect(canonicalLast.flags[alias]).toBeUndefined();

    // A refused value under either name is the flag's refused value (pflag stops there).
    const refused = parseArgv(argv(`--${alias}`), table);
    expect(refused.flags[canonical]).toMatchObject({ error: "flag needs an argument", writtenAs: alias });
  });

  it("a list flag written under two names: each name's first occurrence replaces the list (pflag: one Value per name, changed per name)", () => {
    const value = (...words: string[]) => parseArgv(argv(...words), table).flags["api-audiences"]?.value;
    expect(value("--api-audiences=a,b", "--service-account-api-audiences=c")).toEqual(["c"]);
    expect(value("--service-account-api-audiences=c", "--api-audiences=a", "--service-account-api-audiences=d")).toEqual(["a", "d"]);
    expect(value("--api-audiences=a", "--api-audiences=b")).toEqual(["a", "b"]);
  });
});

describe("aliases as version evidence: each spelling bounds the version by its own added/removed", () => {
  const judge = (file: string, version: string) => {
    const run = runKubecis(["normalize", join(FIXTURES, "apiserver", file), "--kubernetes-version", version, "-o", "json"]);
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { diagnostics: { code: string; message: string }[] };
  };
  it("--port on 1.30 is a contradiction naming --port; --experimental-encryption-provider-config on 1.12 is none", () => {
    const port = judge("insecure_port_disabled/fail/port_alias_after_insecure_port_v1_18.yaml", "1.30");
    expect(port.diagnostics.filter((d) => d.code === "version-contradiction").map((d) => d.message).join("\n")).toMatch(/does not start with --port \(removed in 1\.24\)/);
    const legacy = judge("encryption_provider_config_set/pass/experimental_name_v1_12.yaml", "1.12");
    expect(legacy.diagnostics.filter((d) => d.code === "version-contradiction")).toEqual([]);
  });
});

describe("the real CLI on the reviewer's cases", () => {
  const run = (file: string) => {
    const r = runKubecis(["test", join(FIXTURES, "apiserver", file), "-o", "report"]);
    const results = (JSON.parse(r.stdout) as { targets: { results: { id: string; status: string; reason?: string; evidence: Record<string, unknown> }[] }[] }).targets[0]!.results;
    return { status: r.status, result: (id: string) => results.find((x) => x.id === id)! };
  };

  it("1.18: --insecure-port=0 then --port=8080 --address=0.0.0.0 serves 0.0.0.0:8080: KAS-0021 and KAS-0022 fail, naming --port/--address", () => {
    const { status, result } = run("insecure_port_disabled/fail/port_alias_after_insecure_port_v1_18.yaml");
    expect(status).toBe(1);
    expect(result("KAS-0022")).toMatchObject({ status: "fail", evidence: { flag: { flag: "insecure-port", value: 8080, writtenAs: "port", origin: { line: 40 } } } });
    expect(result("KAS-0022").reason).toMatch(/--port=8080/);
    expect(result("KAS-0021")).toMatchObject({ status: "fail", evidence: { flag: { flag: "insecure-bind-address", value: "0.0.0.0", writtenAs: "address" } } });
  });

  it("1.18: --port=8080 then --insecure-port=0: the later one wins, the port is off", () => {
    const { result } = run("insecure_port_disabled/pass/insecure_port_after_port_v1_18.yaml");
    expect(result("KAS-0022")).toMatchObject({ status: "pass", evidence: { flag: { flag: "insecure-port", value: 0 } } });
  });

  it("1.20: --encryption-provider-config=… then an empty --experimental-encryption-provider-config=: secrets are not encrypted", () => {
    const { status, result } = run("encryption_provider_config_set/fail/experimental_name_empty_after_v1_20.yaml");
    expect(status).toBe(1);
    expect(result("KAS-0039")).toMatchObject({ status: "fail" });
    expect(result("KAS-0039").reason).toMatch(/--experimental-encryption-provider-config/);
  });
});
