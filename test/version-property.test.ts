// A fast-check property over generated kube-apiserver command lines (issue 16): verdicts do
// not depend on flag order, `--f=v` vs `--f v`, or a flag repeated with the same value; and
// the version range the flags give never excludes the version the generator used.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFlagTable, loadKubecis, normalizeInputs, testInputs, type ApiServerConfig } from "../src/index.js";

const kubecis = loadKubecis({ profile: "seed-2020" });
const table = loadFlagTable();
const minor = (text: string | undefined) => (text === undefined ? undefined : Number(text.split(".")[1]));

/** Flags with values that parse, from every family the table has: removed, added, plain. */
const POOL: [string, string][] = [
  ["insecure-port", "0"], ["insecure-port", "8080"], ["insecure-bind-address", "0.0.0.0"], ["basic-auth-file", "/etc/k/basic.csv"],
  ["repair-malformed-updates", "false"], ["kubelet-https", "true"], ["insecure-allow-any-token", "x"],
  ["enable-admission-plugins", "NodeRestriction"], ["encryption-provider-config", "/etc/k/enc.yaml"],
  ["authentication-config", "/etc/k/authn.yaml"], ["authorization-config", "/etc/k/authz.yaml"],
  ["encryption-provider-config-automatic-reload", "true"], ["anonymous-auth", "false"], ["profiling", "false"],
  ["audit-log-path", "/var/log/audit.log"], ["audit-log-maxage", "30"], ["request-timeout", "60s"],
  ["tls-cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], ["authorization-mode", "Node,RBAC"], ["secure-port", "6443"],
];

/** Whether Kubernetes 1.<m> has the flag (added <= m < removed). */
const exists = (name: string, m: number) => {
  const spec = table.get(name)!;
  return (minor(spec.added) ?? 0) <= m && m < (minor(spec.removed) ?? Infinity);
};

const LIST_TYPES = new Set(["stringSlice", "stringArray", "mapStringString", "mapStringBool"]);

const spell = (name: string, value: string, spaced: boolean) =>
  table.get(name)!.type === "bool" || !spaced ? [`--${name}=${value}`] : [`--${name}`, value];

// A line exactly as wide as ps or a terminal cuts lines (80, 132, …) is read as cut short, so
// no verdict rests on it (src/readers/ps.ts): a process id of another width keeps every line
// generated here off those widths, the same for every spelling compared.
const CUT_WIDTHS = [80, 132, 200, 256, 512, 1024, 4095, 4096];
const psLine = (words: string[]) => {
  const line = (pid: string) => `root ${pid} 0 0 10:00 ? 00:00:01 kube-apiserver ${words.join(" ")}`;
  return `${["1", "12", "123"].map(line).find((l) => !CUT_WIDTHS.includes(l.length))}\n`;
};

const verdicts = (text: string, version?: string) => {
  const report = testInputs(["-"], { stdin: () => Buffer.from(text), ...(version ? { kubernetesVersion: version } : {}) }, kubecis);
  expect(report.errors).toEqual([]);
  return report.targets[0]!.results.map((r) => `${r.id} ${r.status} ${r.reason ?? ""}`);
};

// One command line: a version, a subset of the flags that version has (one value each),
// each spelled `=` or spaced, some repeated with the same value, in a random order.
const commandLine = fc.integer({ min: 6, max: 36 }).chain((m) =>
  fc
    .subarray(POOL.filter(([name]) => exists(name, m)), { minLength: 1 })
    .map((pairs) => [...new Map(pairs).entries()])
    .chain((pairs) =>
      fc.record({
        m: fc.constant(m),
        pairs: fc.constant(pairs),
        spaced: fc.array(fc.boolean(), { minLength: pairs.length, maxLength: pairs.length }),
        repeats: fc.array(fc.boolean(), { minLength: pairs.length, maxLength: pairs.length }),
        order: fc.shuffledSubarray(pairs.map((_, i) => i), { minLength: pairs.length, maxLength: pairs.length }),
      }),
    ),
);

describe("generated command lines", () => {
  it("verdicts depend on neither order nor spelling nor a same-value repeat; the range keeps the version", () => {
    fc.assert(
      fc.property(commandLine, ({ m, pairs, spaced, repeats, order }) => {
        const canonical = psLine([...pairs].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([n, v]) => [`--${n}=${v}`]));
        const varied = psLine(
          order.flatMap((i) => {
            const [n, v] = pairs[i]!;
            const once = spell(n, v, spaced[i]!);
            // A list flag given twice accumulates (and kube-apiserver refuses a repeated
            // authorization mode): only a scalar flag's repeat is the same value.
            return repeats[i] && !LIST_TYPES.has(table.get(n)!.type) ? [...once, ...once] : once;
          }),
        );
        // Same verdicts, with the version unknown and with the generator's version given.
        expect(verdicts(varied)).toEqual(verdicts(canonical));
        expect(verdicts(varied, `1.${m}`)).toEqual(verdicts(canonical, `1.${m}`));
        // The range the flags give contains the version the command line was built for.
        const v = (normalizeInputs(["-"], { stdin: () => Buffer.from(varied) }).documents[0] as ApiServerConfig).kubernetesVersion;
        expect(v.version).toBeNull();
        if (v.range?.from !== undefined) expect(v.range.from).toBeLessThanOrEqual(m);
        if (v.range?.below !== undefined) expect(v.range.below).toBeGreaterThan(m);
      }),
      { numRuns: 150 },
    );
  });
});
