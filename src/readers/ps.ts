// Reader for `ps -ef` output (or bare command lines): finds the lines whose command is
// kube-apiserver and returns their argv with line numbers. It identifies the process by
// its executable, never by a substring, so `grep kube-apiserver` lines are not taken.
import { basename } from "node:path";
import type { TextFile } from "./files.js";

export interface ProcessLine {
  line: number;
  argv: string[];
}

const API_SERVER_EXECUTABLES = new Set(["kube-apiserver"]);
/** `ps -ef` columns before CMD: UID PID PPID C STIME TTY TIME. */
const PS_EF_COLUMNS = 7;

export function readPsText(file: TextFile): ProcessLine[] {
  const found: ProcessLine[] = [];
  file.text.split(/\r?\n/).forEach((text, i) => {
    const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
    const argv = commandOf(words);
    if (argv) found.push({ line: i + 1, argv });
  });
  return found;
}

function commandOf(words: string[]): string[] | undefined {
  // A bare command line: the executable comes first.
  if (words[0] && isApiServer(words[0])) return words;
  // ps -ef: the command starts in the eighth column.
  const command = words.slice(PS_EF_COLUMNS);
  if (command[0] && isApiServer(command[0])) return command;
  return undefined;
}

export function isApiServer(executable: string): boolean {
  return API_SERVER_EXECUTABLES.has(basename(executable));
}
