// Lines of a JSON document, found in its text: the JSON reader (./yaml.ts) parses with
// JSON.parse, which keeps no positions, and a line is needed only when something is reported
// (an invalid RBAC object, a flag's evidence). Reading a 166 MB export again as YAML to find
// one line ran out of memory; this locator walks only the path asked for, skipping every
// other value by its brackets and quotes, and remembers what it walked (the keys of each map
// and the items of each list it entered), so that many questions cost about one scan.
//
// Lines follow the YAML reader's rules (test/json-lines.test.ts compares them): the line of
// the first character of the value at a path of keys and indexes; a list index may be a
// number or a string of one, a map key only a string; a path that misses gives undefined.
// For a duplicate key, the line of the last one, whose value JSON.parse keeps.

import { itemIndex } from "./yaml-block.js";

/** Line (1-based) of the value at a path of keys and indexes in `text`, which JSON.parse
 * accepted; undefined when the document has no such value. */
export type JsonLineLocator = (path: readonly (string | number)[]) => number | undefined;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_MAP = 123;
const CLOSE_MAP = 125;
const OPEN_LIST = 91;
const CLOSE_LIST = 93;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

/** The items of a list found so far: their starts, and where to look for the next one. */
interface ListItems {
  starts: number[];
  /** Position after the last item found (or the opening bracket); -1 once the list has ended. */
  next: number;
}

/** A locator for `text`, which must be JSON that JSON.parse accepted. */
export function jsonLineLocator(text: string): JsonLineLocator {
  const maps = new Map<number, Map<string, number>>();
  const lists = new Map<number, ListItems>();
  const root = skipBlanks(text, 0);
  // Lines are counted from the last answer forward when the next one lies after it.
  let counted = { at: 0, line: 1 };

  const keysOf = (open: number): Map<string, number> => {
    let keys = maps.get(open);
    if (keys) return keys;
    keys = new Map();
    let at = skipBlanks(text, open + 1);
    while (text.charCodeAt(at) !== CLOSE_MAP) {
      const end = skipString(text, at);
      const raw = text.slice(at + 1, end - 1);
      const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
      at = skipBlanks(text, end);
      if (text.charCodeAt(at) !== COLON) throw new Error("not JSON");
      const start = skipBlanks(text, at + 1);
      keys.set(key, start);
      at = skipBlanks(text, skipValue(text, start));
      if (text.charCodeAt(at) === COMMA) at = skipBlanks(text, at + 1);
    }
    maps.set(open, keys);
    return keys;
  };

  const itemAt = (open: number, index: number): number | undefined => {
    let items = lists.get(open);
    if (!items) lists.set(open, (items = { starts: [], next: open + 1 }));
    while (items.starts.length <= index && items.next >= 0) {
      let at = skipBlanks(text, items.next);
      if (text.charCodeAt(at) === COMMA) at = skipBlanks(text, at + 1);
      if (text.charCodeAt(at) === CLOSE_LIST) {
        items.next = -1;
        break;
      }
      items.starts.push(at);
      items.next = skipValue(text, at);
    }
    return items.starts[index];
  };

  const lineOf = (at: number): number => {
    if (at < counted.at) counted = { at: 0, line: 1 };
    let line = counted.line;
    for (let i = text.indexOf("\n", counted.at); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
    counted = { at, line };
    return line;
  };

  return (path) => {
    if (root >= text.length) return undefined;
    let at: number | undefined = root;
    for (const key of path) {
      const c = text.charCodeAt(at);
      if (c === OPEN_MAP) at = typeof key === "string" ? keysOf(at).get(key) : undefined;
      else if (c === OPEN_LIST) {
        const index = itemIndex(key);
        at = index === undefined ? undefined : itemAt(at, index);
      } else at = undefined;
      if (at === undefined) return undefined;
    }
    return lineOf(at);
  };
}

/** The position of the first non-blank character at or after `at`. */
function skipBlanks(text: string, at: number): number {
  for (;;) {
    const c = text.charCodeAt(at);
    if (c !== 32 && c !== NEWLINE && c !== 13 && c !== 9) return at;
    at++;
  }
}

/** The position after the string whose opening quote is at `at`. */
function skipString(text: string, at: number): number {
  for (let end = text.indexOf('"', at + 1); ; end = text.indexOf('"', end + 1)) {
    if (end < 0) throw new Error("not JSON");
    let escapes = 0;
    while (text.charCodeAt(end - 1 - escapes) === BACKSLASH) escapes++;
    if (escapes % 2 === 0) return end + 1;
  }
}

/** The position after the value that starts at `at` (no recursion: brackets are counted). */
function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return skipString(text, at);
  if (c !== OPEN_MAP && c !== OPEN_LIST) {
    // A number, true, false or null: up to the next delimiter.
    while (at < text.length) {
      const d = text.charCodeAt(at);
      if (d === COMMA || d === CLOSE_MAP || d === CLOSE_LIST || d === 32 || d === NEWLINE || d === 13 || d === 9) break;
      at++;
    }
    return at;
  }
  let depth = 0;
  for (; at < text.length; at++) {
    const d = text.charCodeAt(at);
    if (d === QUOTE) at = skipString(text, at) - 1;
    else if (d === OPEN_MAP || d === OPEN_LIST) depth++;
    else if ((d === CLOSE_MAP || d === CLOSE_LIST) && --depth === 0) return at + 1;
  }
  throw new Error("not JSON");
}
