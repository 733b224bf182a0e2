// POSIX-shell word splitting, for the places where a command line is written as one string:
// `/bin/sh -c "exec kube-apiserver …"`, systemd ExecStart= and EnvironmentFile values.
// Quotes ('…', "…"), backslash escapes and backslash-newline continuations are honoured;
// each word keeps the (1-based) line it starts on, so evidence can point at it. Expansions
// (${…}, $(…), `…`) are kept as written, one unit each, and expanded by expandWord: the one
// place that expands variables, for `sh -c` scripts and for systemd's ExecStart=.

/** A run of a word's text, and whether `$` in it is live (written outside single quotes and
 * not escaped) so expandWord expands it. */
export interface WordPart {
  text: string;
  live: boolean;
}

export interface Word {
  /** The word as written, quotes removed, expansions not applied. */
  text: string;
  /** Line of the word's first character, counted from `firstLine`. */
  line: number;
  /** The word was written as `$NAME` (unquoted), which systemd expands into several words. */
  bareVariable?: string;
  parts: WordPart[];
}

export interface SplitResult {
  words: Word[];
  /** Set when a quote is not closed; the words read before it are returned. */
  error?: string;
}

export function splitShellWords(text: string, firstLine = 1): SplitResult {
  const words: Word[] = [];
  let line = firstLine;
  let current: string | undefined;
  let parts: WordPart[] = [];
  let start = line;
  let quoted = false;
  const flush = () => {
    if (current !== undefined) {
      const word: Word = { text: current, line: start, parts };
      const bare = !quoted && /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(current);
      if (bare) word.bareVariable = bare[1]!;
      words.push(word);
    }
    current = undefined;
    parts = [];
    quoted = false;
  };
  const begin = () => {
    if (current === undefined) {
      current = "";
      start = line;
    }
  };
  /** Adds text to the current word, live (expansions apply) or literal. */
  const add = (piece: string, live: boolean) => {
    begin();
    current += piece;
    const last = parts[parts.length - 1];
    if (last && last.live === live) last.text += piece;
    else parts.push({ text: piece, live });
  };
  /** An expansion starting at i ($…, ${…}, $(…), `…`): its end index (exclusive), or -1 if open. */
  const expansionEnd = (i: number): number => {
    const open = text[i] === "`" ? "`" : text.slice(i, i + 2);
    if (open === "`") {
      const end = text.indexOf("`", i + 1);
      return end === -1 ? -1 : end + 1;
    }
    if (open === "${" || open === "$(") {
      const [o, c] = open === "${" ? ["{", "}"] : ["(", ")"];
      let depth = 0;
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === o) depth++;
        else if (text[j] === c && --depth === 0) return j + 1;
      }
      return -1;
    }
    return i + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\r" && text[i + 1] === "\n") continue;
    if (c === "\n") {
      flush();
      line++;
      continue;
    }
    if (c === " " || c === "\t") {
      flush();
      continue;
    }
    if (c === "#" && current === undefined) {
      // A comment runs to the end of the line.
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    if (c === "\\") {
      const next = text[i + 1];
      if (next === "\n" || (next === "\r" && text[i + 2] === "\n")) {
        i += next === "\r" ? 2 : 1;
        line++;
        continue;
      }
      begin();
      if (next !== undefined) {
        add(next, false);
        i++;
      }
      continue;
    }
    if (c === "'") {
      begin();
      quoted = true;
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { words, error: `unterminated single quote on line ${line}` };
      const inner = text.slice(i + 1, end);
      line += inner.split("\n").length - 1;
      if (inner !== "") add(inner, false);
      i = end;
      continue;
    }
    if (c === '"') {
      begin();
      quoted = true;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j]!;
        if (d === "\\" && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) {
          if (text[j + 1] === "\n") line++;
          else add(text[j + 1]!, false);
          j++;
          continue;
        }
        if (d === "$" || d === "`") {
          const end = expansionEnd(j);
          if (end === -1) return { words, error: `unterminated ${d === "`" ? "backquote" : "expansion"} on line ${line}` };
          add(text.slice(j, end), true);
          j = end - 1;
          continue;
        }
        if (d === "\n") line++;
        add(d, true);
      }
      if (j >= text.length) return { words, error: `unterminated double quote on line ${start}` };
      i = j;
      continue;
    }
    if (c === "$" || c === "`") {
      const end = expansionEnd(i);
      if (end === -1) return { words, error: `unterminated ${c === "`" ? "backquote" : "expansion"} on line ${line}` };
      const unit = text.slice(i, end);
      line += unit.split("\n").length - 1;
      add(unit, true);
      i = end - 1;
      continue;
    }
    add(c, true);
  }
  flush();
  return { words };
}

/** Where a variable's value comes from; undefined when it is not set (or not known). */
export type Lookup = (name: string) => string | undefined;

export interface Expanded {
  text: string;
  /** The expansions that could not be resolved, as written; they stay in `text` as written. */
  unresolved: string[];
}

/** One expansion: ${NAME}, ${NAME:-word}, ${NAME-word} (groups 1-3), $NAME (group 4), any other
 * ${…}, $(…), `…`, or a special parameter ($1, $@, $$, …). A default may hold one ${…}. */
const EXPANSION = /\$\{([A-Za-z_]\w*)(?:(:?-)((?:[^{}]|\$\{[^{}]*\})*))?\}|\$([A-Za-z_]\w*)|\$\{[^}]*\}|\$\([\s\S]*\)|`[^`]*`|\$[0-9@*#?$!-]/g;

/** Expands a word's live parts. sh: $NAME, ${NAME}, ${NAME:-word} and ${NAME-word}; systemd
 * (ExecStart=): ${NAME}, and $$ for $; a `$NAME` inside a word is left as written, as systemd
 * does. Command substitution, other parameter forms, and variables the lookup does not know
 * are unresolved: their value at run time is unknown here. They stay in the text as written. */
export function expandWord(word: Pick<Word, "parts">, lookup: Lookup, dialect: "sh" | "systemd"): Expanded {
  const unresolved: string[] = [];
  const sh = dialect === "sh";
  const live = (text: string): string =>
    text.replace(EXPANSION, (all, braced?: string, op?: string, fallback?: string, plain?: string) => {
      if (!sh && all === "$$") return "$";
      if (!sh && plain !== undefined) return all;
      const name = braced ?? plain;
      if (name !== undefined && (sh || op === undefined)) {
        const value = lookup(name);
        if (op === ":-" && (value === undefined || value === "")) return live(fallback ?? "");
        if (op === "-" && value === undefined) return live(fallback ?? "");
        if (value !== undefined) return value;
      }
      unresolved.push(all);
      return all;
    });
  const text = word.parts.map((part) => (part.live ? live(part.text) : part.text)).join("");
  return { text, unresolved };
}
