// POSIX-shell word splitting, for the places where a command line is written as one string:
// `/bin/sh -c "exec kube-apiserver …"`, systemd ExecStart= and EnvironmentFile values.
// Quotes ('…', "…"), backslash escapes and backslash-newline continuations are honoured;
// each word keeps the (1-based) line it starts on, so evidence can point at it.

export interface Word {
  text: string;
  /** Line of the word's first character, counted from `firstLine`. */
  line: number;
  /** The word was written as `$NAME` (unquoted), which systemd expands into several words. */
  bareVariable?: string;
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
  let start = line;
  let quoted = false;
  const flush = () => {
    if (current !== undefined) {
      const word: Word = { text: current, line: start };
      const bare = !quoted && /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(current);
      if (bare) word.bareVariable = bare[1]!;
      words.push(word);
    }
    current = undefined;
    quoted = false;
  };
  const begin = () => {
    if (current === undefined) {
      current = "";
      start = line;
    }
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
        current += next;
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
      current += inner;
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
          else current = (current ?? "") + text[j + 1]!;
          j++;
          continue;
        }
        if (d === "\n") line++;
        current = (current ?? "") + d;
      }
      if (j >= text.length) return { words, error: `unterminated double quote on line ${start}` };
      i = j;
      continue;
    }
    begin();
    current += c;
  }
  flush();
  return { words };
}
