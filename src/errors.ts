// Typed errors. Every failure that leaves the core is one of these; src/exit-codes.ts maps
// them to exit codes, and the CLI prints them without a stack (except InternalError).

/** Where in an input a problem was found. */
export interface InputLocation {
  file: string;
  line?: number;
  column?: number;
}

export abstract class KubecisError extends Error {
  abstract readonly kind: "usage" | "input" | "policy" | "internal";
}

/** The command line was wrong: unknown option, missing argument, bad option value. */
export class UsageError extends KubecisError {
  readonly kind = "usage" as const;
}

/** An input could not be read, parsed or judged. Names the file and, where known, the line. */
export class InputError extends KubecisError {
  readonly kind = "input" as const;
  constructor(
    message: string,
    readonly location: InputLocation,
  ) {
    super(message);
  }

  /** "file:line: message", the form editors and CI logs link to. */
  describe(): string {
    const where = this.location.line ? `${this.location.file}:${this.location.line}` : this.location.file;
    return `${where}: ${this.message}`;
  }
}

/** An input holds nothing kubecis reads (no API server, no file an API server references). */
export class NoTargetError extends InputError {}

/** The policy bundle, its data or the catalogue is missing or invalid, or evaluation failed. */
export class PolicyError extends KubecisError {
  readonly kind = "policy" as const;
}

/** A bug in kubecis. */
export class InternalError extends KubecisError {
  readonly kind = "internal" as const;
}

/** Turns anything thrown (the WASM SDK throws strings and plain objects) into a message. */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === "string") return thrown;
  if (thrown && typeof thrown === "object" && "message" in thrown) return String((thrown as { message: unknown }).message);
  return String(thrown);
}
