// Files on a node, read under its host root (kubecis scan, live runs): every path is resolved
// inside the root as the node would resolve it (`..`, absolute and relative symlinks), so no
// read leaves the root, and is then read by the one guarded file reader (files.ts).
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import { MAX_INPUT_BYTES, describeFsError, readTextFile, type TextFile } from "./files.js";

/** Outcome of reading a file that a flag references, on the node (under the host root). */
export type HostFileResult =
  | { status: "read"; file: TextFile; resolved: string }
  | { status: "missing" | "unreadable"; error: string; resolved?: string };

/**
 * Reads `path` (as the node sees it) under `hostRoot`. The path is resolved inside the root:
 * `..` and symlinks (absolute or relative) are followed as the node would (`/..` is `/`), so
 * the result never leaves the root; then it is read as readTextFile reads (regular files
 * only, at most `limit` bytes).
 */
export function readHostFile(hostRoot: string, path: string, limit = MAX_INPUT_BYTES): HostFileResult {
  const root = realpathOrSelf(resolve(hostRoot));
  let resolved: string;
  try {
    resolved = resolveUnderRoot(root, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing", error: "no such file or directory" };
    return { status: "unreadable", error: (error as Error).message };
  }
  try {
    return { status: "read", file: { ...readTextFile(resolved, limit), path }, resolved };
  } catch (error) {
    const message = error instanceof InputError ? error.message : describeFsError(error);
    return { status: message === "no such file or directory" ? "missing" : "unreadable", error: message, resolved };
  }
}

/** lstat-free metadata of a file on the node (after resolving it under the host root). */
export function statHostFile(hostRoot: string, path: string): { mode: number; uid: number; gid: number } | undefined {
  try {
    const resolved = resolveUnderRoot(realpathOrSelf(resolve(hostRoot)), path);
    const stats = statSync(resolved);
    return stats.isFile() ? { mode: stats.mode, uid: stats.uid, gid: stats.gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Names in a directory on the node (resolved under the host root); empty when it is absent.
 * `notDirectories`: without the entries that are directories (as Go's os.ReadDir reports them:
 * a symlink is not one). */
export function listHostDirectory(hostRoot: string, path: string, notDirectories = false): string[] {
  try {
    const entries = readdirSync(resolveUnderRoot(realpathOrSelf(resolve(hostRoot)), path), { withFileTypes: true });
    return entries
      .filter((e) => !notDirectories || !e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

const MAX_SYMLINKS = 40;

/** Walks `path` component by component inside `root`, following symlinks relative to the root. */
export function resolveUnderRoot(root: string, path: string): string {
  const pending = (isAbsolute(path) ? path : `/${path}`).split("/").filter((p) => p !== "" && p !== ".");
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === "..") {
      done.pop(); // "/.." is "/", as on the node
      continue;
    }
    const candidate = join(root, ...done, part);
    const stats = lstatSync(candidate);
    if (stats.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) throw new Error("too many levels of symbolic links");
      const target = readlinkSync(candidate);
      const targetParts = target.split("/").filter((p) => p !== "" && p !== ".");
      if (isAbsolute(target)) done.length = 0;
      pending.unshift(...targetParts);
      continue;
    }
    done.push(part);
  }
  const full = join(root, ...done);
  const rel = relative(root, full);
  if (rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("..")) throw escapeError(path);
  return full;
}

function escapeError(path: string): Error {
  return new Error(`path ${path} leaves the host root; refused`);
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
