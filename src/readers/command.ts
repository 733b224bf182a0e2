// Finds the kube-apiserver command in an argv, through the wrappers real deployments use:
//   kube-apiserver …                              the binary itself
//   hyperkube apiserver … / hyperkube kube-apiserver …
//   /go-runner --log-file=… -- kube-apiserver …   (registry.k8s.io images' log wrapper)
//   /bin/sh -c "exec kube-apiserver …"            (the script read like sh reads it: the one
//                                                 simple command that runs the server)
//   k3s server … / rke2 server …                  (API server in process; flags via --kube-apiserver-arg)
//   kubelite --apiserver-args-file=…              (MicroK8s; flags in an args file)
// The process is identified by its executable's basename, never by a substring.
import { basename } from "node:path";
import type { Diagnostic, Origin } from "../types.js";
import { commandWords, expandWord, splitShellScript, type Lookup, type ScriptCommand } from "./shell-words.js";

/** One argv element and where it came from. */
export interface ArgvItem {
  text: string;
  origin: Origin;
  /** Expansions in the word that could not be resolved ($VAR, $(…)): its real text is unknown. */
  unresolved?: string[];
  /** The word comes from text that joined argv with blanks (`ps`, a journal line): a blank
   * inside a value split it into several words. */
  blankSplit?: boolean;
}

export type CommandKind = "kube-apiserver" | "k3s-server" | "rke2-server" | "kubelite";

export interface ApiServerCommand {
  kind: CommandKind;
  /** argv from the executable on; for hyperkube the subcommand word is dropped. */
  items: ArgvItem[];
  /** Wrappers peeled off, outermost first ("go-runner", "sh -c", "hyperkube"). */
  wrappers: string[];
  /** What reading a wrapper found that the report must say (flags sh runs as a command). */
  diagnostics?: Diagnostic[];
  /** Why the command cannot be judged: sh refuses the script that would run it. */
  refused?: { message: string; origin: Origin };
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "busybox"]);

/** Executables that are (or contain) an API server: the names `kubecis scan` looks for. */
export const API_SERVER_EXECUTABLES = new Set(["kube-apiserver", "hyperkube", "k3s", "rke2", "kubelite"]);

/** `env`: the variables a `sh -c` script sees that kubecis knows (a container's literal env). */
export function findApiServerCommand(items: readonly ArgvItem[], env: Lookup = () => undefined, depth = 0): ApiServerCommand | undefined {
  const first = items[0];
  if (!first || depth > 4) return undefined;
  const exe = basename(first.text);
  if (exe === "kube-apiserver") return { kind: "kube-apiserver", items: [...items], wrappers: [] };
  if (exe === "hyperkube" && (items[1]?.text === "apiserver" || items[1]?.text === "kube-apiserver")) {
    return { kind: "kube-apiserver", items: [first, ...items.slice(2)], wrappers: ["hyperkube"] };
  }
  if ((exe === "k3s" || exe === "rke2") && items[1]?.text === "server") {
    return { kind: exe === "k3s" ? "k3s-server" : "rke2-server", items: [first, ...items.slice(2)], wrappers: [] };
  }
  if (exe === "kubelite") return { kind: "kubelite", items: [...items], wrappers: [] };
  if (exe === "go-runner") {
    // go-runner's own flags (--log-file=…, --also-stdout, --redirect-stderr) come first; the
    // command starts at the first other word, or after "--".
    const dashes = items.findIndex((item) => item.text === "--");
    const start = dashes !== -1 ? dashes + 1 : items.findIndex((item, i) => i > 0 && !item.text.startsWith("-"));
    if (start <= 0) return undefined;
    return wrapped(findApiServerCommand(items.slice(start), env, depth + 1), "go-runner");
  }
  if (exe === "env" || exe === "exec" || exe === "nice") return wrapped(findApiServerCommand(items.slice(1), env, depth + 1), exe);
  if (SHELLS.has(exe)) {
    const c = items.findIndex((item, i) => i > 0 && /^-[a-z]*c$/.test(item.text));
    const script = c === -1 ? undefined : items[c + 1];
    if (!script) return undefined;
    const { commands, error } = splitShellScript(script.text);
    if (error && /kube-apiserver|hyperkube|k3s|rke2|kubelite/.test(script.text)) {
      const message = `the ${exe} -c script does not parse (${error}): sh refuses the script there, so kubecis does not judge it`;
      return { kind: "kube-apiserver", items: [], wrappers: [`${exe} -c`], refused: { message, origin: script.origin } };
    }
    // The first simple command that runs an API server is the one judged; `exec` is the usual prefix.
    for (const [k, command] of commands.entries()) {
      const words = commandItems(command, script, env);
      const found = findApiServerCommand(words[0]?.text === "exec" ? words.slice(1) : words, env, depth + 1);
      if (found) return wrapped({ ...found, diagnostics: [...(found.diagnostics ?? []), ...strayFlagLines(commands.slice(k + 1), exe, script.origin)] }, `${exe} -c`);
    }
  }
  return undefined;
}

/** A script's simple command as argv items: reserved words and assignments dropped, words
 * expanded from the env kubecis knows. A $(NAME) kubelet could not expand in the script stays
 * unresolved in the word that holds it, quoted or not. */
function commandItems(command: ScriptCommand, script: ArgvItem, env: Lookup): ArgvItem[] {
  const items: ArgvItem[] = [];
  const origin = script.origin;
  for (const word of commandWords(command.words)) {
    const expanded = expandWord(word, env, "sh");
    const { text } = expanded;
    const unresolved = [...expanded.unresolved, ...(script.unresolved ?? []).filter((ref) => text.includes(ref) && !expanded.unresolved.includes(ref))];
    // An unquoted $NAME alone is split into several words at blanks, as the shell does.
    const texts = word.bareVariable && unresolved.length === 0 ? text.split(/\s+/).filter((t) => t !== "") : [text];
    for (const t of texts) items.push({ text: t, origin: { ...origin }, ...(unresolved.length > 0 ? { unresolved } : {}) });
  }
  return items;
}

/** Later commands of the script that start with a flag: flags left on lines of their own (the
 * backslash that would continue the line is missing). sh runs each as a command of its own,
 * so kube-apiserver never gets them; only the flag's name is shown (its value may be secret). */
function strayFlagLines(commands: readonly ScriptCommand[], exe: string, origin: Origin): Diagnostic[] {
  return commands.flatMap((command) => {
    const first = commandWords(command.words)[0]?.text;
    const flag = first && /^--([A-Za-z0-9][^=\s]*)/.exec(first);
    if (!flag) return [];
    return [{
      code: "ignored-setting" as const,
      message: `line ${command.line} of the ${exe} -c script: --${flag[1]} starts a command of its own (sh ends a command at ${command.after === undefined || command.after === "\n" ? "a line break" : `"${command.after}"`}), so kube-apiserver runs without the flags that follow; is a backslash missing at the end of the line before?`,
      flag: flag[1]!.replace(/_/g, "-"),
      origin: { ...origin },
    }];
  });
}

function wrapped(found: ApiServerCommand | undefined, wrapper: string): ApiServerCommand | undefined {
  return found ? { ...found, wrappers: [wrapper, ...found.wrappers] } : undefined;
}
