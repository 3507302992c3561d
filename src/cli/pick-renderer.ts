import type { EngineEvent } from '../engine/events.js';
import { createPlainRenderer } from '../ui/plain-renderer.js';
import { startInkRenderer } from '../ui/live-renderer.js';
import type { CliIo } from './io.js';

export interface Renderer {
  handle(e: EngineEvent): void;
  done(): Promise<void>;
}

/** The live ink UI on a terminal; plain lines otherwise (pipes, CI, --no-tui). */
export function pickRenderer(io: CliIo, opts: { tui: boolean; verbose: boolean; color: boolean; onQuit: () => void }): Renderer {
  if (opts.tui && io.stdout.isTTY && io.stdin?.isTTY) {
    return startInkRenderer({
      stdout: io.stdout as NodeJS.WriteStream,
      stdin: io.stdin as NodeJS.ReadStream,
      onQuit: opts.onQuit,
    });
  }
  const handle = createPlainRenderer((s) => io.stdout.write(s), { color: opts.color, verbose: opts.verbose, writeWarning: (s) => io.stderr.write(s) });
  return { handle, done: async () => {} };
}
