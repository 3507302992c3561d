import chalk from 'chalk';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { startInkRenderer } from '../../../src/ui/live-renderer.js';
import { RunView } from '../../../src/ui/run-view.js';
import { ColorProvider } from '../../../src/ui/text.js';
import { initialRunState, reduceRun } from '../../../src/ui/run-store.js';
import { buildFleetRun, T0 } from '../../fixtures/report/fleet.js';

// SGR (colour, bold, dim) sequences; cursor movement is not colour.
const SGR = /\u001b\[[0-9;]*m/;

/**
 * chalk (ink's colouring) decides its level from the test runner's stdout;
 * pin it to full colour so "no escape codes" is proven by our switch, not by
 * a runner that happens to have no TTY.
 */
let level: typeof chalk.level;
beforeAll(() => {
  level = chalk.level;
  chalk.level = 3;
});
afterAll(() => {
  chalk.level = level;
});

describe('the ink UI without colour (NO_COLOR, FORCE_COLOR=0)', () => {
  const run = buildFleetRun({ unreachable: ['h6'] });
  const final = run.events.reduce(reduceRun, initialRunState);

  it('styles the frame by default (red failures, the headline)', () => {
    const frame = render(<RunView state={final} now={T0 + 99_000} rows={40} />).lastFrame() ?? '';
    expect(frame).toMatch(SGR);
  });

  it('writes not one colour or style code when colour is off, with the same text', () => {
    const coloured = render(<RunView state={final} now={T0 + 99_000} rows={40} />).lastFrame() ?? '';
    const bare = render(
      <ColorProvider color={false}>
        <RunView state={final} now={T0 + 99_000} rows={40} />
      </ColorProvider>,
    ).lastFrame() ?? '';
    expect(bare).not.toMatch(SGR);
    expect(bare).toContain('INCOMPLETE: 1 of 6 hosts not checked');
    // Styled segments keep their padding where bare lines are trimmed: compare without trailing blanks.
    const lines = (s: string) => s.split('\n').map((l) => l.trimEnd());
    expect(lines(bare)).toEqual(lines(coloured.replace(/\u001b\[[0-9;]*m/g, '')));
  });

  it('startInkRenderer({color: false}) on a terminal writes no SGR codes in any frame', async () => {
    const chunks: string[] = [];
    const stdout = Object.assign(new EventEmitter(), { columns: 120, rows: 40, isTTY: true, write: (s: string) => (chunks.push(s), true) });
    const stdin = Object.assign(new EventEmitter(), { isTTY: false, setEncoding() {}, setRawMode() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
    const ui = startInkRenderer({
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      onQuit: () => {},
      throttleMs: 10,
      patchConsole: false,
      color: false,
    });
    for (const e of run.events) ui.handle(e);
    await ui.done();
    const all = chunks.join('');
    expect(all).toContain('PLAY RECAP');
    expect(all).not.toMatch(SGR);
  });
});
