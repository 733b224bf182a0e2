// Reader for process listings: `ps -ef`, `ps aux`, `ps -eo pid,args` output or bare command
// lines, and k3s/RKE2 journal lines ("Running kube-apiserver …"). It returns the command
// words of the lines whose command is an API server, identified by the executable in the
// command column, never by a substring, so `grep kube-apiserver` lines are not taken.
import { findApiServerCommand } from "./command.js";
import type { TextFile } from "./files.js";

export interface ProcessLine {
  line: number;
  /** The command column split on whitespace (ps output has no quoting to honour). */
  words: string[];
  /** Why the line looks cut short, when it does. */
  truncated?: string;
}

const PID = /^\d+$/;
const CPU_TIME = /^(?:\d+-)?\d+:\d\d(?::\d\d)?$/;
/** Where the command column starts, and what the columns before it must look like, so that
 * a word inside another command (`sudo grep kube-apiserver`) is never taken for one:
 * bare command; `ps -eo pid,args`; busybox `ps` (PID USER TIME); `ps -ef`; `ps aux`. */
const LAYOUTS: { start: number; valid: (words: string[]) => boolean }[] = [
  { start: 0, valid: () => true },
  { start: 1, valid: (w) => PID.test(w[0]!) },
  { start: 3, valid: (w) => PID.test(w[0]!) && CPU_TIME.test(w[2]!) },
  { start: 7, valid: (w) => PID.test(w[1]!) && PID.test(w[2]!) && CPU_TIME.test(w[6]!) },
  { start: 10, valid: (w) => PID.test(w[1]!) && CPU_TIME.test(w[9]!) },
];
/** Widths at which ps or a terminal cuts lines, and the kernel's old 4096-byte cmdline page. */
const CUT_WIDTHS = new Set([80, 132, 200, 256, 512, 1024, 4095, 4096]);

export function readPsText(file: TextFile): ProcessLine[] {
  const found: ProcessLine[] = [];
  let open: ProcessLine | undefined;
  file.text.split(/\r?\n/).forEach((text, i) => {
    const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
    const command = commandOf(words);
    if (command) {
      open = { line: i + 1, words: command, ...truncation(text) };
      found.push(open);
      return;
    }
    // A wrapped line (the terminal or `ps` folded a long command): flags right after a
    // process line continue its command.
    if (open && /^\s*--?[A-Za-z]/.test(text)) {
      open.words.push(...words);
      const cut = truncation(text);
      if (cut.truncated) open.truncated = cut.truncated;
      else delete open.truncated;
      return;
    }
    open = undefined;
  });
  return found;
}

function commandOf(words: string[]): string[] | undefined {
  for (const { start, valid } of LAYOUTS) {
    if (words.length <= start || !valid(words)) continue;
    const command = words.slice(start);
    const items = command.map((text) => ({ text, origin: { file: "" } }));
    if (command[0] && findApiServerCommand(items)) return command;
  }
  return undefined;
}

function truncation(text: string): { truncated?: string } {
  const trimmed = text.replace(/\s+$/, "");
  if (/(\.\.\.|…)$/.test(trimmed)) return { truncated: `the line ends in an ellipsis, the mark tools such as systemctl and htop leave where they cut a command` };
  if (CUT_WIDTHS.has(trimmed.length)) {
    return { truncated: `the line is exactly ${trimmed.length} characters long, a width at which ps or the terminal cuts lines; run \`ps -efww\` or read /proc/<pid>/cmdline` };
  }
  return {};
}

export interface JournalRun {
  line: number;
  words: string[];
  /** The program the journal names on the line (its syslog identifier: `rke2[812]:`). */
  program?: "k3s" | "rke2";
  /** Why the line looks cut short (journalctl ellipsizes long lines for a terminal). */
  truncated?: string;
}

/** k3s/RKE2 journal: the "Running kube-apiserver …" lines of the last run (from the last
 * "Starting k3s v…" / "Starting rke2 v…" line on, which also gives its release), and whether
 * an earlier run logged one. A journal without a start line is one run. */
export function readJournal(file: TextFile): { runs: JournalRun[]; version?: { text: string; line: number; program: "k3s" | "rke2" }; earlierRuns: number } {
  let runs: JournalRun[] = [];
  let earlierRuns = 0;
  let version: { text: string; line: number; program: "k3s" | "rke2" } | undefined;
  file.text.split(/\r?\n/).forEach((text, i) => {
    const start = /Starting (k3s|rke2) (v\d+\.\d+\.\d+\S*)/.exec(text);
    if (start) {
      version = { text: start[2]!, line: i + 1, program: start[1] as "k3s" | "rke2" };
      earlierRuns += runs.length;
      runs = [];
    }
    const m = /Running kube-apiserver (.*)$/.exec(text);
    if (!m) return;
    // logrus text format quotes the message: msg="Running kube-apiserver …"
    const args = m[1]!.replace(/"\s*$/, "").replace(/\\"/g, '"');
    const run: JournalRun = { line: i + 1, words: ["kube-apiserver", ...args.split(/\s+/).filter((w) => w.length > 0)] };
    const program = /\b(k3s|rke2)(?:-server)?\[\d+\]:/.exec(text.slice(0, m.index))?.[1];
    if (program) run.program = program as "k3s" | "rke2";
    if (/(\.\.\.|…)$/.test(args.trimEnd())) run.truncated = "the line ends in an ellipsis, the mark journalctl leaves where it cuts a long line (use journalctl --no-pager or -o cat)";
    runs.push(run);
  });
  return version ? { runs, version, earlierRuns } : { runs, earlierRuns };
}

export function looksLikeJournal(file: TextFile): boolean {
  return /Running kube-apiserver --/.test(file.text);
}

/** The header line `ps` prints first (procps `ps -ef`: UID PID PPID …, `ps aux`: USER PID %CPU …,
 * `ps -eo pid,args`: PID COMMAND, busybox: PID USER TIME …). */
const PS_HEADER = /^\s*(?:UID|USER|PID)\s+(?:PID|PPID|USER|TTY|TIME|%CPU|COMMAND|CMD|ARGS)\b/;

/** Whether the text is a process listing (its first line is ps's header), whatever it lists. */
export function looksLikeProcessList(file: TextFile): boolean {
  return PS_HEADER.test(file.text.slice(0, file.text.indexOf("\n") >>> 0));
}
