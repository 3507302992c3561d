import type { EngineEvent } from '../engine/events.js';
import { createPlainRenderer } from '../ui/plain-renderer.js';
import type { CliIo } from './io.js';

export interface Renderer {
  handle(e: EngineEvent): void;
  done(): Promise<void>;
}

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
    });
  }
  const handle = createPlainRenderer((s) => io.stdout.write(s), { color: opts.color, verbose: opts.verbose, writeWarning: (s) => io.stderr.write(s) });
  return { handle, done: async () => {} };
}
