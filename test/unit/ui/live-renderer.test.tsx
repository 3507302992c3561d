import { describe, expect, it } from 'vitest';
import { startInkRenderer } from '../../../src/ui/live-renderer.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(onQuit = () => {}) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  let frames = 0;
  const ui = startInkRenderer({
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    onQuit,
    throttleMs: 40,
    onRender: () => frames++,
    patchConsole: false,
  });
  return { ui, stdout, stdin, frames: () => frames };
}

describe('startInkRenderer', () => {
  it('batches a burst of events into few frames and ends on the recap', async () => {
    const run = buildFleetRun();
    const { ui, stdout, frames } = start();
    for (const e of run.events.slice(0, -1)) ui.handle(e); // ~300 events in one tick
    await sleep(120);
    expect(frames()).toBeLessThan(10);
    ui.handle(run.events.at(-1)!);
    await ui.done();
    const out = stdout.text();
    expect(out).toContain('PLAY RECAP');
    expect(out).toContain('7 failed, 5 exposed, 0 not checked, 232 ok');
    expect(out).toMatch(/director\s+2 blocked/);
  });

  // The footer text is checked on RunView: under CI ink writes only the last frame.
  it('q and Ctrl-C call onQuit', async () => {
    let quits = 0;
    const { ui, stdin } = start(() => quits++);
    ui.handle(buildFleetRun().events[0]!);
    await sleep(60);
    stdin.press('q');
    stdin.press('\u0003');
    await sleep(100);
    stdin.press('x');
    await sleep(60);
    expect(quits).toBe(2);
    await ui.done();
  });

  it('handles 200 hosts and thousands of probes (speed is measured in bench/, not here)', async () => {
    const roles = ['director', 'coordinator', 'proxy', 'allocator'] as const;
    const hosts = Array.from({ length: 200 }, (_, i) => ({
      name: `ece-${String(i).padStart(3, '0')}`,
      address: `198.18.${i >> 8}.${i & 255}`,
      roles: [roles[i % 4]!],
      rolesSource: 'groups',
    }));
    const { ui, stdout } = start();
    ui.handle({ kind: 'run-start', at: 0, inventory: 'big.ini', hosts, counts: { probes: 5000, listeners: 1000, outbound: 0 }, exposuresFail: false });
    ui.handle({ kind: 'task-start', at: 1, name: 'Probe', module: 'probe', phase: 'probe', hosts: hosts.map((h) => h.name) });
    for (const h of hosts) ui.handle({ kind: 'host-state', host: h.name, state: 'probe', at: 1 });
    for (let i = 0; i < 5000; i++) {
      const from = hosts[i % 200]!.name;
      const to = hosts[(i * 7 + 1) % 200]!.name;
      const bad = i % 97 === 0;
      ui.handle({
        kind: 'check',
        check: {
          kind: 'probe',
          id: `${from}>${to}:${i}`,
          from,
          to,
          address: '198.18.0.1',
          port: 20000 + (i % 1000),
          expect: 'open',
          rules: ['x'],
          result: bad ? { outcome: 'filtered', ms: 2000 } : { outcome: 'open', ms: 1 },
          verdict: bad ? 'blocked' : 'ok',
        },
      });
    }
    await sleep(100);
    await ui.done();
    const lastFrame = stdout.text().split('ece-preflight').at(-1)!;
    expect(lastFrame).toContain('probes 5000/5000');
    expect(lastFrame).toMatch(/\+\d+ in flight/);
  });
});
