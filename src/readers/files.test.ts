import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES, decodeText } from "./files.js";
import { readHostFile } from "./host-files.js";

describe("the guarded reader under a host root", () => {
  const root = mkdtempSync(join(tmpdir(), "kubecis-root-"));
  mkdirSync(join(root, "etc/kubernetes"), { recursive: true });
  writeFileSync(join(root, "etc/kubernetes/a.yaml"), "kind: A\n");
  writeFileSync(join(root, "..", `${root.split("/").pop()}-outside.yaml`), "kind: Outside\n");
  symlinkSync("a.yaml", join(root, "etc/kubernetes/relative.yaml"));
  symlinkSync("/etc/kubernetes/a.yaml", join(root, "etc/kubernetes/absolute.yaml"));
  symlinkSync("/../../../../etc/passwd", join(root, "etc/kubernetes/climb.yaml"));
  symlinkSync("loop-b", join(root, "etc/kubernetes/loop-a"));
  symlinkSync("loop-a", join(root, "etc/kubernetes/loop-b"));
  writeFileSync(join(root, "etc/kubernetes/big.yaml"), "");
  truncateSync(join(root, "etc/kubernetes/big.yaml"), MAX_INPUT_BYTES + 1);

  it("reads files and follows symlinks inside the root, as the node would", () => {
    for (const path of ["/etc/kubernetes/a.yaml", "etc/kubernetes/a.yaml", "/etc/kubernetes/relative.yaml", "/etc/kubernetes/absolute.yaml", "/etc/../etc/kubernetes/a.yaml"]) {
      const read = readHostFile(root, path);
      expect(read.status, path).toBe("read");
      if (read.status === "read") expect(read.file).toEqual({ path, text: "kind: A\n" });
    }
  });

  it("never leaves the root: .. above it, symlink loops, oversized and missing files", () => {
    // "/.." is "/", as on the node: the file beside the root is never reached.
    expect(readHostFile(root, `/../${root.split("/").pop()}-outside.yaml`)).toMatchObject({ status: "missing" });
    expect(readHostFile(root, "/../etc/kubernetes/a.yaml")).toMatchObject({ status: "read", resolved: join(root, "etc/kubernetes/a.yaml") });
    // A symlink that climbs above / stays at the root's / (the node's /etc/passwd is not read).
    expect(readHostFile(root, "/etc/kubernetes/climb.yaml")).toMatchObject({ status: "missing" });
    expect(readHostFile(root, "/etc/kubernetes/loop-a")).toMatchObject({ status: "unreadable", error: expect.stringContaining("symbolic links") });
    expect(readHostFile(root, "/etc/kubernetes/big.yaml")).toMatchObject({ status: "unreadable", error: expect.stringContaining("the limit is") });
    expect(readHostFile(root, "/etc/kubernetes/none.yaml")).toMatchObject({ status: "missing" });
  });
});

describe("decodeText", () => {
  it("gives the text UTF-8 decoding gives: ASCII, other UTF-8, a byte-order mark, invalid bytes", () => {
    const cases = [
      "kind: Pod\nmetadata: {name: api}\n",
      "metadata:\n  annotations: {owner: Jürgen Ünal, team: 東京}\n",
      "\uFEFFkind: Pod\n",
      "",
    ].map((text) => Buffer.from(text, "utf8"));
    cases.push(Buffer.from([0x6b, 0x3a, 0x20, 0xc3, 0x28, 0x0a])); // invalid UTF-8 (replaced, as Buffer#toString does)
    for (const bytes of cases) {
      const expected = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, "");
      expect(decodeText("in.yaml", bytes).text).toBe(expected);
    }
  });
});
