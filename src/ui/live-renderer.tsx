import { render, type RenderOptions } from 'ink';
import type { EngineEvent } from '../engine/events.js';
import { createRunStore } from './run-store.js';
import { printableEvent } from './printable-event.js';
import { QuitKeys, RunView } from './run-view.js';
import { ColorProvider } from './text.js';

export interface InkRendererOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Called on q or Ctrl-C; the caller stops the engine, which cleans up and emits run-end. */
  onQuit: () => void;
  /** Minimum time between frames (ms); events in between only update the store. */
  throttleMs?: number;
  /** Passed to ink (tests count frames with it). */
  onRender?: RenderOptions['onRender'];
  /** ink routes console.* above the frame (default true); test runners that own console turn it off. */
  patchConsole?: boolean;
  /** Style the frame (default true); the CLI passes useColor (NO_COLOR, FORCE_COLOR), which chalk alone does not honour. */
  color?: boolean;
}

export interface InkRenderer {
  handle(e: EngineEvent): void;
  /** Draw the last frame, stop drawing and release the terminal. */
  done(): Promise<void>;
}

/**
 * The live terminal UI. Every event updates the store at once, but frames are
 * drawn on a fixed beat (default every 100 ms), so a burst of thousands of
 * probe events costs one frame, and the spinner and clock move while the
 * engine waits on the network.
 */
export function startInkRenderer(opts: InkRendererOptions): InkRenderer {
  const store = createRunStore();
  const stdout = opts.stdout ?? process.stdout;
  const throttleMs = opts.throttleMs ?? 100;
  let stopping = false;
  let finished = false;

  const quit = (): void => {
    stopping = true;
    opts.onQuit();
  };
  const view = () => (
    <ColorProvider color={opts.color ?? true}>
      <RunView state={store.getState()} now={Date.now()} rows={stdout.rows || 24} stopping={stopping} />
      {!finished && <QuitKeys onQuit={quit} />}
    </ColorProvider>
  );

  const instance = render(view(), {
    stdout,
    stdin: opts.stdin ?? process.stdin,
    exitOnCtrlC: false,
    onRender: opts.onRender,
    patchConsole: opts.patchConsole ?? true,
  });
  const draw = (): void => instance.rerender(view());
  const timer = setInterval(draw, throttleMs);
  // The beat must not keep the process alive after the engine is done.
  timer.unref();

  return {
    handle(raw) {
      const e = printableEvent(raw);
      store.dispatch(e);
      if (e.kind === 'run-end') {
        finished = true;
        draw();
      }
    },
    async done() {
      clearInterval(timer);
      finished = true;
      draw();
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
