// The one guarded file reader: every input and every file an input references is read
// here, with a size limit and a check that the bytes are text. A /proc/<pid>/cmdline dump
// (NUL-separated argv) is the one form whose NUL bytes are content, recognised by its name
// or by its shape; any other NUL byte means a binary file.
import { constants as bufferConstants, isAscii } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { InputError } from "../errors.js";
import { globMatchesPath } from "../globs.js";

/** Inputs larger than this are refused (a kube-apiserver manifest is a few KiB), except an
 * RBAC export (see rbacExportLimit). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** The largest text one string can hold (Node.js: 2^29 - 24 characters, ~512 MiB). */
export const MAX_TEXT_BYTES: number = bufferConstants.MAX_STRING_LENGTH;

/** The default limit for one RBAC export file (--max-rbac-file-size): 1 GiB, or the largest
 * text Node.js can hold when that is less (512 MiB on 64-bit Node.js 20). */
export const DEFAULT_MAX_RBAC_BYTES = Math.min(1024 * 1024 * 1024, MAX_TEXT_BYTES);

/** The size limits of one run's inputs. */
export interface ReadLimits {
  /** The limit for a file whose head is an RBAC export (a List of RBAC objects). */
  maxRbacBytes: number;
  /** Path globs (`--exclude`): a file a directory walk finds that matches one is not read. */
  exclude?: readonly string[];
}

const DEFAULT_LIMITS: ReadLimits = { maxRbacBytes: DEFAULT_MAX_RBAC_BYTES };

/** How many bytes of a file's head decide whether it is an RBAC export. */
const HEAD_BYTES = 64 * 1024;

/** The kinds whose exports may exceed MAX_INPUT_BYTES: the RBAC objects and ServiceAccounts,
 * and (in a List) the Pods exported beside them. */
const EXPORT_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"]);

/**
 * Whether the head of a file is an RBAC export: a List (JSON or YAML, `items` before any
 * `kind`) whose first item is a Role, ClusterRole, binding, ServiceAccount or Pod, or a YAML
 * stream whose first object is one of the RBAC kinds. Only the head is read, so that a large
 * file of anything else (a manifest, ps text, a config) is refused before it is read whole.
 */
export function looksLikeRbacExport(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  // JSON keys anywhere (minified or not), YAML keys at a line's start.
  const first = (key: string): { index: number; value: string } | undefined => {
    const json = new RegExp(`"${key}"\\s*:\\s*"?([A-Za-z]*)`).exec(text);
    const yaml = new RegExp(`^[ \\t-]*${key}\\s*:\\s*"?([A-Za-z]*)`, "m").exec(text);
    const found = [json, yaml].filter((m): m is RegExpExecArray => m !== null).sort((a, b) => a.index - b.index)[0];
    return found ? { index: found.index, value: found[1]! } : undefined;
  };
  const kind = first("kind");
  if (!kind) return false;
  const items = first("items");
  if (items && items.index < kind.index) return EXPORT_KINDS.has(kind.value) || kind.value === "Pod";
  return EXPORT_KINDS.has(kind.value) && /^(---|apiVersion:|kind:)/.test(text.replace(/^(\s*(#.*)?\n)+/, "").trimStart());
}

/** The limit for a file of `size` bytes (or more) whose first bytes are `head`; the error
 * when it is over it, saying how to proceed. */
function limitFor(head: Buffer, limits: ReadLimits): number {
  return looksLikeRbacExport(head.subarray(0, HEAD_BYTES).toString("latin1")) ? limits.maxRbacBytes : MAX_INPUT_BYTES;
}

function overLimit(path: string, size: string, limit: number, input: boolean): InputError {
  const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (!input) return new InputError(`file is ${size} bytes; the limit is ${limit} (${mib(limit)})`, { file: path });
  if (limit === MAX_INPUT_BYTES) {
    return new InputError(
      `file is ${size} bytes; the limit is ${limit} (${mib(limit)}) for files that hold API-server flags or configuration. An RBAC export (\`kubectl get roles,clusterroles,rolebindings,clusterrolebindings,serviceaccounts -A -o json\`, a List) may be up to --max-rbac-file-size, but this file does not begin like one`,
      { file: path },
    );
  }
  const raise = limit < MAX_TEXT_BYTES ? `raise --max-rbac-file-size (at most ${MAX_TEXT_BYTES}) or ` : "";
  return new InputError(
    `file is ${size} bytes; the limit for an RBAC export is ${limit} (${mib(limit)}, --max-rbac-file-size): ${raise}split the export into several files (one kubectl get per kind, or per namespace) and give them all in one run`,
    { file: path },
  );
}

export interface TextFile {
  /** The path as the user gave it ("-" for standard input). */
  path: string;
  text: string;
  /** "cmdline": `text` is a NUL-separated argv (a /proc/<pid>/cmdline dump). */
  form?: "cmdline";
}

/** The names of YAML and JSON inputs (read as YAML: JSON is YAML). */
export const YAML_OR_JSON_NAME = /\.(ya?ml|json)$/i;

/** File extensions read when an input is a directory. */
const DIRECTORY_EXTENSIONS = [".yaml", ".yml", ".json", ".ps", ".txt", ".cmdline", ".log", ".service", ".env"];
/** File names read from a directory whatever their extension ("config": the environment file
 * /etc/kubernetes/config that kube-apiserver units of Fedora and CentOS packages load). */
const DIRECTORY_NAMES = new Set(["cmdline", "kube-apiserver", "apiserver", "config"]);

/** A file of a walked directory (or a path) that could not be read: an input error of its own. */
export interface UnreadableFile {
  path: string;
  error: InputError;
}

/**
 * Reads one input path: a file, a directory (walked, sorted) or "-" (standard input). A file
 * that cannot be read (a special file, a dangling link, binary content, over the size limit)
 * is returned as an UnreadableFile in its place, so the other files of a directory are still
 * read; only a path that cannot be opened at all throws.
 */
export function readInputPaths(path: string, stdin: (limits?: ReadLimits) => Buffer, limits: ReadLimits = DEFAULT_LIMITS): (TextFile | UnreadableFile)[] {
  if (path === "-") {
    const bytes = stdin(limits);
    return [decodeText("-", bytes, limitFor(bytes, limits))];
  }
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new InputError(describeFsError(error), { file: path });
  }
  if (!stats.isDirectory()) return [readInputFile(path, limits)];
  const entries = listDirectory(path, excludedBy(limits.exclude));
  if (entries.length === 0) {
    // Nothing to read is never a clean run (an empty or renamed directory in CI).
    const names = `${DIRECTORY_EXTENSIONS.map((ext) => `*${ext}`).join(", ")} or ${[...DIRECTORY_NAMES].join(", ")}`;
    throw new InputError(`no file under this directory has a name kubecis reads (${names})${limits.exclude?.length ? " that --exclude leaves in" : ""}`, { file: path });
  }
  return entries.map((entry) => {
    if ("error" in entry) return entry;
    try {
      return readInputFile(entry.path, limits);
    } catch (error) {
      if (error instanceof InputError) return { path: entry.path, error };
      throw error;
    }
  });
}

/** Whether a read file is text (not an UnreadableFile). */
export function isTextFile(file: TextFile | UnreadableFile): file is TextFile {
  return !("error" in file);
}

/**
 * How large a document these inputs can make: the bytes of the YAML and JSON files among them
 * (the only forms that merge into one large document, an RbacSnapshot), each counted up to
 * MAX_TEXT_BYTES, from their sizes alone. 0 for "-" and for a path that cannot be read
 * (reading it reports the problem); walked files `exclude` leaves out do not count. A hint for
 * sizing work before the inputs are read.
 */
export function inputBytes(paths: readonly string[], exclude?: readonly string[]): number {
  let total = 0;
  for (const path of paths) {
    if (path === "-") continue;
    try {
      const files = statSync(path).isDirectory() ? listDirectory(path, excludedBy(exclude)).filter((f) => !("error" in f)).map((f) => f.path) : [path];
      for (const file of files) {
        if (!YAML_OR_JSON_NAME.test(file)) continue;
        const stats = statSync(file);
        if (stats.isFile()) total += Math.min(stats.size, MAX_TEXT_BYTES);
      }
    } catch {
      // readInputPaths names the path and the error
    }
  }
  return total;
}

/** Whether a walked file is left out by `--exclude`'s globs. */
function excludedBy(exclude: readonly string[] | undefined): (path: string) => boolean {
  return (path) => exclude?.some((glob) => globMatchesPath(glob, path)) === true;
}

/** The files a directory walk reads, sorted, without those `excluded` names; a subdirectory
 * that cannot be listed is an UnreadableFile. Symbolic links are never followed into
 * directories (no loops). */
function listDirectory(dir: string, excluded: (path: string) => boolean = () => false): ({ path: string } | UnreadableFile)[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    return [{ path: dir, error: new InputError(describeFsError(error), { file: dir }) }];
  }
  const found: ({ path: string } | UnreadableFile)[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listDirectory(full, excluded));
    else if (entry.isSymbolicLink() && !excluded(full) && isDirectoryAt(full)) {
      // Not followed (it could loop or lead out of the tree), and never skipped unsaid.
      found.push({ path: full, error: new InputError("a symbolic link to a directory, not followed: give its target as an input, or --exclude it", { file: full }) });
    } else if ((DIRECTORY_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) || DIRECTORY_NAMES.has(entry.name)) && !excluded(full)) found.push({ path: full });
  }
  return found;
}

function isDirectoryAt(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link: not a directory
  }
}

/** Reads an input file: at most MAX_INPUT_BYTES, or limits.maxRbacBytes when its head is an RBAC export. */
function readInputFile(path: string, limits: ReadLimits): TextFile {
  const bytes = readRegularFile(path, limits);
  return decodeText(path, bytes, limitFor(bytes, limits));
}

/**
 * Reads a file, however its path is spelled (symlinks, /proc/self/fd/N, /proc/<pid>/root/…),
 * as what it resolves to: it is opened without blocking (a FIFO never waits for a writer),
 * the opened descriptor must be a regular file, and at most `limit` bytes are read, whatever
 * size it claims (/proc files claim 0).
 */
export function readTextFile(path: string, limit = MAX_INPUT_BYTES): TextFile {
  return decodeText(path, readRegularFile(path, limit), limit);
}

/** The bytes of a regular file, at most `limit` of them (see readTextFile); InputError otherwise.
 * With ReadLimits, the limit is MAX_INPUT_BYTES unless the file's head is an RBAC export. */
export function readRegularFile(path: string, limit: number | ReadLimits = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new InputError(describeFsError(error), { file: path });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputError(`not a regular file (${fileKind(stats)})`, { file: path });
    let max = typeof limit === "number" ? limit : MAX_INPUT_BYTES;
    if (stats.size > max && typeof limit !== "number") {
      const head = Buffer.alloc(HEAD_BYTES);
      max = limitFor(head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0)), limit);
    }
    if (stats.size > max) throw overLimit(path, String(stats.size), max, typeof limit !== "number");
    return readBounded(fd, path, max, Math.max(stats.size, 64 * 1024), typeof limit === "number" ? undefined : limit);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeFsError(error), { file: path });
  } finally {
    closeSync(fd);
  }
}

/** Reads `fd` to its end, refusing more than `limit` bytes; with `limits`, a stream (a pipe,
 * a file that claims a smaller size) that passes `limit` gets the limit its head calls for. */
function readBounded(fd: number, path: string, limit: number, sizeHint: number, limits?: ReadLimits): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(sizeHint, limit) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limit && limits) limit = Math.max(limit, limitFor(buffer, limits));
      if (length > limit) throw overLimit(path, `over ${limit}`, limit, limits !== undefined);
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    let n: number;
    try {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a pipe with nothing yet
      continue;
    }
    if (n === 0) break;
    length += n;
  }
  if (length > limit) throw overLimit(path, `over ${limit}`, limit, limits !== undefined);
  return buffer.subarray(0, length);
}

/** Standard input ("-"), read to its end with the same size limits as a file. */
export function readStdin(limits: ReadLimits = DEFAULT_LIMITS): Buffer {
  try {
    return readBounded(0, "-", MAX_INPUT_BYTES, 64 * 1024, limits);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeFsError(error), { file: "-" });
  }
}

function fileKind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "a special file";
}

/** Decodes an input's bytes: UTF-8 text, or a NUL-separated cmdline dump. */
export function decodeText(path: string, bytes: Buffer, limit = MAX_INPUT_BYTES): TextFile {
  if (bytes.length > limit) throw overLimit(path, String(bytes.length), limit, true);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    if (looksLikeCmdline(path, bytes)) return { path, text: bytes.toString("utf8"), form: "cmdline" };
    // Windows PowerShell 5.1's `>` writes UTF-16LE with a byte order mark (FF FE).
    const utf32 = bytes.length > 3 && bytes[2] === 0 && bytes[3] === 0 && bytes[0] === 0xff && bytes[1] === 0xfe;
    const utf16 = !utf32 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes.length > 3 && (bytes[1] === 0) !== (bytes[0] === 0) && (bytes[3] === 0) === (bytes[1] === 0)));
    if (utf16) throw new InputError("UTF-16 text; kubecis reads UTF-8: convert it (PowerShell: `... | Out-File -Encoding utf8 FILE`; iconv -f UTF-16 -t UTF-8)", { file: path });
    throw new InputError(`binary content (NUL byte at offset ${nul}); expected a text file or a /proc/<pid>/cmdline dump`, { file: path });
  }
  // ASCII (nearly every input) is copied as it is, ~3x faster than decoding UTF-8: 0.1 s of
  // the 160 MB export of a 100k-binding cluster.
  let text = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (basename(path) === "cmdline" || path.endsWith(".cmdline")) {
    // A cmdline dump that lost its NULs (one argument, or printed with `tr '\0' ' '`).
    return { path, text, form: "cmdline" };
  }
  return { path, text };
}

/** A cmdline dump: named cmdline / *.cmdline, or NUL-terminated printable words whose first
 * word is a path or command name. Control bytes other than NUL, or invalid UTF-8, mean binary. */
function looksLikeCmdline(path: string, bytes: Buffer): boolean {
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD")) return false;
  if (/[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return false;
  if (basename(path) === "cmdline" || path.endsWith(".cmdline")) return true;
  const words = text.replace(/\0+$/, "").split("\0");
  return bytes[bytes.length - 1] === 0 && words.length >= 2 && /^[\w./-]+$/.test(words[0] ?? "") && !words.some((w) => w === "");
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENXIO":
      return "not a regular file (a socket or a device without a driver)";
    default:
      return `cannot read: ${(error as Error).message}`;
  }
}
