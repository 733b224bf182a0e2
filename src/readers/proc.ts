// Reader for a live node's /proc (under the host root): each process's argv
// (/proc/<pid>/cmdline, NUL-separated) and executable (/proc/<pid>/exe), and the version a
// Kubernetes or k3s/RKE2 binary was built with, found by scanning the binary for the
// version its build stamped into it (never by running it).
//
// <root>/proc is resolved inside the root like any other path, and every file is read by
// the guarded reader (regular files only, size-capped, never blocking). The kernel's
// /proc/<pid>/exe links are followed only on a real procfs; elsewhere (a copied or crafted
// tree) an exe link is evidence only where it resolves inside the root.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, readlinkSync, realpathSync, statfsSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { describeFsError, readRegularFile } from "./files.js";
import { readHostFile, resolveUnderRoot } from "./host-files.js";

export interface ProcessEntry {
  pid: number;
  /** /proc/<pid>/exe's target, or argv[0] when the link cannot be read. */
  executable: string;
  argv: string[];
  /** The binary to read the version from: the exe link on a real procfs, else its target inside the root. */
  binary?: string;
  /** Why /proc/<pid>/cmdline could not be read (not a regular file, over the size limit). */
  error?: string;
}

/** The kernel refuses an execve whose argv and environment exceed 3/4 of _STK_LIM (6 MiB),
 * so a real /proc/<pid>/cmdline is never larger. */
export const MAX_CMDLINE_BYTES = 6 * 1024 * 1024;

/** procfs's f_type (statfs(2)). */
const PROC_SUPER_MAGIC = 0x9fa0;

/** Every process whose argv can be read; processes that exit meanwhile are skipped. */
export function listProcesses(hostRoot: string): ProcessEntry[] {
  let root: string;
  let proc: string;
  let entries: string[];
  try {
    root = realpathSync(resolve(hostRoot));
    proc = resolveUnderRoot(root, "/proc");
    entries = readdirSync(proc);
  } catch (error) {
    const message = error instanceof Error && !("code" in error) ? error.message : describeFsError(error);
    throw new InputError(`cannot list processes: ${message}`, { file: join(hostRoot, "proc") });
  }
  const kernelLinks = isProcfs(proc);
  const found: ProcessEntry[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const read = readHostFile(root, `/proc/${entry}/cmdline`, MAX_CMDLINE_BYTES);
    if (read.status === "missing") continue; // the process exited
    const argv = read.status === "read" ? read.file.text.replace(/\0$/, "").split("\0") : [];
    const process: ProcessEntry = { pid: Number(entry), executable: argv[0] ?? "", argv };
    if (read.status === "unreadable") process.error = read.error;
    const exe = join(proc, entry, "exe");
    try {
      const target = readlinkSync(exe).replace(/ \(deleted\)$/, "");
      if (kernelLinks) {
        process.executable = target;
        process.binary = exe;
      } else {
        process.binary = resolveUnderRoot(root, target);
        process.executable = target;
      }
    } catch {
      // Without the privilege to read exe, or with a link leading nowhere inside the root,
      // argv[0] names the executable.
    }
    found.push(process);
  }
  return found.sort((a, b) => a.pid - b.pid);
}

function isProcfs(path: string): boolean {
  try {
    return statfsSync(path).type === PROC_SUPER_MAGIC;
  } catch {
    return false;
  }
}

/** One variable of a process's environment, /proc/<pid>/environ (NUL-separated NAME=value):
 * only `name` is looked at, and only its value leaves this function. The environment also
 * holds the server's secrets (K3S_TOKEN): the text is never kept, logged or quoted, and an
 * error says only why the file could not be read. A missing file is unreadable too (a real
 * procfs always has it). */
export function readProcessVariable(
  hostRoot: string,
  pid: number,
  name: string,
): { status: "set"; value: string } | { status: "unset" } | { status: "unreadable"; error: string } {
  let bytes: Buffer;
  try {
    // NUL bytes are this file's separators: read as bytes (the guarded reader), not as text.
    bytes = readRegularFile(resolveUnderRoot(realpathSync(resolve(hostRoot)), `/proc/${pid}/environ`), MAX_CMDLINE_BYTES);
  } catch (error) {
    return { status: "unreadable", error: error instanceof InputError ? error.message : describeFsError(error) };
  }
  const prefix = `${name}=`;
  const entry = bytes.toString("utf8").split("\0").find((e) => e.startsWith(prefix));
  return entry === undefined ? { status: "unset" } : { status: "set", value: entry.slice(prefix.length) };
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
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
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
