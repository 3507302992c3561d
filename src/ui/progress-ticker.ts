/**
 * Prints a progress line when the output has been quiet for `quietMs`
 * (plain mode, long phases). It only asks: the line itself comes from a pure
 * function of the store (progress-line.ts). The clock and timers are
 * injectable so tests step time instead of waiting.
 */
export interface ProgressTickerOptions {
  /** Quiet time before a progress line: 10 s in the CLI. */
  quietMs: number;
  /** The line to print, or null when there is nothing to report (no run going on). */
  line: () => string | null;
  write: (s: string) => void;
  now?: () => number;
  /** How often to look; default a second (or quietMs when shorter). */
  checkEveryMs?: number;
}

export interface ProgressTicker {
  /** Anything was printed: the quiet time starts again. */
  noteOutput(): void;
  stop(): void;
}

export function startProgressTicker(opts: ProgressTickerOptions): ProgressTicker {
  const now = opts.now ?? Date.now;
  let lastOutput = now();
  const timer = setInterval(() => {
    if (now() - lastOutput < opts.quietMs) return;
    const line = opts.line();
    if (line === null) return;
    opts.write(`${line}\n`);
    lastOutput = now();
  }, opts.checkEveryMs ?? Math.min(1000, opts.quietMs));
  // Progress must never keep the process alive after the run.
  timer.unref();
  return {
    noteOutput: () => {
      lastOutput = now();
    },
    stop: () => clearInterval(timer),
  };
}
