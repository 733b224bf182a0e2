// The YAML reader's fast path (src/readers/yaml-block.ts) against the `yaml` package, which
// stays the reference: for every text the fast path accepts, the documents, their values and
// the line of every node must be exactly what the full parser gives; anything else must make
// the fast path decline. Inputs: every YAML file under test/ and samples/, generated
// benchmark manifests, and property-based texts built from the forms manifests use plus the
// ones the fast path must decline (anchors, tags, flow collections, multi-line scalars, odd
// scalars and keys, duplicate keys, broken indentation, random damage).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { type PieceStats, tryBlockYaml } from "../src/readers/yaml-block.js";
import { readYamlDocuments, readYamlPiece, readYamlStreamFully, type YamlDocument } from "../src/readers/yaml.js";
import { filesUnder, probePaths } from "./helpers.js";

/** The benchmark's seeded manifest generator (plain JavaScript, no type declarations). */
const { generateManifest } = (await import(join(packageRoot, "bench", "generate.mjs"))) as { generateManifest(seed: number, i: number): string };

/** The full parser's reading, or the error it gives. */
function full(text: string): YamlDocument[] | Error {
  try {
    return readYamlStreamFully(text, "t.yaml");
  } catch (error) {
    return error as Error;
  }
}

/**
 * Asserts the fast path's outcome for `text`, alone and reading what it declines as pieces
 * (as the reader does): each either declines or gives the full parser's documents, values
 * and lines. Returns whether the fast path alone took the text.
 */
function check(text: string, stats?: PieceStats): boolean {
  const alone = tryBlockYaml(text);
  const withPieces = tryBlockYaml(text, readYamlPiece, stats);
  if (typeof alone !== "string") expect(typeof withPieces, `pieces declined a text the fast path takes:\n${text}`).not.toBe("string");
  let reference: YamlDocument[] | Error | undefined;
  for (const fast of [alone, withPieces]) {
    if (typeof fast === "string") continue;
    reference ??= full(text);
    if (reference instanceof Error) throw new Error(`the fast path accepted a text the full parser refuses (${reference.message}):\n${text}`);
    const documents = fast.filter((d) => d.value !== null);
    expect(documents.map((d) => d.index), text).toEqual(reference.map((d) => d.index));
    documents.forEach((doc, i) => {
      const ref = (reference as YamlDocument[])[i]!;
      expect(doc.value, text).toStrictEqual(ref.value);
      for (const path of probePaths(ref.value)) {
        expect(doc.lineAt(path), `${JSON.stringify(path)} in\n${text}`).toBe(ref.lineAt(path));
      }
    });
  }
  return typeof alone !== "string";
}

describe("YAML fast path", () => {
  it("agrees with the full parser on every YAML file under test/ and samples/, and reads nearly all without falling back", () => {
    const files = [...filesUnder(join(packageRoot, "test"), /\.ya?ml$/), ...filesUnder(join(packageRoot, "samples"), /\.ya?ml$/)];
    expect(files.length).toBeGreaterThan(100);
    // Each file: the fast path alone and with pieces agree with the full parser (check). What a
    // run does is the latter: only an alias, a YAML error or a directive sends a whole file to
    // the full parser. (The fast path alone declines every non-string plain scalar, so its own
    // share depends on which fixtures exist.)
    const fallback = files.filter((file) => {
      const text = readFileSync(file, "utf8");
      check(text);
      return typeof tryBlockYaml(text, readYamlPiece) === "string";
    });
    expect(fallback.length / files.length, fallback.join("\n")).toBeLessThan(0.05);
  });

  it("takes every generated benchmark manifest, with the full parser's values and lines", () => {
    for (let i = 0; i < 300; i++) expect(check(generateManifest(7, i)), `manifest ${i}`).toBe(true);
  });

  it("declines what it does not compose", () => {
    const declined = [
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: [1, 2]\n",
      "a: {b: 1}\n",
      "a: |\n  text\n",
      "a: >\n  text\n",
      "a: one\n  two\n",
      'a: "one\n  two"\n',
      "a: 1\na: 2\n",
      "a:\n",
      "a: b: c\n",
      "a: 0755\n",
      "a: 1:30\n",
      "a: .inf\n",
      "a: 1e3\n",
      "a: 0x1F\n",
      "a: '\n",
      'a: "\\n"\n',
      "a:\tb\n",
      "a: b\r\n",
      "<<: {}\n",
      "on: 1\n",
      "%YAML 1.1\n---\na: 1\n",
      "a: 1\n...\n",
      "a: 1\n---\n",
      "",
      "# only a comment\n",
      "  a: 1\n",
      "- - a\n",
      "-\n  a: 1\n",
      "a:\n  - b\n   - c\n",
      // Unicode spaces: YAML keeps them as content (or rejects the text); trim() would not.
      "a: x\u00a0\n",
      "- \u00a0x\n",
      "a:\n\u00a0 b: 1\n",
      "a:\n  - x\n\u00a0\u00a0- y\n",
      "a: 1\n\u00a0\nb: 2\n",
      "a: 'x'\u00a0\n",
      "a: x\u2003\n",
      "a: x\u3000\n",
      "a: x\u202f\n",
    ];
    for (const text of declined) expect(typeof tryBlockYaml(text), JSON.stringify(text)).toBe("string");
  });

  it("reads a plain timestamp as the string it is, as Kubernetes does (not a Date)", () => {
    const text = "metadata:\n  creationTimestamp: 2026-01-01T00:59:00Z\nday: 2001-12-14\nexplicit: !!timestamp 2001-12-14\n";
    const expected = { metadata: { creationTimestamp: "2026-01-01T00:59:00Z" }, day: "2001-12-14", explicit: "2001-12-14" };
    expect(readYamlStreamFully(text, "t.yaml")[0]!.value).toStrictEqual(expected);
    expect(readYamlDocuments({ path: "t.yaml", text })[0]!.value).toStrictEqual(expected);
    expect(check("metadata:\n  creationTimestamp: 2026-01-01T00:59:00Z\n  day: 2001-12-14\n")).toBe(true);
  });

  // What the fast path does not compose costs only the smallest item, entry or document
  // around it (a piece, read by the full parser), never the whole export.
  const constructs: [string, string][] = [
    ["flow sequence", "verbs: [get, list]"],
    ["flow mapping", "labels: {a: b}"],
    ["literal block scalar", "note: |\n  line one\n  line two"],
    ["kept block scalar", "note: |+\n  line\n\n"],
    ["folded block scalar", "note: >\n  folded\n  text"],
    ["multi-line plain scalar", "description: a long\n  description"],
    ["multi-line quoted scalar", 'description: "a long\n  description"'],
    ["escape", 'note: "tab\\there"'],
    ["tab in a value", "note: a\tb"],
    ["CRLF line", "note: crlf\r"],
    ["empty value", "note:"],
    ["explicit tag", "note: !!str 0755"],
    ["octal", "mode: 0755"],
    ["float", "ratio: 1e3"],
    ["sequence in a sequence", "matrix:\n  - - a\n    - b"],
    ["item on the next line", "list:\n  -\n    a: 1"],
    ["duplicate key", "note:\n  a: 1\n  a: 2"],
    ["no-break space", "note: x\u00a0"],
    ["quoted key", 'labels:\n  "a b": c'],
    ["complex key", "labels:\n  ? a\n  : b"],
    ["anchor and alias in one entry", "pair:\n  a: &x 1\n  b: *x"],
    ["merge key", "merged:\n  <<: {a: 1}\n  b: 2"],
  ];
  const indentBy = (text: string, n: number) => text.split("\n").map((l) => (l === "" ? l : " ".repeat(n) + l)).join("\n");
  /** `count` Roles, the one at `at` holding `construct` at column `column` (2: in the item,
   * 4: in its metadata). */
  const items = (count: number, at: number, construct: string, column: number) =>
    Array.from({ length: count }, (_, i) =>
      [`- apiVersion: rbac.authorization.k8s.io/v1`, `  kind: Role`, `  metadata:`, `    name: role-${i}`, `    namespace: ns-${i % 7}`, ...(i === at ? [indentBy(construct, column)] : []), `  rules:`, `  - apiGroups:`, `    - ""`, `    resources:`, `    - pods`, `    verbs:`, `    - get`].join("\n"),
    ).join("\n");
  /** A line with a character the composer never reads costs its whole item (13 lines here). */
  const BAD_LINE = /[\t\r\u00a0]/;
  for (const [name, construct] of constructs) {
    it(`reads a ${name} in one item of a List as a piece, with the full parser's values and lines`, () => {
      for (const text of [
        `apiVersion: v1\nitems:\n${items(100, 60, construct, 2)}\nkind: List\n`,
        `apiVersion: v1\nitems:\n${items(100, 99, construct, 2)}\n`,
        `apiVersion: v1\nitems:\n${items(100, 50, construct, 4)}\nkind: List\n`,
      ]) {
        const stats = { pieces: 0, lines: 0 };
        expect(typeof tryBlockYaml(text), "the fast path alone declines the whole text").toBe("string");
        check(text, stats);
        if (name.includes("alias")) continue; // an alias sends the whole text to the full parser
        expect(typeof tryBlockYaml(text, readYamlPiece), name).not.toBe("string");
        expect(stats.pieces, name).toBe(1);
        expect(stats.lines, name).toBeLessThanOrEqual(construct.split("\n").length + (BAD_LINE.test(construct) ? 13 : 2));
      }
    });
  }

  it("reads a document the fast path does not compose as a piece of its stream", () => {
    const docs = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-${i}\n  namespace: a`);
    docs[20] = "[not, a, block, document]";
    docs[30] = "kind: ServiceAccount\nmetadata: {name: flow, namespace: a}";
    const text = docs.join("\n---\n") + "\n";
    const stats = { pieces: 0, lines: 0 };
    check(text, stats);
    expect(stats.pieces).toBe(2); // document 20, and the metadata entry of document 30
    expect(stats.lines).toBe(2);
  });

  // Property-based: texts from a grammar of block YAML, with scalars and keys drawn from the
  // forms that must resolve exactly and the ones that must make the fast path decline.
  const goodScalars = [
    "plain", "kube-apiserver", "--anonymous-auth=false", "--authorization-mode=Node,RBAC", "-x", "/etc/kubernetes/pki/ca.crt",
    "https://127.0.0.1:2379", "10.96.0.0/12", "192.168.1.10:6443", "10.0.0.1", "250m", "10Gi", "6f1c04ff-3b2a-4c1e", "1.33",
    "v1.33.2", "0", "7", "6443", "2000001000", "true", "false", "null", "Yes", "off", "~", "{}", "[]", "'q'", "'it''s'", "''",
    '"q"', '""', '"a\\"b"', '"a\\\\b"', '"x" # c', "x # comment", "x   ", "é", "日本", "a,b", "x#y",
  ];
  const badScalars = [
    "0755", "08", "1_000", "0x1F", "0b101", "1e3", "1.5e-3", ".5", ".inf", "-.inf",
    ".nan", ".NaN", "-1", "+1", "1:30", "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "true", "True", "TRUE",
    "tRue", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON", "oN", "no", "n", "N", "off", "OFF", "false", "null", "Null",
    "NULL", "nUll", "~", "~x", "{}", "[]", "[a]", "{a: 1}", "&a x", "*a", "!tag x", "|", ">", "@x", "`x", "%x", "?x", ":x",
    "a: b", "a:", "x #y", "x#y", "a,b", "a]b", "'q'", "'it''s'", "''", '"q"', '""', '"a\\"b"', '"a\\\\b"', '"a\\nb"',
    '"x" # c', "'x' #c", "x # comment", "x   ", "é", "日本", "a\u00a0b", "12345678901234567890", "-", "- x", "#",
  ];
  const goodKeys = ["a", "b", "name", "spec", "command", "args", "x.io/y", "key+", "a_b", "Kind"];
  const badKeys = ["y", "on", "null", "1", "<<", "__proto__", "a b", "-k", '"q"', "'q'", "?k"];
  const scalar = fc.oneof({ arbitrary: fc.constantFrom(...goodScalars), weight: 40 }, { arbitrary: fc.constantFrom(...badScalars), weight: 1 });
  const key = fc.oneof({ arbitrary: fc.constantFrom(...goodKeys), weight: 40 }, { arbitrary: fc.constantFrom(...badKeys), weight: 1 });
  const comment = fc.constantFrom("", "", "", "# c", "  # indented comment", "");

  interface Tree {
    t: "map" | "seq" | "scalar";
    s?: string;
    kids?: [string, Tree][];
    items?: Tree[];
  }
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar.map((s): Tree => ({ t: "scalar", s })),
      // Keys mostly unique (a duplicate makes the fast path decline; some are kept).
      fc
        .tuple(fc.uniqueArray(fc.tuple(key, tie("node")), { minLength: 1, maxLength: 4, selector: ([k]) => k }), fc.nat(19))
        .map(([kids, dup]): Tree => ({ t: "map", kids: dup === 0 ? [...kids, kids[0]!] : kids })),
      fc.array(tie("node"), { minLength: 1, maxLength: 4 }).map((items): Tree => ({ t: "seq", items })),
    ),
  })).node;

  /** Renders a collection in block style; `style` picks the choices a writer makes. */
  function render(node: Tree, indent: number, style: () => number, lines: string[], lead?: string): void {
    const pad = " ".repeat(indent);
    const extra = () => (style() % 5 === 0 ? ["", "# between", "   # deeper comment"][style() % 3]! : undefined);
    if (node.t === "map") {
      node.kids!.forEach(([key, value], i) => {
        const prefix = i === 0 && lead !== undefined ? lead : pad;
        const c = extra();
        if (c !== undefined && !(i === 0 && lead !== undefined)) lines.push(c);
        if (value.t === "scalar") {
          lines.push(`${prefix}${key}: ${value.s}${style() % 7 === 0 ? "  # trailing" : ""}`);
        } else {
          lines.push(`${prefix}${key}:`);
          const sameColumn = value.t === "seq" && style() % 2 === 0;
          render(value, sameColumn ? indent : indent + 2 + (style() % 9 === 0 ? 1 : 0), style, lines);
        }
      });
    } else if (node.t === "seq") {
      node.items!.forEach((item, i) => {
        const prefix = i === 0 && lead !== undefined ? lead : pad;
        if (item.t === "scalar") lines.push(`${prefix}- ${item.s}`);
        else if (item.t === "map") render(item, indent + 2, style, lines, `${prefix}- `);
        else {
          lines.push(`${prefix}-`);
          render(item, indent + 2, style, lines);
        }
      });
    } else {
      lines.push(`${lead ?? pad}${node.s}`);
    }
  }

  /** A sequence directly in a sequence (`-` alone on its line) makes the fast path decline
   * (tested above); here it is mostly wrapped in a map, so that most texts are composed. */
  const wrap = (node: Tree, keep: boolean): Tree =>
    node.t === "map"
      ? { t: "map", kids: node.kids!.map(([k, v]) => [k, wrap(v, keep)]) }
      : node.t === "seq"
        ? { t: "seq", items: node.items!.map((item) => (item.t === "seq" && !keep ? { t: "map", kids: [["items", wrap(item, keep)]] } : wrap(item, keep))) }
        : node;
  const rootTree = fc
    .tuple(tree, fc.nat(9))
    .map(([root, keep]): Tree => wrap(root.t === "scalar" ? { t: "map", kids: [["a", root]] } : root, keep === 0));
  const documentText = fc.tuple(rootTree, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), comment).map(([root, choices, c]) => {
    let k = 0;
    const style = () => choices[k++ % choices.length]!;
    const lines: string[] = c ? [c] : [];
    render(root, 0, style, lines);
    return lines.join("\n");
  });

  const stream = fc
    .tuple(fc.array(documentText, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
    .map(([docs, leadingMarker, finalNewline]) => (leadingMarker ? "---\n" : "") + docs.join("\n---\n") + (finalNewline ? "\n" : ""));

  it("agrees with the full parser on generated block YAML, or declines", () => {
    let taken = 0;
    let runs = 0;
    const declines = new Map<string, number>();
    fc.assert(
      fc.property(stream, (text) => {
        runs++;
        if (check(text)) taken++;
        else declines.set(tryBlockYaml(text) as string, (declines.get(tryBlockYaml(text) as string) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the texts are composed by the fast path.
    expect(taken / runs, JSON.stringify([...declines])).toBeGreaterThan(0.3);
  }, 300_000); // each text is read three ways; the machine may be shared

  it("agrees with the full parser on damaged manifests, or declines", () => {
    const damage = fc.tuple(fc.nat(299), fc.nat(), fc.constantFrom(" ", "  ", "-", ":", "#", "'", '"', "\n", "\n  ", "{", "&", "*", "!", "|", "0", "y", "---\n", "- ", ": ", "\\", "\t"), fc.boolean());
    let taken = 0;
    fc.assert(
      fc.property(damage, ([i, at, insert, remove]) => {
        const text = generateManifest(11, i);
        const position = at % text.length;
        const damaged = remove ? text.slice(0, position) + text.slice(position + insert.length) : text.slice(0, position) + insert + text.slice(position);
        if (check(damaged)) taken++;
      }),
      { numRuns: 600 },
    );
    expect(taken).toBeGreaterThan(30);
  }, 300_000); // each text is read three ways; the machine may be shared
});

describe("what the YAML reader remembers between files", () => {
  // Its caches (keys, plain scalars) live as long as the process: what they keep must not be a
  // slice of an input, which would keep that whole file in memory through the run. The heap
  // is measured with a 20 MB file of distinct long keys and timestamps alive, then after it was
  // read and dropped: at least half of the file's size must have come back (in a child process
  // with the garbage collector exposed; a cache of slices gave back none of it).
  it("keeps no input file alive after its documents are dropped", () => {
    const script = `
      const { readYamlDocuments } = await import(${JSON.stringify(join(packageRoot, "dist", "readers", "yaml.js"))});
      const lines = ["items:"];
      for (let i = 0; i < 300000; i++) lines.push("- annotation-key-" + i + ".example.com/x: 2024-01-" + String(1 + (i % 28)).padStart(2, "0") + "T00:" + String(i % 60).padStart(2, "0") + ":" + String(i % 59).padStart(2, "0") + "Z", "  verbs: get");
      let text = lines.join("\\n") + "\\n";
      lines.length = 0;
      const bytes = text.length;
      globalThis.gc();
      const before = process.memoryUsage().heapUsed;
      if (readYamlDocuments({ path: "big.yaml", text })[0].value.items.length !== 300000) throw new Error("not read");
      text = undefined;
      globalThis.gc();
      process.stdout.write(JSON.stringify({ bytes, kept: process.memoryUsage().heapUsed - before }));
    `;
    const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const { bytes, kept } = JSON.parse(run.stdout) as { bytes: number; kept: number };
    expect(bytes).toBeGreaterThan(20_000_000);
    expect(kept).toBeLessThan(-bytes / 2);
  });
});
