// The names the docs give for what kubecis's conftest side is called must be the real ones: the
// conftest namespace, the JUnit suite (what a GitLab or Jenkins user filters on), and the bundle
// roots (what someone checks for overlap before loading the bundle beside their own). They were
// conftest's defaults (`main`, `conftest.main`) and a roots list missing one (rev-adopt A7).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/paths.js";
import { SAMPLE, filesUnder, runKubecis } from "./helpers.js";

const PAGES = [join(packageRoot, "README.md"), ...filesUnder(join(packageRoot, "docs"), /\.md$/)];

/** Every `what \`name\`` the pages write (namespace `x`, suite `y`), as "page:line name". */
function named(what: string): { at: string; name: string }[] {
  const found: { at: string; name: string }[] = [];
  for (const page of PAGES) {
    readFileSync(page, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const m of line.matchAll(new RegExp(`\\b${what} \`([^\`]+)\``, "g"))) found.push({ at: `${relative(packageRoot, page)}:${i + 1}`, name: m[1]! });
      });
  }
  return found;
}

describe("conftest names in the docs", () => {
  const junit = runKubecis(["test", SAMPLE, "-o", "junit"]).stdout;
  const suite = /<testsuite [^>]*name="([^"]+)"/.exec(junit)![1]!;
  const namespace = /^FAIL - \S+ - (\S+) - /m.exec(runKubecis(["test", SAMPLE, "-o", "stdout"]).stdout)![1]!;

  it("the JUnit suite and the namespace are read from real output", () => {
    expect(suite).toBe(`conftest.${namespace}`);
  });

  it("every suite the docs name is the real one", () => {
    const suites = named("suite");
    expect(suites.length).toBeGreaterThan(0);
    expect(suites.filter((s) => s.name !== suite)).toEqual([]);
  });

  it("every conftest namespace the docs name is the real one", () => {
    const namespaces = named("namespace").filter((n) => !/^kube-|^default$/.test(n.name));
    expect(namespaces.length).toBeGreaterThan(0);
    expect(namespaces.filter((n) => n.name !== namespace)).toEqual([]);
  });

  it("docs/opa-conftest.md lists exactly the roots of the bundle's .manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubecis-doc-names-"));
    expect(runKubecis(["bundle", dir]).status).toBe(0);
    const roots = (JSON.parse(readFileSync(join(dir, "policy/.manifest"), "utf8")) as { roots: string[] }).roots;
    const page = readFileSync(join(packageRoot, "docs/opa-conftest.md"), "utf8").replace(/\n/g, " ");
    const sentence = /`roots` \(([^)]*)\)/.exec(page)![1]!;
    expect([...sentence.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort()).toEqual([...roots].sort());
  });
});
