import type { EngineEvent } from '../engine/events.js';
import { createPlainRenderer } from '../ui/plain-renderer.js';
import { progressLine } from '../ui/progress-line.js';
import { startProgressTicker } from '../ui/progress-ticker.js';
import { createRunStore } from '../ui/run-store.js';
import type { CliIo } from './io.js';

export interface Renderer {
  handle(e: EngineEvent): void;
  done(): Promise<void>;
}

/** Plain mode says where the run is after this long without a line (long probe phases print nothing). */
export const PROGRESS_QUIET_MS = 10_000;

/**
 * The live ink UI on a terminal; plain lines otherwise (pipes, CI, --no-tui).
 * ink and react are loaded only when the live UI is used (~0.4 s of start-up).
 */
export async function pickRenderer(io: CliIo, opts: { tui: boolean; verbose: boolean; color: boolean; onQuit: () => void }): Promise<Renderer> {
  if (opts.tui && io.stdout.isTTY && io.stdin?.isTTY) {
    const { startInkRenderer } = await import('../ui/live-renderer.js');
    return startInkRenderer({
      stdout: io.stdout as NodeJS.WriteStream,
      stdin: io.stdin as NodeJS.ReadStream,
      onQuit: opts.onQuit,
      color: opts.color,
    });
  }
  const store = createRunStore();
  const ticker = startProgressTicker({
    quietMs: PROGRESS_QUIET_MS,
    line: () => progressLine(store.getState(), Date.now()),
    write: (s) => io.stdout.write(s),
  });
  // Any line, on either stream, counts as output: progress fills silences only.
  const handle = createPlainRenderer(
    (s) => {
      ticker.noteOutput();
      io.stdout.write(s);
    },
    {
      color: opts.color,
      verbose: opts.verbose,
      store,
      writeWarning: (s) => {
        ticker.noteOutput();
        io.stderr.write(s);
      },
    },
  );
  return { handle, done: async () => ticker.stop() };
}
