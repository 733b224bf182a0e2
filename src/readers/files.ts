// The one guarded file reader: every input and every file an input references is read
// here, with a size limit and a check that the bytes are text.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";

/** Inputs larger than this are refused (a kube-apiserver manifest is a few KiB). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface TextFile {
  /** The path as the user gave it ("-" for standard input). */
  path: string;
  text: string;
}

/** File extensions read when an input is a directory. */
const DIRECTORY_EXTENSIONS = [".yaml", ".yml", ".json", ".ps", ".txt"];

/** Reads one input path: a file, a directory (walked, sorted) or "-" (standard input). */
export function readInputPaths(path: string, stdin: () => Buffer): TextFile[] {
  if (path === "-") return [decodeText("-", stdin())];
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new InputError(describeFsError(error), { file: path });
  }
  if (stats.isDirectory()) {
    return listDirectory(path).map((file) => readTextFile(file));
  }
  return [readTextFile(path)];
}

function listDirectory(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listDirectory(full));
    else if (DIRECTORY_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) found.push(full);
  }
  return found;
}

export function readTextFile(path: string): TextFile {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_INPUT_BYTES) {
      throw new InputError(`file is ${size} bytes; the limit is ${MAX_INPUT_BYTES}`, { file: path });
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeFsError(error), { file: path });
  }
  return decodeText(path, bytes);
}

function decodeText(path: string, bytes: Buffer): TextFile {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new InputError(`input is ${bytes.length} bytes; the limit is ${MAX_INPUT_BYTES}`, { file: path });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new InputError(`binary content (NUL byte at offset ${nul}); expected a text file`, { file: path });
  }
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { path, text };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return `cannot read: ${(error as Error).message}`;
  }
}
