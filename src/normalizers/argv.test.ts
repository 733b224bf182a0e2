import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSecretName } from "../redact.js";
import { isGoDuration, parseArgv, parseGoBool, parseGoFloat, parseGoInt, redactCredentials, type ArgvItem } from "./argv.js";
import { loadFlagTable } from "./flag-table.js";

const table = loadFlagTable();
const argv = (...words: string[]): ArgvItem[] =>
  ["kube-apiserver", ...words].map((text, argIndex) => ({ text, origin: { file: "t", argIndex } }));
const valueOf = (words: string[], flag: string) => parseArgv(argv(...words), table).flags[flag]?.value;

const GO_TRUE = ["1", "t", "T", "TRUE", "true", "True"];
const GO_FALSE = ["0", "f", "F", "FALSE", "false", "False"];
// Aliases (read as their canonical flag) are covered by test/flag-aliases.test.ts.
const names = (type: string) => [...table.entries()].filter(([, s]) => s.type === type && s.alias === undefined).map(([n]) => n);

describe("Go strconv.ParseBool", () => {
  it("accepts exactly Go's twelve spellings", () => {
    for (const t of GO_TRUE) expect(parseGoBool(t)).toBe(true);
    for (const f of GO_FALSE) expect(parseGoBool(f)).toBe(false);
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(![...GO_TRUE, ...GO_FALSE].includes(s));
        expect(parseGoBool(s)).toBeUndefined();
      }),
    );
  });
});

describe("Go strconv.ParseInt(s, 0, 64)", () => {
  it("parses decimal like Number and the base prefixes", () => {
    fc.assert(fc.property(fc.integer(), (n) => {
      expect(parseGoInt(String(n))).toBe(n);
    }));
    expect(parseGoInt("0x1F")).toBe(31);
    expect(parseGoInt("0o17")).toBe(15);
    expect(parseGoInt("017")).toBe(15);
    expect(parseGoInt("0b101")).toBe(5);
    for (const bad of ["", "30d", "1.5", "0x", "089", " 1"]) expect(parseGoInt(bad)).toBeUndefined();
  });
});

describe("Go durations, floats and IPs", () => {
  it("time.ParseDuration: number+unit pairs or 0; a bare number is refused", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(10000), fc.constantFrom("ns", "us", "µs", "ms", "s", "m", "h")), { minLength: 1, maxLength: 4 }), (parts) => {
        expect(isGoDuration(parts.map(([n, u]) => `${n}${u}`).join(""))).toBe(true);
      }),
    );
    for (const ok of ["0", "1m0s", "1.5h", "300ms", "-1s"]) expect(isGoDuration(ok)).toBe(true);
    for (const bad of ["30", "1 m", "m", "", "1d", "1.s.", "5mins"]) expect(isGoDuration(bad)).toBe(false);
    expect(valueOf(["--request-timeout=60"], "request-timeout")).toBeUndefined();
    expect(parseArgv(argv("--request-timeout=60"), table).flags["request-timeout"]).toMatchObject({ raw: "60", error: expect.stringContaining("invalid duration") });
    expect(valueOf(["--request-timeout", "300s"], "request-timeout")).toBe("300s");
  });

  it("strconv.ParseFloat for float flags; net.ParseIP for ip flags", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      expect(parseGoFloat(String(n))).toBe(Number(String(n)));
    }));
    for (const bad of ["", "1,5", "Inf", "NaN", "0x1p-2", "1e"]) expect(parseGoFloat(bad)).toBeUndefined();
    expect(valueOf(["--goaway-chance=0.02"], "goaway-chance")).toBe(0.02);
    expect(valueOf(["--bind-address=::1"], "bind-address")).toBe("::1");
    expect(parseArgv(argv("--advertise-address=10.0.0.300"), table).flags["advertise-address"]?.error).toMatch(/invalid IP/);
  });
});

describe("kube-apiserver flag parsing", () => {
  it("boolean flags: --f and --f=v; a following word is not the value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...names("bool")), fc.constantFrom(...GO_TRUE, ...GO_FALSE), (flag, v) => {
        expect(valueOf([`--${flag}=${v}`], flag)).toBe(parseGoBool(v));
        expect(valueOf([`--${flag}`], flag)).toBe(true);
        const spaced = parseArgv(argv(`--${flag}`, v), table);
        expect(spaced.flags[flag]?.value).toBe(true);
        expect(spaced.diagnostics.map((d) => d.code)).toEqual(["unexpected-argument"]);
      }),
    );
  });

  it("valued flags: --f=v and --f v are the same", () => {
    // Values that redaction changes (URLs, PEM blocks, secret-named flags) are tested in redact.test.ts.
    const plain = fc.string({ minLength: 1 }).filter((s) => !s.includes("://") && !s.includes("-----BEGIN"));
    fc.assert(
      fc.property(fc.constantFrom(...names("string").filter((n) => !isSecretName(n))), plain, (flag, v) => {
        expect(valueOf([`--${flag}=${v}`], flag)).toBe(v);
        expect(valueOf([`--${flag}`, v], flag)).toBe(v);
      }),
    );
  });

  it("scalar flags: the last occurrence wins, and the origin points at it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: 1, maxLength: 6 }), (values) => {
        const parsed = parseArgv(argv(...values.map((v) => `--audit-log-maxage=${v}`)), table);
        expect(parsed.flags["audit-log-maxage"]).toMatchObject({
          value: values.at(-1),
          occurrences: values.length,
          origin: { argIndex: values.length },
        });
      }),
    );
  });

  it("slice flags: comma-split, and repeated occurrences accumulate", () => {
    const word = fc.stringMatching(/^[A-Za-z]{1,12}$/);
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (groups) => {
        const words = groups.map((g) => `--enable-admission-plugins=${g.join(",")}`);
        expect(valueOf(words, "enable-admission-plugins")).toEqual(groups.flat());
      }),
    );
    expect(valueOf(["--enable-admission-plugins="], "enable-admission-plugins")).toEqual([]);
    // kube-apiserver: "at least one authorization-mode must be passed".
    expect(parseArgv(argv("--authorization-mode="), table).flags["authorization-mode"]).toMatchObject({ raw: "", error: expect.stringContaining("at least one") });
  });

  it("slice flags are one CSV record, as pflag's readAsCSV reads them", () => {
    expect(valueOf(['--api-audiences="a,b",c'], "api-audiences")).toEqual(["a,b", "c"]);
    expect(valueOf(['--api-audiences="a""b"'], "api-audiences")).toEqual(['a"b']);
    expect(valueOf(["--api-audiences=a, b,,"], "api-audiences")).toEqual(["a", " b", "", ""]);
    expect(valueOf([","], "api-audiences")).toBeUndefined();
    for (const bad of ['a"b', '"a"b', '"a', ' "a"', "a\nb"]) {
      const flag = parseArgv(argv(`--api-audiences=${bad}`), table).flags["api-audiences"];
      expect(flag?.error, bad).toBeDefined();
    }
  });

  it("string arrays keep commas; maps merge with later keys winning", () => {
    expect(valueOf(["--service-account-key-file=/a,b", "--service-account-key-file", "/c"], "service-account-key-file")).toEqual(["/a,b", "/c"]);
    expect(valueOf(["--feature-gates=A=true,B=false", "--feature-gates=B=1"], "feature-gates")).toEqual({ A: true, B: true });
    const bad = parseArgv(argv("--feature-gates=A=maybe"), table);
    expect(bad.flags["feature-gates"]).toMatchObject({ raw: "A=maybe", error: 'invalid boolean "maybe" for A' });
  });

  it("reports unknown flags by name, stray arguments, missing values and bad values", () => {
    const parsed = parseArgv(argv("--no-such-flag=1", "stray", "--secure-port=99999", "-profiling", "--etcd-prefix"), table);
    expect(parsed.diagnostics.map((d) => [d.code, d.flag])).toEqual([
      ["unknown-flag", "no-such-flag"],
      ["unexpected-argument", undefined],
      ["invalid-value", "secure-port"],
      ["unknown-flag", undefined],
      ["missing-value", "etcd-prefix"],
    ]);
    expect(parsed.flags["no-such-flag"]).toMatchObject({ value: "1", unknown: true });
    expect(parsed.flags["secure-port"]).toMatchObject({ raw: "99999", error: "port 99999 is out of range 0-65535" });
  });

  it("-v is the one shorthand; -- ends the flags", () => {
    expect(valueOf(["-v=4"], "v")).toBe(4);
    expect(valueOf(["-v", "2"], "v")).toBe(2);
    // pflag reads a shorthand's value written right after it: -v3 is -v=3.
    expect(valueOf(["-v3"], "v")).toBe(3);
    expect(parseArgv(argv("-v3", "--profiling=false"), table).diagnostics).toEqual([]);
    expect(parseArgv(argv("-vx"), table).flags["v"]).toMatchObject({ raw: "x", error: 'invalid integer "x"' });
    expect(parseArgv(argv("-x3"), table).diagnostics.map((d) => d.code)).toEqual(["unknown-flag"]);
    const parsed = parseArgv(argv("--", "--profiling=false"), table);
    expect(parsed.flags["profiling"]).toBeUndefined();
    expect(parsed.diagnostics[0]?.code).toBe("unexpected-argument");
  });

  it("skips an empty argument, as kube-apiserver does (it refuses only non-empty ones)", () => {
    const parsed = parseArgv(argv("", "--profiling=false", ""), table);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.flags["profiling"]).toMatchObject({ value: false });
    expect(parseArgv(argv("--", ""), table).diagnostics).toEqual([]);
    expect(parseArgv(argv("--", "x"), table).diagnostics.map((d) => d.code)).toEqual(["unexpected-argument"]);
  });

  it("never lets a URL password into a value", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,16}$/), (secret) => {
        const parsed = parseArgv(argv(`--etcd-servers=https://root:${secret}@10.0.0.1:2379`), table);
        expect(JSON.stringify(parsed)).not.toContain(`:${secret}@`);
        expect(parsed.flags["etcd-servers"]?.value).toEqual(["https://root:REDACTED@10.0.0.1:2379"]);
      }),
    );
    expect(redactCredentials("https://host:6443/path")).toBe("https://host:6443/path");
    // A flag whose name says it holds key material keeps its name, never its value.
    const secret = parseArgv(argv("--oidc-client-secret", "s3cr3t-value", "--token-auth-file=/etc/kubernetes/tokens.csv"), table);
    expect(secret.flags["oidc-client-secret"]).toMatchObject({ value: "REDACTED", unknown: true });
    expect(secret.flags["token-auth-file"]?.value).toBe("/etc/kubernetes/tokens.csv");
    expect(JSON.stringify(secret)).not.toContain("s3cr3t-value");
  });
});

describe("repeated flags", () => {
  // kube-apiserver appends each occurrence of a list flag; so must the parser, in linear time.
  // Size-scaled, not timed: 10x the flags must cost well under 100x (quadratic) the time.
  it("cost time linear in their number (10x the flags, under 40x the time)", () => {
    const cost = (n: number) => {
      const words = Array.from({ length: n }, (_, i) => (i % 2 ? "--enable-admission-plugins=NodeRestriction,EventRateLimit" : "--feature-gates=A=true"));
      const items = argv(...words);
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const start = performance.now();
        const { flags } = parseArgv(items, table);
        best = Math.min(best, performance.now() - start);
        expect((flags["enable-admission-plugins"]!.value as string[]).length).toBe(n);
      }
      return best;
    };
    const small = cost(5_000);
    const large = cost(50_000);
    expect(large / small).toBeLessThan(40);
  }, 60_000);
});

describe("process lists join argv with blanks", () => {
  const ps = (...words: string[]): ArgvItem[] => argv(...words).map((item) => ({ ...item, blankSplit: true }));

  it("words after a valued flag's value are the rest of that value, said in a diagnostic", () => {
    const parsed = parseArgv(ps("--audit-log-path=/var/log/my", "audit.log", "--audit-policy-file", "/etc/a", "b", "c", "--profiling=false"), table);
    expect(parsed.flags["audit-log-path"]?.value).toBe("/var/log/my audit.log");
    expect(parsed.flags["audit-policy-file"]?.value).toBe("/etc/a b c");
    expect(parsed.flags["profiling"]?.value).toBe(false);
    expect(parsed.diagnostics.map((d) => [d.code, d.flag])).toEqual([
      ["blank-in-value", "audit-log-path"],
      ["blank-in-value", "audit-policy-file"],
    ]);
  });

  it("a word after a boolean flag, after --, or in a NUL-separated argv stays a stray argument", () => {
    const words = ["--profiling", "false", "--anonymous-auth=false", "x", "--", "--secure-port=1"];
    expect(parseArgv(ps(...words), table).diagnostics.map((d) => d.code)).toEqual(["unexpected-argument", "unexpected-argument", "unexpected-argument"]);
    const exact = parseArgv(argv("--audit-log-path=/a", "b"), table);
    expect(exact.flags["audit-log-path"]?.value).toBe("/a");
    expect(exact.diagnostics.map((d) => d.code)).toEqual(["unexpected-argument"]);
  });

  it("a stray argument is placed by position and flag, never quoted", () => {
    const parsed = parseArgv(argv("--profiling", "hunter2-tail"), table);
    expect(parsed.diagnostics[0]?.message).toContain("argument 2 (after --profiling)");
    expect(JSON.stringify(parsed)).not.toContain("hunter2");
  });

  it("a URL password holding a blank is hidden whole, in one element or split by ps", () => {
    for (const items of [argv("--etcd-servers=https://root:pW ssZQ@10.0.0.1:2379"), ps("--etcd-servers=https://root:pW", "ssZQ@10.0.0.1:2379")]) {
      const parsed = parseArgv(items, table);
      expect(JSON.stringify(parsed)).not.toMatch(/pW|ZQ/);
      expect(parsed.flags["etcd-servers"]?.value).toEqual(["https://root:REDACTED@10.0.0.1:2379"]);
    }
  });
});

describe("words kubecis could not expand", () => {
  const unresolvedArgv = (...words: [string, boolean][]): ArgvItem[] =>
    [["kube-apiserver", false] as [string, boolean], ...words].map(([text, unresolved], argIndex) => ({
      text,
      origin: { file: "t", argIndex },
      ...(unresolved ? { unresolved: [text.replace(/^.*?(\$\{?\w+\}?).*$/, "$1")] } : {}),
    }));
  it.each([["$EXTRA_ARGS"], ["${EXTRA_ARGS}"], ["--${FLAG}=true"], ["--auth${X}-mode=AlwaysAllow"], ["-v$X"]])(
    "%s stands for whole arguments: incomplete-flags, and no flag is made of it",
    (word) => {
      const parsed = parseArgv(unresolvedArgv(["--profiling=false", false], [word, true]), table);
      expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: "incomplete-flags", origin: { file: "t", argIndex: 2 } })]);
      expect(Object.keys(parsed.flags)).toEqual(["profiling"]);
    },
  );
  it("a variable in a known flag's value makes that flag's value unknown (an error on the flag)", () => {
    const parsed = parseArgv(unresolvedArgv(["--authorization-mode=${AUTHZ}", true]), table);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["unresolved-variable"]);
    expect(parsed.flags["authorization-mode"]).toMatchObject({ error: expect.stringContaining("could not expand") });
  });
});

describe("what an unexpanded word's diagnostic says", () => {
  it("names the variable only, never a default or a command that may hold a secret", () => {
    const items: ArgvItem[] = [
      { text: "kube-apiserver", origin: { file: "t" } },
      { text: "${DB_PASSWORD:-hunter2}", origin: { file: "t" }, unresolved: ["${DB_PASSWORD:-hunter2}"] },
      { text: "$(cat /run/secret-value)", origin: { file: "t" }, unresolved: ["$(cat /run/secret-value)"] },
    ];
    const text = JSON.stringify(parseArgv(items, table).diagnostics);
    expect(text).toContain("${DB_PASSWORD}");
    expect(text).toContain("a command substitution");
    expect(text).not.toMatch(/hunter2|secret-value/);
  });
});
