// Reader for MicroK8s args files (/var/snap/microk8s/current/args/kube-apiserver): one flag
// per line (`--flag=value`, `--flag value`, quoted values), `#` comments, CRLF tolerated.
import { splitShellWords } from "./shell-words.js";
import type { TextFile } from "./files.js";

export interface ArgsFileWord {
  text: string;
  line: number;
}

export function looksLikeArgsFile(file: TextFile): boolean {
  const lines = file.text.split(/\r?\n/).filter((l) => !/^\s*(#.*)?$/.test(l));
  return lines.length > 0 && lines.every((l) => /^\s*--?[A-Za-z]/.test(l));
}

export function readArgsFile(file: TextFile): ArgsFileWord[] {
  const words: ArgsFileWord[] = [];
  file.text.split(/\r?\n/).forEach((text, i) => {
    if (/^\s*(#.*)?$/.test(text)) return;
    for (const word of splitShellWords(text, i + 1).words) words.push({ text: word.text, line: word.line });
  });
  return words;
}
