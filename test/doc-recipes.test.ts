// The docs' shell recipes never write over a file another recipe reads. A reader copies recipes
// from several pages into one directory: when two recipes redirect different commands into the
// same file name (`kubectl get … > rbac.json` in the README, `kubecis normalize <exports> >
// rbac.json` elsewhere), following both truncates the first one's output, here the user's RBAC
// export, before it is read. So every file a recipe creates with `>` is written by one producer
// (the same program and subcommand) everywhere, and no command redirects into a file it reads.
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { filesUnder, markdownLines } from "./helpers.js";

const MARKDOWN = [join(packageRoot, "README.md"), ...filesUnder(join(packageRoot, "docs"), /\.md$/)];

interface Redirect {
  /** Where: file:line. */
  at: string;
  /** The file written. */
  target: string;
  /** The command's program and subcommand (`kubectl get`, `kubecis normalize`). */
  producer: string;
  /** The command's other words. */
  words: string[];
}

/** Shell command lines of a Markdown file: lines of fenced blocks and inline code spans. */
function commandLines(file: string): { text: string; line: number }[] {
  return markdownLines(file).flatMap(({ text, line, code }) => (code ? [{ text, line }] : [...text.matchAll(/`([^`]+)`/g)].map((span) => ({ text: span[1]!, line }))));
}

/** Every `cmd … > file` (and `>>`) of the docs; file descriptor redirections (`2>`, `>&2`) and /dev/ are not files a recipe creates. */
function redirects(): Redirect[] {
  const found: Redirect[] = [];
  for (const file of MARKDOWN) {
    for (const { text, line } of commandLines(file)) {
      // One simple command per segment; a YAML step's `- run:` prefix is not part of it, and a
      // placeholder (`<exports>`) is a word the reader fills in, not a redirection.
      for (const segment of text.replace(/#\s.*$/, "").replace(/<[\w.-]+>/g, "PLACEHOLDER").split(/&&|\|\||[;|]/)) {
        const match = /(?<![0-9&>])>>?\s*("[^"]+"|[^\s&>]+)/.exec(segment);
        if (!match) continue;
        const target = match[1]!.replace(/"/g, "");
        if (target.startsWith("/dev/") || target.startsWith("&")) continue;
        const words = segment.slice(0, match.index).replace(/^\s*(-\s+)?(run:\s*)?/, "").trim().split(/\s+/);
        found.push({ at: `${relative(packageRoot, file)}:${line}`, target, producer: words.slice(0, 2).join(" "), words: words.slice(2) });
      }
    }
  }
  return found;
}

describe("documentation recipes", () => {
  const all = redirects();

  it("finds the recipes' redirections (the README's export, the CI recipes' reports)", () => {
    expect(all.map((r) => r.target)).toEqual(expect.arrayContaining(["rbac.json", "kubecis.sarif", "reports/$node.json"]));
  });

  it("every file a recipe writes with > is written by one producer in every recipe", () => {
    const producers = new Map<string, Set<string>>();
    for (const r of all) producers.set(r.target, new Set([...(producers.get(r.target) ?? []), `${r.producer} (${r.at})`]));
    const clashes = [...producers].filter(([, by]) => new Set([...by].map((p) => p.replace(/ \(.*\)$/, ""))).size > 1);
    expect(clashes.map(([target, by]) => `${target}: ${[...by].join(", ")}`)).toEqual([]);
  });

  it("no command redirects into a file it reads (the shell truncates it first)", () => {
    expect(all.filter((r) => r.words.some((w) => w.replace(/"/g, "") === r.target)).map((r) => `${r.at}: ${r.target}`)).toEqual([]);
  });
});
