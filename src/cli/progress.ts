// A progress line on stderr for long `kubecis test` runs on a terminal: nothing when stderr is
// not a TTY (CI logs, pipes, files), nothing for a run that ends within its first second, at
// most four updates a second, and the line erased before the report's own stderr lines.
export interface Progress {
  /** `done` of `total` targets judged. */
  judged(done: number, total: number): void;
  /** Erases the line (if one was drawn). */
  end(): void;
}

const QUIET: Progress = { judged: () => {}, end: () => {} };

export function startProgress(write: ((text: string) => void) | undefined, now: () => number = Date.now): Progress {
  if (!write) return QUIET;
  const started = now();
  let last = 0;
  let drawn = false;
  return {
    judged(done, total) {
      const t = now();
      if (t - started < 1000 || (t - last < 250 && done < total)) return;
      last = t;
      drawn = true;
      write(`\r\x1b[Kkubecis: judged ${done}/${total} targets (${Math.floor((100 * done) / Math.max(total, 1))}%)`);
    },
    end() {
      if (drawn) write("\r\x1b[K");
      drawn = false;
    },
  };
}
