import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import { pickRenderer, PROGRESS_QUIET_MS } from '../../../src/cli/pick-renderer.js';
import { progressLine } from '../../../src/ui/progress-line.js';
import { startProgressTicker } from '../../../src/ui/progress-ticker.js';
import { initialRunState, reduceRun } from '../../../src/ui/run-store.js';
import { buildFleetRun, indexOf, T0 } from '../../fixtures/report/fleet.js';

const stateAt = (events: EngineEvent[], n: number) => events.slice(0, n).reduce(reduceRun, initialRunState);

describe('progressLine', () => {
  const run = buildFleetRun({ unreachable: ['h6'] });
  const midProbe = indexOf(run.events, (e) => e.kind === 'check' && e.check.id === 'h3>h2:2112') + 1;

  it('says the task, checks done of planned, failing apart from exposed, hosts done and elapsed time', () => {
    const s = stateAt(run.events, midProbe);
    const failing = s.failures.filter((f) => f.verdict !== 'exposed').length;
    const exposed = s.failures.length - failing;
    expect(failing).toBeGreaterThan(0);
    expect(progressLine(s, T0 + 83_500)).toBe(
      `[progress] TASK [probe task]: ${s.probesDone}/244 checks, ${failing} failing, ${exposed} exposed, 0/5 hosts, 1 host not checked, 01:23.5`,
    );
  });

  it('counts hosts that reported a result for the running task', () => {
    const afterFacts = indexOf(run.events, (e) => e.kind === 'task-start' && e.phase === 'listen');
    const s = stateAt(run.events, afterFacts);
    expect(progressLine(s, T0 + 1000)).toMatch(/^\[progress\] TASK \[facts task\]: 0\/244 checks, 0 failing, 5\/5 hosts, 1 host not checked, 00:01\.0$/);
  });

  it('counts exposures as failing under --fail-on-exposed, and leaves checks out of a play without any', () => {
    const strict = buildFleetRun({ failOnExposed: true });
    const end = strict.events.length - 1;
    const s = stateAt(strict.events, end);
    expect(progressLine(s, T0 + 5000)).toMatch(/^\[progress\] TASK \[cleanup task\]: 244\/244 checks, 12 failing, 0\/6 hosts, /);
    const tasksOnly = reduceRun(
      reduceRun(initialRunState, { kind: 'run-start', at: T0, inventory: 'x', hosts: [], counts: { probes: 0, listeners: 0, outbound: 0 }, exposuresFail: false }),
      { kind: 'task-start', at: T0, name: 'Gather', module: 'command', phase: 'facts', hosts: ['a', 'b'] },
    );
    expect(progressLine(tasksOnly, T0 + 12_000)).toBe('[progress] TASK [Gather]: 0/2 hosts, 00:12.0');
  });

  it('is null before the run starts and after it ends', () => {
    expect(progressLine(initialRunState, T0)).toBeNull();
    expect(progressLine(stateAt(run.events, run.events.length), T0)).toBeNull();
  });
});

describe('progress ticker (fake clock)', () => {
  afterEach(() => vi.useRealTimers());

  it('prints only after the output has been quiet for the quiet time, then again after as long', () => {
    vi.useFakeTimers({ now: T0 });
    const lines: string[] = [];
    const t = startProgressTicker({ quietMs: 10_000, line: () => `p at ${Date.now() - T0}`, write: (s) => lines.push(s) });
    vi.advanceTimersByTime(9_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['p at 10000\n']);
    vi.advanceTimersByTime(5_000);
    t.noteOutput(); // a real line at 15 s: the next progress waits until 25 s
    vi.advanceTimersByTime(9_000);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual(['p at 10000\n', 'p at 25000\n']);
    t.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
  });

  it('prints nothing while the line is null', () => {
    vi.useFakeTimers({ now: T0 });
    const lines: string[] = [];
    const t = startProgressTicker({ quietMs: 10_000, line: () => null, write: (s) => lines.push(s) });
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
    t.stop();
  });

  it('runs in the plain renderer the CLI picks, and stops in done()', async () => {
    vi.useFakeTimers({ now: T0 });
    const stdout = new PassThrough();
    let out = '';
    stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const r = await pickRenderer({ stdout, stderr: new PassThrough(), env: {}, cwd: '/' }, { tui: false, verbose: false, color: false, onQuit: () => {} });
    const run = buildFleetRun();
    const firstCheck = indexOf(run.events, (e) => e.kind === 'check');
    for (const e of run.events.slice(0, firstCheck + 3)) r.handle(e);
    await vi.advanceTimersByTimeAsync(PROGRESS_QUIET_MS - 1000);
    expect(out).not.toContain('[progress]');
    await vi.advanceTimersByTimeAsync(1000);
    expect(out).toMatch(/\n\[progress\] TASK \[probe task\]: 3\/244 checks, 0 failing, 0\/6 hosts, /);
    await r.done();
    const before = out;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(out).toBe(before);
  });
});
