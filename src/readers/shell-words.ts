// POSIX-shell word splitting, for the places where a command line is written as one string:
// `/bin/sh -c "exec kube-apiserver …"`, systemd ExecStart= and EnvironmentFile values.
// Quotes ('…', "…"), backslash escapes and backslash-newline continuations are honoured;
// each word keeps the (1-based) line it starts on, so evidence can point at it. Expansions
// (${…}, $(…), `…`) are kept as written, one unit each, and expanded by expandWord: the one
// place that expands variables, for `sh -c` scripts and for systemd's ExecStart=.
// splitShellScript reads a whole `sh -c` script the way sh does (POSIX XCU 2.3 token
// recognition, 2.7 redirection, 2.9 commands; dash src/parser.c readtoken1 and list): an
// unquoted newline, `;`, `&`, `&&`, `||`, `|`, `(`, `)` end a simple command, also glued to
// words, and a redirection (`>f`, `2>&1`, `<<EOF` with its here-document) is not an argument.

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
  const { tokens, error } = tokenize(text, firstLine, false);
  const words = tokens.filter((t): t is Word => !("operator" in t));
  return error ? { words, error } : { words };
}

/** An unquoted control or redirection operator of a script (POSIX XCU 2.10.2), or "\n". */
export interface Operator {
  operator: string;
  line: number;
}

/** The operators, longest first, so that the longest one that starts at a place is taken. */
const OPERATORS = ["<<-", "&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")", "<", ">"];
const REDIRECTIONS = new Set(["<<-", "<<", ">>", "<&", ">&", "<>", ">|", "<", ">"]);

/** `script`: read operators and here-documents as sh does; otherwise a newline is a blank and
 * `;&|()<>` are text (systemd command lines, environment files, args files). */
function tokenize(text: string, firstLine: number, script: boolean): { tokens: (Word | Operator)[]; error?: string } {
  const tokens: (Word | Operator)[] = [];
  /** Here-documents whose bodies start after the current line: the index of their operator. */
  const hereDocs: number[] = [];
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
      tokens.push(word);
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
  /** Skips the bodies of the here-documents opened on the line that ends at i (XCU 2.7.4):
   * each runs to a line that is its delimiter (tabs stripped for <<-), or to the end. Returns
   * the index of the last character skipped. */
  const skipHereDocuments = (i: number): number => {
    let at = i + 1;
    for (const k of hereDocs.splice(0)) {
      const delimiter = tokens[k + 1];
      if (!delimiter || "operator" in delimiter) continue;
      const strip = (tokens[k] as Operator).operator === "<<-";
      while (at < text.length) {
        const end = text.indexOf("\n", at);
        const body = text.slice(at, end === -1 ? text.length : end);
        at = end === -1 ? text.length : end + 1;
        if (end !== -1) line++;
        if ((strip ? body.replace(/^\t+/, "") : body) === delimiter.text) break;
      }
    }
    return at - 1;
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
    // sh reads a carriage return as text; the other readers take CRLF line ends.
    if (c === "\r" && text[i + 1] === "\n" && !script) continue;
    if (c === "\n") {
      flush();
      if (script) {
        tokens.push({ operator: "\n", line });
        i = skipHereDocuments(i);
      }
      line++;
      continue;
    }
    if (script && ";&|()<>".includes(c)) {
      // A word of digits alone, right before < or >, is the descriptor the redirection is for.
      if ((c === "<" || c === ">") && current !== undefined && !quoted && parts.every((p) => p.live) && /^[0-9]+$/.test(current)) {
        current = undefined;
        parts = [];
      }
      flush();
      const operator = OPERATORS.find((op) => text.startsWith(op, i))!;
      tokens.push({ operator, line });
      if (operator === "<<" || operator === "<<-") hereDocs.push(tokens.length - 1);
      i += operator.length - 1;
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
      if (next === "\n" || (next === "\r" && text[i + 2] === "\n" && !script)) {
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
      if (end === -1) return { tokens, error: `unterminated single quote on line ${line}` };
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
          if (end === -1) return { tokens, error: `unterminated ${d === "`" ? "backquote" : "expansion"} on line ${line}` };
          add(text.slice(j, end), true);
          j = end - 1;
          continue;
        }
        if (d === "\n") line++;
        add(d, true);
      }
      if (j >= text.length) return { tokens, error: `unterminated double quote on line ${start}` };
      i = j;
      continue;
    }
    if (c === "$" || c === "`") {
      const end = expansionEnd(i);
      if (end === -1) return { tokens, error: `unterminated ${c === "`" ? "backquote" : "expansion"} on line ${line}` };
      const unit = text.slice(i, end);
      line += unit.split("\n").length - 1;
      add(unit, true);
      i = end - 1;
      continue;
    }
    add(c, true);
  }
  flush();
  return { tokens };
}

/** A simple command of a script: its words, redirections and assignments included. */
export interface ScriptCommand {
  words: Word[];
  /** The line the command starts on. */
  line: number;
  /** The operator that ended the command before it ("\n" for a line break). */
  after?: string;
}

export interface ScriptSplit {
  commands: ScriptCommand[];
  /** Why sh refuses the script (an open quote, a redirection without a target). */
  error?: string;
}

/** A `sh -c` script's simple commands, in order, each without its redirections (the operator
 * and its target word): what sh gives the command as argv, before expansion. Control flow is
 * not followed; reserved words and assignments stay in the words (see commandWords). */
export function splitShellScript(text: string, firstLine = 1): ScriptSplit {
  const { tokens, error } = tokenize(text, firstLine, true);
  const commands: ScriptCommand[] = [];
  let words: Word[] = [];
  let after: string | undefined;
  const end = (operator?: string) => {
    if (words.length > 0) commands.push({ words, line: words[0]!.line, ...(after ? { after } : {}) });
    if (words.length > 0 || operator === "\n") after = operator;
    words = [];
  };
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (!("operator" in token)) {
      words.push(token);
      continue;
    }
    if (REDIRECTIONS.has(token.operator)) {
      const target = tokens[k + 1];
      if (!target || "operator" in target) {
        end();
        return { commands, error: `a ${token.operator} redirection without a target on line ${token.line}` };
      }
      k++;
      continue;
    }
    end(token.operator);
  }
  end();
  return error ? { commands, error } : { commands };
}

/** Words a simple command starts with that are not its argv[0] (XCU 2.4 reserved words in
 * command position, 2.9.1 variable assignments): `then exec kube-apiserver …` runs
 * `exec kube-apiserver …`. */
const RESERVED = new Set(["!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until"]);

/** The words that make a simple command's argv: leading reserved words and assignments
 * dropped. */
export function commandWords(words: readonly Word[]): Word[] {
  let k = 0;
  while (k < words.length && (RESERVED.has(words[k]!.text) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!.parts[0]?.live ? words[k]!.text : ""))) k++;
  return words.slice(k);
}

/** Where a variable's value comes from: undefined when it is not set (or not known to be),
 * null when it is set to a value kubecis cannot know (a Secret, a ConfigMap, envFrom). */
export type Lookup = (name: string) => string | null | undefined;

export interface Expanded {
  text: string;
  /** The expansions that could not be resolved, as written; they stay in `text` as written. */
  unresolved: string[];
}

/** One expansion: ${NAME}, ${NAME:-word}, ${NAME-word} (groups 1-3), $NAME (group 4), any other
 * ${…}, $(…), `…`, or a special parameter ($1, $@, $$, …). A default may hold one ${…}. */
const EXPANSION = /\$\{([A-Za-z_]\w*)(?:(:?-)((?:[^{}]|\$\{[^{}]*\})*))?\}|\$([A-Za-z_]\w*)|\$\{[^}]*\}|\$\([\s\S]*\)|`[^`]*`|\$[0-9@*#?$!-]/g;

/** kubelet's references: $$ (an escaped $) or $(NAME) (group 1); a `$` before anything else,
 * or a `$(` that is never closed, stays as written (third_party/forked/golang/expansion Expand
 * and tryReadVariableName). */
const KUBELET_REFERENCE = /\$(?:\$|\(([^)]*)\))/g;
/** The names an env entry can have (k8s.io/apimachinery validation IsEnvVarName). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Expands a word's live parts. sh: $NAME, ${NAME}, ${NAME:-word} and ${NAME-word}; systemd
 * (ExecStart=): ${NAME}, and $$ for $; a `$NAME` inside a word is left as written, as systemd
 * does; kubelet (a container's command, args and env values): $(NAME) and $$ for $.
 * Command substitution, other parameter forms, and variables the lookup does not know
 * are unresolved: their value at run time is unknown here. They stay in the text as written. */
export function expandWord(word: Pick<Word, "parts">, lookup: Lookup, dialect: "sh" | "systemd" | "kubelet"): Expanded {
  const unresolved: string[] = [];
  if (dialect === "kubelet") {
    const kubelet = (text: string): string =>
      text.replace(KUBELET_REFERENCE, (all, name?: string) => {
        if (name === undefined) return "$";
        const value = lookup(name);
        if (typeof value === "string") return value;
        // Not defined here: kubelet leaves it as written, unless its service variables or
        // envFrom define it; either way the value is unknown. A name no env entry can have
        // stays as written.
        if (ENV_VAR_NAME.test(name)) unresolved.push(all);
        return all;
      });
    return { text: word.parts.map((part) => (part.live ? kubelet(part.text) : part.text)).join(""), unresolved };
  }
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
        if (typeof value === "string") return value;
      }
      unresolved.push(all);
      return all;
    });
  const text = word.parts.map((part) => (part.live ? live(part.text) : part.text)).join("");
  return { text, unresolved };
}
