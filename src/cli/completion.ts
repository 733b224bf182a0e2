// `kubecis completion bash|zsh|fish`: shell completion scripts written from the commander
// program itself, so every command, option and choice list the CLI declares is completed and
// nothing else. Arguments that are not options complete as file names (the shell's default).
import type { Command, Option } from "commander";
import { UsageError } from "../index.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

interface CommandSpec {
  name: string;
  description: string;
  options: { long?: string; short?: string; takesValue: boolean; choices: readonly string[]; description: string }[];
}

function specOf(program: Command): CommandSpec[] {
  const optionSpec = (o: Option) => ({
    ...(o.long ? { long: o.long } : {}),
    ...(o.short ? { short: o.short } : {}),
    takesValue: o.required || o.optional,
    choices: o.argChoices ?? [],
    description: o.description,
  });
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    options: [...c.options.map(optionSpec), { long: "--help", short: "-h", takesValue: false, choices: [], description: "display help for command" }],
  }));
}

export function renderCompletion(shell: string, program: Command): string {
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell "${shell}"; known: ${SHELLS.join(", ")}`);
  const commands = specOf(program);
  return shell === "fish" ? fish(commands) : shell === "zsh" ? zsh(commands) : bash(commands);
}

function bash(commands: CommandSpec[]): string {
  const words = (list: readonly string[]) => list.join(" ");
  const valueCases: string[] = [];
  const optionCases: string[] = [];
  for (const c of commands) {
    for (const o of c.options) {
      if (!o.takesValue) continue;
      const names = [o.long, o.short].filter(Boolean).map((n) => `"${c.name} ${n}"`).join("|");
      // A value with choices completes from them; any other value completes as a file name.
      valueCases.push(o.choices.length > 0 ? `    ${names}) COMPREPLY=($(compgen -W "${words(o.choices)}" -- "$cur")); return ;;` : `    ${names}) return ;;`);
    }
    const flags = c.options.flatMap((o) => [o.long, o.short].filter((n): n is string => Boolean(n)));
    optionCases.push(`    ${c.name}) COMPREPLY=($(compgen -W "${words(flags)}" -- "$cur")) ;;`);
  }
  return `# kubecis completion for bash. Load it in the current shell:  source <(kubecis completion bash)
# or install it:  kubecis completion bash > ~/.local/share/bash-completion/completions/kubecis
_kubecis() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="\${COMP_WORDS[1]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words(commands.map((c) => c.name))} --help --version" -- "$cur"))
    return
  fi
  case "$cmd $prev" in
${valueCases.join("\n")}
  esac
  [[ "$cur" == -* ]] || return
  case "$cmd" in
${optionCases.join("\n")}
  esac
}
complete -o default -o bashdefault -F _kubecis kubecis
`;
}

function zsh(commands: CommandSpec[]): string {
  return `#compdef kubecis
# kubecis completion for zsh (through zsh's bash completion support). Load it in the current
# shell:  source <(kubecis completion zsh)   or put it in a file named _kubecis on $fpath.
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(commands).split("\n").filter((l) => !l.startsWith("#")).join("\n")}`;
}

function fish(commands: CommandSpec[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const lines = [
    "# kubecis completion for fish. Load it:  kubecis completion fish | source",
    "# or install it:  kubecis completion fish > ~/.config/fish/completions/kubecis.fish",
    "complete -c kubecis -f -n __fish_use_subcommand -l version -d 'print the kubecis version'",
  ];
  for (const c of commands) {
    lines.push(`complete -c kubecis -f -n __fish_use_subcommand -a ${c.name} -d ${quote(c.description.split(":")[0]!)}`);
    for (const o of c.options) {
      const names = [o.long ? `-l ${o.long.slice(2)}` : "", o.short ? `-s ${o.short.slice(1)}` : ""].filter(Boolean).join(" ");
      const value = o.takesValue ? (o.choices.length > 0 ? ` -x -a ${quote(o.choices.join(" "))}` : " -r") : "";
      lines.push(`complete -c kubecis -n '__fish_seen_subcommand_from ${c.name}' ${names}${value} -d ${quote(o.description.split(";")[0]!)}`);
    }
  }
  return lines.join("\n") + "\n";
}
