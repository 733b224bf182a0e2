// Every reference to the project's own documentation resolves: relative links in README.md,
// BENCHMARKS.md and docs/ (file and, where given, #anchor, as GitHub slugs headings), and the
// repository paths of Markdown files that source, test, bench, build and policy files name in
// their comments. A README link that leads nowhere is a newcomer's first dead end; a comment
// that points at a moved document sends the next maintainer to nothing.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { filesUnder, markdownLines } from "./helpers.js";

const rel = (path: string): string => relative(packageRoot, path);
const MARKDOWN = [join(packageRoot, "README.md"), join(packageRoot, "BENCHMARKS.md"), ...filesUnder(join(packageRoot, "docs"), /\.md$/)];

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown file offers: its headings (repeats get -1, -2, … as on GitHub). */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text, code } of markdownLines(file)) {
    const heading = !code && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const base = slug(heading[1] as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a Markdown file, outside code blocks and code spans, with their line. */
function linksOf(file: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  for (const { text, line, code } of markdownLines(file)) {
    if (code) continue;
    for (const match of text.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] as string;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ target, line });
    }
  }
  return links;
}

describe("documentation links", () => {
  it("finds the documents and their links", () => {
    expect(MARKDOWN.length).toBeGreaterThan(5);
    expect(MARKDOWN.flatMap(linksOf).length).toBeGreaterThan(20);
  });

  it("every relative link in README.md, BENCHMARKS.md and docs/ names a file that exists, and a heading when it has an anchor", () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      for (const { target, line } of linksOf(file)) {
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const destination = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
        if (!existsSync(destination)) {
          broken.push(`${rel(file)}:${line}: ${target} (no such file)`);
        } else if (anchor !== undefined && destination.endsWith(".md") && !anchorsOf(destination).has(anchor.toLowerCase())) {
          broken.push(`${rel(file)}:${line}: ${target} (no heading #${anchor} in ${rel(destination)})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("documents named in code", () => {
  const CODE = ["src", "test", "bench", "build", "policies"].flatMap((dir) => filesUnder(join(packageRoot, dir), /\.(ts|mjs|js|rego)$/));
  // A repository path of a Markdown file: docs/…/x.md, or a top-level README.md / BENCHMARKS.md.
  // Other projects' documents (actions/toolkit's docs/…) are named with their project first.
  const NAMED = /(?<![\w/.-])((?:docs\/[\w./-]+|README|BENCHMARKS)\.md)\b/g;

  it("finds the code and the documents it names", () => {
    expect(CODE.length).toBeGreaterThan(50);
    expect(CODE.some((file) => (readFileSync(file, "utf8").match(NAMED) ?? []).length > 0)).toBe(true);
  });

  it("every docs/….md, README.md or BENCHMARKS.md that a source, test, bench, build or policy file names exists", () => {
    const missing: string[] = [];
    for (const file of CODE) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((text, i) => {
          for (const match of text.matchAll(NAMED)) {
            if (!existsSync(join(packageRoot, match[1] as string))) missing.push(`${rel(file)}:${i + 1}: ${match[1]}`);
          }
        });
    }
    expect(missing).toEqual([]);
  });
});

describe("repository paths named in the docs", () => {
  // A code span that is a repository path (`src/scan.ts`, `policies/kubecis/lib/`), or, in a
  // bullet that opens with a directory (- `policies/kubecis/` — …), a path inside that directory
  // (`lib/verdict`), must exist: a layout described from memory sends a newcomer nowhere
  // (docs/architecture.md named policies/checks, lib and main, which live under policies/kubecis/).
  // A `<placeholder>` segment ends the part that is checked; generated directories are not in a clone.
  const TOP = /^(?:src|test|policies|build|bench|docs|schemas|deploy|samples|\.github)\//;
  const GENERATED = /^(?:build\/(?:out|release)|dist|node_modules|\.tools)\//;
  const PATH = /^[\w.-]+\/[\w./<>-]*$/;

  /** Every path-like code span outside code blocks, with the directory its bullet opens with. */
  function namedPaths(file: string): { at: string; path: string }[] {
    const found: { at: string; path: string }[] = [];
    let base: string | undefined;
    for (const { text, line, code } of markdownLines(file)) {
      if (code) continue;
      const bullet = /^- `([\w./-]+\/)` —/.exec(text);
      if (bullet) base = TOP.test(bullet[1]!) ? bullet[1]! : undefined;
      else if (!/^\s/.test(text)) base = undefined; // a line that does not continue the bullet
      for (const span of text.matchAll(/`([^`\s]+)`/g)) {
        const name = span[1]!;
        if (!PATH.test(name) || name.includes("..")) continue;
        const checked = name.split("/").findIndex((segment) => segment.includes("<"));
        const path = checked === -1 ? name : name.split("/").slice(0, checked).join("/") + "/";
        const full = TOP.test(path) ? path : base ? base + path : undefined;
        if (full && !GENERATED.test(full)) found.push({ at: `${rel(file)}:${line}`, path: full });
      }
    }
    return found;
  }

  it("finds them (architecture.md's layout among them)", () => {
    const architecture = namedPaths(join(packageRoot, "docs/architecture.md")).map((p) => p.path);
    expect(architecture).toEqual(expect.arrayContaining(["src/readers/", "test/inputs/"]));
  });

  it("every repository path a page names exists", () => {
    const missing = MARKDOWN.flatMap(namedPaths).filter(({ path }) => !existsSync(join(packageRoot, path)));
    expect(missing.map(({ at, path }) => `${at}: ${path}`)).toEqual([]);
  });
});
