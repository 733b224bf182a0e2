import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeText } from "./files.js";
import { readPsText } from "./ps.js";
import { expandWord, splitShellScript, splitShellWords } from "./shell-words.js";

/** Quotes a word so a POSIX shell reads it back unchanged. */
const singleQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const doubleQuote = (word: string) => `"${word.replace(/(["\\$`])/g, "\\$1")}"`;
const word = fc.string({ unit: fc.constantFrom(..."abc-=/,:. '\"\\$`\t#xyz09".split("")), minLength: 0, maxLength: 12 });

describe("shell word splitting (sh -c, systemd ExecStart=, environment files)", () => {
  it("reads back any words quoted the shell's way, single or double", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.boolean(), (words, double) => {
        const text = words.map(double ? doubleQuote : singleQuote).join(" ");
        expect(splitShellWords(text).words.map((w) => w.text)).toEqual(words);
      }),
    );
  });

  it("splits unquoted words on any run of blanks, and a backslash-newline continues the line", () => {
    const bare = fc.stringMatching(/^[A-Za-z0-9=,:./-]{1,10}$/);
    fc.assert(
      fc.property(fc.array(bare, { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(" ", "\t", " \\\n ", "  "), { minLength: 8, maxLength: 8 }), (words, gaps) => {
        const text = words.map((w, i) => (i === 0 ? w : gaps[i]! + w)).join("");
        const split = splitShellWords(text, 10);
        expect(split.words.map((w) => w.text)).toEqual(words);
        expect(split.words.at(-1)!.line).toBe(10 + (text.match(/\\\n/g)?.length ?? 0));
      }),
    );
  });

  it("says when a quote is left open", () => {
    expect(splitShellWords(`--a="b c`).error).toMatch(/unterminated double quote/);
    expect(splitShellWords(`--a='b`).error).toMatch(/unterminated single quote/);
  });
});

describe("sh -c scripts: simple commands (test/shell-scripts.test.ts checks them against the real sh)", () => {
  const commands = (text: string) => splitShellScript(text).commands.map((c) => [c.line, c.after, c.words.map((w) => w.text)]);
  it("operators end commands, redirections and here-document bodies are dropped, lines are kept", () => {
    expect(commands("a x;b\\\n y&&c 2>&1 >f\n\ncat <<-E\n\tkube-apiserver --a\n\tE\nd|e")).toEqual([
      [1, undefined, ["a", "x"]],
      [1, ";", ["b", "y"]],
      [2, "&&", ["c"]],
      [4, "\n", ["cat"]],
      [7, "\n", ["d"]],
      [7, "|", ["e"]],
    ]);
  });
  it("outside a script (systemd, env and args files) the operators are text", () => {
    expect(splitShellWords("a;b c&&d >f\ne").words.map((w) => w.text)).toEqual(["a;b", "c&&d", ">f", "e"]);
  });
});

describe("variable expansion (one expander for sh -c and systemd ExecStart=)", () => {
  const env = new Map([["A", "x y"], ["EMPTY", ""]]);
  const lookup = (name: string) => env.get(name);
  const expand = (text: string, dialect: "sh" | "systemd") => splitShellWords(text).words.map((w) => expandWord(w, lookup, dialect));
  it("sh: $NAME, ${NAME}, ${NAME:-w}, ${NAME-w}; quotes and escapes keep $ literal", () => {
    expect(expand(`--a=$A "--b=\${A}" --c=\${B:-d\${A}} --e=\${EMPTY:-f} --g=\${EMPTY-h} '--i=$A' --j=\\$A`, "sh")).toEqual([
      { text: "--a=x y", unresolved: [] },
      { text: "--b=x y", unresolved: [] },
      { text: "--c=dx y", unresolved: [] },
      { text: "--e=f", unresolved: [] },
      { text: "--g=", unresolved: [] },
      { text: "--i=$A", unresolved: [] },
      { text: "--j=$A", unresolved: [] },
    ]);
  });
  it("sh: unknown variables, command substitution and other forms are unresolved, kept as written", () => {
    const words = expand("--a=$B --b=$(cat /f) --c=`cat /f` --d=${A:?x} --e=$1 --f=\"$(echo a b)\"", "sh");
    expect(words.map((w) => w.unresolved)).toEqual([["$B"], ["$(cat /f)"], ["`cat /f`"], ["${A:?x}"], ["$1"], ["$(echo a b)"]]);
    expect(words[1]!.text).toBe("--b=$(cat /f)");
  });
  it("systemd: ${NAME} and $$ only; $NAME inside a word stays as written; defaults are unresolved", () => {
    expect(expand("--a=${A} --b=$A --c=$$ --d=${B} --e=${A:-z}", "systemd").map((w) => [w.text, w.unresolved])).toEqual([
      ["--a=x y", []],
      ["--b=$A", []],
      ["--c=$", []],
      ["--d=${B}", ["${B}"]],
      ["--e=${A:-z}", ["${A:-z}"]],
    ]);
  });
  it("an expansion left open is an error like an open quote", () => {
    expect(splitShellWords("--a=$(cat /f").error).toMatch(/unterminated expansion/);
    expect(splitShellWords("--a=`cat /f").error).toMatch(/unterminated backquote/);
  });
});

describe("process text", () => {
  const flagWord = fc.stringMatching(/^--[a-z][a-z-]{0,20}(=[A-Za-z0-9,./:-]{0,12})?$/);
  it("a ps -ef line gives the command's words whatever the other columns and line ends", () => {
    fc.assert(
      fc.property(fc.array(flagWord, { maxLength: 10 }), fc.constantFrom("\n", "\r\n"), fc.constantFrom("/usr/local/bin/kube-apiserver", "kube-apiserver"), (flags, eol, exe) => {
        const line = `root 1288 951 6 09:13 ? 00:04:02 ${[exe, ...flags].join(" ")}`;
        const text = ["UID PID PPID C STIME TTY TIME CMD", line, `vagrant 4711 4600 0 10:02 pts/0 00:00:00 grep kube-apiserver ${flags.join(" ")}`].join(eol) + eol;
        const lines = readPsText({ path: "t.ps", text });
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatchObject({ line: 2, words: [exe, ...flags] });
      }),
    );
  });

  it("busybox ps and ps -eo pid,args layouts; a word inside another command is never the server", () => {
    const text = [
      "  PID USER     TIME  COMMAND",
      " 1288 root      4:02 /usr/local/bin/kube-apiserver --profiling=false",
      " 4711 root      0:00 sudo grep kube-apiserver --profiling=true",
      "4712 kube-apiserver --anonymous-auth=false",
      "4713 sudo kube-apiserver --anonymous-auth=true",
      "root 4714 1 0 10:02 pts/0 00:00:00 sudo grep kube-apiserver --anonymous-auth=true",
    ].join("\n");
    expect(readPsText({ path: "busybox.ps", text }).map((l) => [l.line, l.words[1]])).toEqual([
      [2, "--profiling=false"],
      [4, "--anonymous-auth=false"],
    ]);
  });

  it("a NUL-separated cmdline dump is accepted as text and keeps each argument whole", () => {
    const arg = fc.string({ unit: fc.constantFrom(..."ab =,-/\"'".split("")), minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 8 }), (args) => {
        const bytes = Buffer.from(["/usr/local/bin/kube-apiserver", ...args].join("\0") + "\0");
        const file = decodeText("/proc/1/cmdline-dump", bytes);
        expect(file.form).toBe("cmdline");
        expect(file.text.replace(/\0$/, "").split("\0").slice(1)).toEqual(args);
      }),
    );
  });

  it("other bytes with NULs are binary", () => {
    for (const bytes of [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.from("kube-apiserver\0\x01\x02\0"), Buffer.from([0xff, 0xfe, 0, 0])]) {
      expect(() => decodeText("blob", bytes)).toThrow(/binary content/);
    }
  });
});

describe("binary version stamps", () => {
  it("finds k3s/RKE2 releases first, then Kubernetes' gitVersion, across read chunks", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { readBinaryVersion } = await import("./proc.js");
    const dir = mkdtempSync(join(tmpdir(), "kubecis-bin-"));
    const filler = Buffer.alloc(4 * 1024 * 1024 - 10, 0x90);
    const k8s = join(dir, "kube-apiserver");
    writeFileSync(k8s, Buffer.concat([Buffer.from("\x7fELF\0v1.2.3\0"), filler, Buffer.from("-X k8s.io/component-base/version.gitVersion=v1.33.2\0")]));
    expect(readBinaryVersion(k8s)).toBe("v1.33.2");
    const k3s = join(dir, "k3s");
    writeFileSync(k3s, Buffer.concat([Buffer.from("\x7fELF\0gitVersion=v1.33.1+k3s1\0"), Buffer.from("\0v1.33.1+k3s1\0")]));
    expect(readBinaryVersion(k3s)).toBe("v1.33.1+k3s1");
    writeFileSync(join(dir, "none"), Buffer.from("\x7fELF\0nothing here\0"));
    expect(readBinaryVersion(join(dir, "none"))).toBeUndefined();
    expect(readBinaryVersion(join(dir, "missing"))).toBeUndefined();
  });
});
