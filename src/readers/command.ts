// Finds the kube-apiserver command in an argv, through the wrappers real deployments use:
//   kube-apiserver …                              the binary itself
//   hyperkube apiserver … / hyperkube kube-apiserver …
//   /go-runner --log-file=… -- kube-apiserver …   (registry.k8s.io images' log wrapper)
//   /bin/sh -c "exec kube-apiserver …"            (string split like the shell does)
//   k3s server … / rke2 server …                  (API server in process; flags via --kube-apiserver-arg)
//   kubelite --apiserver-args-file=…              (MicroK8s; flags in an args file)
// The process is identified by its executable's basename, never by a substring.
import { basename } from "node:path";
import type { Origin } from "../types.js";
import { expandWord, splitShellWords, type Lookup } from "./shell-words.js";

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
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "busybox"]);
const SHELL_SEPARATORS = new Set(["&&", "||", ";", "|"]);

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
    const { words } = splitShellWords(script.text);
    // Each simple command of the script; `exec` is the usual prefix.
    const commands: ArgvItem[][] = [[]];
    for (const word of words) {
      if (SHELL_SEPARATORS.has(word.text)) {
        commands.push([]);
        continue;
      }
      const { text, unresolved } = expandWord(word, env, "sh");
      const origin = { ...script.origin };
      // An unquoted $NAME alone is split into several words at blanks, as the shell does.
      const texts = word.bareVariable && unresolved.length === 0 ? text.split(/\s+/).filter((t) => t !== "") : [text];
      for (const t of texts) commands[commands.length - 1]!.push({ text: t, origin, ...(unresolved.length > 0 ? { unresolved } : {}) });
    }
    for (const command of commands) {
      const found = findApiServerCommand(command[0]?.text === "exec" ? command.slice(1) : command, env, depth + 1);
      if (found) return wrapped(found, `${exe} -c`);
    }
  }
  return undefined;
}

function wrapped(found: ApiServerCommand | undefined, wrapper: string): ApiServerCommand | undefined {
  return found ? { ...found, wrappers: [wrapper, ...found.wrappers] } : undefined;
}
