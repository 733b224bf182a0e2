// Reader for systemd units and the environment files they load (EnvironmentFile=), the way
// packaged kube-apiserver services are written:
//   ExecStart=/usr/bin/kube-apiserver $KUBE_LOGTOSTDERR $KUBE_API_ARGS
//   EnvironmentFile=-/etc/kubernetes/apiserver      (KUBE_API_ARGS="--flag=value …")
// Backslash continuations, quoting and CRLF line ends are handled as systemd does.
import { redactNamedValue } from "../redact.js";
import { splitShellWords, type Word } from "./shell-words.js";
import type { TextFile } from "./files.js";

export interface Assignment {
  value: string;
  line: number;
  file: string;
}

export interface SystemdUnit {
  /** The last ExecStart= of [Service] (an empty ExecStart= resets the list), split into words,
   * with the file (the unit or a drop-in) and line that set it. */
  execStart?: { words: Word[]; line: number; file: string };
  /** Environment= assignments, in order. */
  environment: Map<string, Assignment>;
  /** EnvironmentFile= paths; a leading "-" makes a missing file acceptable. */
  environmentFiles: { path: string; optional: boolean; line: number; file: string }[];
  /** PassEnvironment= names: taken from the service manager's own environment (unknown here)
   * unless Environment= or an environment file sets them (systemd.exec(5)). */
  passEnvironment: Set<string>;
  /** UnsetEnvironment= entries (NAME, or NAME=VALUE for that assignment only), applied last. */
  unsetEnvironment: string[];
  error?: string;
}

/** Logical lines: backslash-newline joined, each with the line it starts on. CR stripped. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const continued = /\\$/.test(raw);
    const body = continued ? raw.slice(0, -1) : raw;
    if (pending) pending.text += "\n" + body;
    else pending = { text: body, line: i + 1 };
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) out.push(pending);
  return out;
}

export function looksLikeSystemdUnit(file: TextFile): boolean {
  return /^\s*\[Service\]\s*$/m.test(file.text) && /^\s*ExecStart\s*=/m.test(file.text);
}

/** A drop-in of a service, <unit>.service.d/<name>.conf (systemd.unit(5) "Drop-in files"). */
export function looksLikeSystemdDropIn(file: TextFile): boolean {
  return /\.service\.d\/[^/]+\.conf$/.test(file.path.replace(/\\/g, "/")) && /^\s*\[[A-Za-z]+\]\s*$/m.test(file.text);
}

/** The unit file a drop-in belongs to: the name of its `.d` directory without the `.d`. */
export function unitOfDropIn(path: string): string {
  return path.replace(/\\/g, "/").split("/").at(-2)!.replace(/\.d$/, "");
}

/** A unit read as systemd reads it: the unit file, then its drop-ins in the order given (the
 * caller sorts them by name, as systemd does), each setting applied over the ones before. */
export function readSystemdUnit(file: TextFile, dropIns: readonly TextFile[] = []): SystemdUnit {
  const unit: SystemdUnit = { environment: new Map(), environmentFiles: [], passEnvironment: new Set(), unsetEnvironment: [] };
  for (const part of [file, ...dropIns]) applyUnitFile(unit, part);
  return unit;
}

function applyUnitFile(unit: SystemdUnit, file: TextFile): void {
  let section = "";
  for (const { text, line } of logicalLines(file.text)) {
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== "Service") continue;
    const eq = trimmed.indexOf("=");
    if (eq === -1) continue;
    const key = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    if (key === "ExecStart") {
      if (value === "") {
        delete unit.execStart;
        continue;
      }
      // Prefixes -, +, !, !!, : change how systemd runs the command, not its argv. With @ the
      // second word is the argv[0] the program sees, in place of the executable's path
      // (systemd.service(5), "Command lines"): it is dropped, and the path, which names the
      // program, stays first.
      const prefix = /^[-@+!:]*/.exec(value)![0];
      const split = splitShellWords(value.slice(prefix.length).replace(/\n/g, " \\\n"), line);
      const words = prefix.includes("@") ? [...split.words.slice(0, 1), ...split.words.slice(2)] : split.words;
      const error = split.error;
      unit.execStart = { words, line, file: file.path };
      if (error) unit.error = error;
    } else if (key === "Environment") {
      // An empty assignment resets the list (systemd.exec(5)).
      if (value === "") unit.environment.clear();
      for (const word of splitShellWords(value, line).words) {
        const at = word.text.indexOf("=");
        const name = word.text.slice(0, at);
        if (at > 0) unit.environment.set(name, { value: redactNamedValue(name, word.text.slice(at + 1)), line, file: file.path });
      }
    } else if (key === "PassEnvironment" || key === "UnsetEnvironment") {
      // An empty assignment resets the list (systemd.exec(5)).
      const words = splitShellWords(value, line).words.map((w) => w.text);
      if (key === "PassEnvironment") {
        if (words.length === 0) unit.passEnvironment.clear();
        for (const name of words) unit.passEnvironment.add(name);
      } else if (words.length === 0) unit.unsetEnvironment.length = 0;
      else unit.unsetEnvironment.push(...words);
    } else if (key === "EnvironmentFile") {
      if (value === "") {
        unit.environmentFiles.length = 0;
        continue;
      }
      const optional = value.startsWith("-");
      unit.environmentFiles.push({ path: optional ? value.slice(1) : value, optional, line, file: file.path });
    }
  }
}

/** The environment a unit's ExecStart= is expanded with (Environment=, then EnvironmentFile=). */
export interface UnitEnvironment {
  /** The value each variable ends with, from what was given to kubecis. */
  values: Map<string, Assignment>;
  /** The EnvironmentFile= lines not given to kubecis that come after the variable was last
   * set (all of them for a variable set nowhere): any of them may set it. */
  notGivenAfter: (name: string) => string[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** An environment file: only KEY=VALUE lines, comments and blank lines. */
export function looksLikeEnvironmentFile(file: TextFile): boolean {
  const lines = logicalLines(file.text).filter(({ text }) => !/^\s*([#;].*)?$/.test(text));
  return lines.length > 0 && lines.every(({ text }) => ASSIGNMENT.test(text.split("\n")[0]!));
}

export function readEnvironmentFile(file: TextFile): Map<string, Assignment> {
  const found = new Map<string, Assignment>();
  for (const { text, line } of logicalLines(file.text)) {
    const m = ASSIGNMENT.exec(text.replace(/\n/g, " "));
    if (!m) continue;
    const raw = m[2]!.trim();
    // systemd: a value in matching quotes loses them; otherwise it is taken as written.
    const value = /^"[\s\S]*"$|^'[\s\S]*'$/.test(raw) ? splitShellWords(raw).words.map((w) => w.text).join(" ") : raw;
    found.set(m[1]!, { value: redactNamedValue(m[1]!, value), line, file: file.path });
  }
  return found;
}
