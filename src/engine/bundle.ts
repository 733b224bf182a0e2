// Reads an OPA bundle (.tar.gz written by `opa build`). The WASM SDK reads no tarballs, so
// this is the small ustar/PAX reader it needs: regular files only, names without the
// leading "/" that opa writes.
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { PolicyError } from "../errors.js";

export interface Bundle {
  wasm: Uint8Array;
  data: Record<string, unknown>;
  manifest: { revision?: string; roots?: string[] };
}

export function readBundle(path: string): Bundle {
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(readFileSync(path));
  } catch (error) {
    const hint = (error as NodeJS.ErrnoException).code === "ENOENT" ? " (run `make build`)" : "";
    throw new PolicyError(`cannot read policy bundle ${path}: ${(error as Error).message}${hint}`);
  }
  const wasm = files.get("policy.wasm");
  if (!wasm) throw new PolicyError(`policy bundle ${path} has no policy.wasm; build it with \`opa build -t wasm\``);
  return {
    wasm,
    data: parseJson(files.get("data.json"), path, "data.json") ?? {},
    manifest: parseJson(files.get(".manifest"), path, ".manifest") ?? {},
  };
}

function parseJson<T>(bytes: Buffer | undefined, path: string, name: string): T | undefined {
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString("utf8")) as T;
  } catch (error) {
    throw new PolicyError(`policy bundle ${path}: ${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Regular files of a gzipped tar, by name without a leading "/". */
export function readTarGz(bytes: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(bytes);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = field(header, 345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
      continue;
    }
    paxPath = undefined;
    if (type === "0" || type === "\0") files.set(name.replace(/^\/+/, ""), Buffer.from(body));
  }
  return files;
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}
