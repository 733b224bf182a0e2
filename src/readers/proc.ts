// Reader for a live node's /proc (under the host root): each process's argv
// (/proc/<pid>/cmdline, NUL-separated) and executable (/proc/<pid>/exe), and the version a
// Kubernetes or k3s/RKE2 binary was built with, found by scanning the binary for the
// version its build stamped into it (never by running it).
import { closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";

export interface ProcessEntry {
  pid: number;
  /** /proc/<pid>/exe's target, or argv[0] when the link cannot be read. */
  executable: string;
  argv: string[];
}

/** Every process whose argv can be read; processes that exit meanwhile are skipped. */
export function listProcesses(hostRoot: string): ProcessEntry[] {
  const proc = join(hostRoot, "proc");
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch (error) {
    throw new InputError(`cannot list processes: ${(error as Error).message}`, { file: proc });
  }
  const found: ProcessEntry[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      // The kernel bounds cmdline (ARG_MAX); it is read whole.
      argv = readFileSync(join(proc, entry, "cmdline"), "utf8").replace(/\0$/, "").split("\0");
    } catch {
      continue;
    }
    let executable = argv[0] ?? "";
    try {
      executable = readlinkSync(join(proc, entry, "exe")).replace(/ \(deleted\)$/, "");
    } catch {
      // Without the privilege to read exe, argv[0] names the executable.
    }
    found.push({ pid: Number(entry), executable, argv });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** Version stamps: k3s/RKE2's own release, then Kubernetes' gitVersion (-ldflags -X …). */
const VERSION_STAMPS = [
  /\b(v1\.\d+\.\d+\+(?:k3s|rke2r)\d+)\b/,
  /version\.gitVersion=(v1\.\d+\.\d+(?:-[0-9A-Za-z.]+)?(?:\+[0-9A-Za-z.]+)?)/,
];
const CHUNK = 4 * 1024 * 1024;
const MAX_BINARY_BYTES = 1024 * 1024 * 1024;

/** The release a binary was built as ("v1.33.1+k3s1", "v1.33.0"), read from its bytes. */
export function readBinaryVersion(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(CHUNK + 256);
    let carry = "";
    const found: (string | undefined)[] = [];
    for (let offset = 0; offset < MAX_BINARY_BYTES; offset += CHUNK) {
      const n = readSync(fd, buffer, 0, CHUNK, offset);
      if (n <= 0) break;
      const text = carry + buffer.toString("latin1", 0, n);
      VERSION_STAMPS.forEach((pattern, i) => {
        if (found[i] === undefined) found[i] = pattern.exec(text)?.[1];
      });
      if (found[0] !== undefined) return found[0];
      carry = text.slice(-256);
    }
    return found[1];
  } finally {
    closeSync(fd);
  }
}
