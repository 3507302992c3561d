import { afterEach, describe, expect, it } from 'vitest';
import { outboundOf, probesOf } from '../../../src/engine/check-record.js';
import { cleanup, render } from 'ink-testing-library';
import { FailuresPanel } from '../../../src/ui/failures-panel.js';
import { HostRows, pickRows } from '../../../src/ui/host-rows.js';
import { MatrixView } from '../../../src/ui/matrix-view.js';
import { RecapView } from '../../../src/ui/recap-view.js';
import { RunView } from '../../../src/ui/run-view.js';
import { hostsInOrder, initialRunState, reduceRun, tallyOfRun, type HostView } from '../../../src/ui/run-store.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import { buildFleetRun, indexOf, T0 } from '../../fixtures/report/fleet.js';

// ink colours through chalk, which may or may not emit codes under vitest: compare plain text.
const plain = (s: string | undefined): string => (s ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const stateAt = (events: EngineEvent[], n: number) => events.slice(0, n).reduce(reduceRun, initialRunState);

afterEach(() => cleanup());

describe('RunView frames at key moments', () => {
  const run = buildFleetRun();
  // Just after the second blocked 2112 probe: the exposed 2375 ones came earlier.
  const midProbe = indexOf(run.events, (e) => e.kind === 'check' && e.check.id === 'h3>h2:2112') + 1;

  it('after run-start: header with inventory, hosts and roles; empty matrix', () => {
    const frame = plain(render(<RunView state={stateAt(run.events, 1)} now={T0 + 1_500} rows={40} />).lastFrame());
    expect(frame).toContain('inventories/lab.ini');
    expect(frame).toContain('6 hosts (director 3, coordinator 3, proxy 2, allocator 3)');
    expect(frame).toContain('00:01.5');
    expect(frame).toMatch(/· h4\s+proxy\s+pending/);
    expect(frame).toMatch(/external\s+·\s+·\s+·\s+·/);
    expect(frame).toContain('No failures so far');
    expect(frame).toContain('q or Ctrl-C');
  });

  it('mid-probe: live matrix cells, in-flight hosts and first failures', () => {
    const frame = plain(render(<RunView state={stateAt(run.events, midProbe)} now={T0 + 9_000} rows={40} />).lastFrame());
    expect(frame).toMatch(/^probe task\s+00:09\.0/m);
    expect(frame).toMatch(/director\s+2 blocked\s+2 blocked\s+\d+\/\d+\s+3 exposed/);
    expect(frame).toMatch(/external\s+3\/3/);
    expect(frame).toMatch(/h2\s+dir,coord\s+probe\s+in 21\/23  out 20\/21/);
    expect(frame).toContain('BLOCKED h2:2112 filtered from 2: h1, h3  hint: director h2');
    expect(frame).not.toContain('PLAY RECAP');
  });

  it('after run-end: recap replaces the host rows, tally and failures on screen', () => {
    const frame = plain(render(<RunView state={stateAt(run.events, run.events.length)} now={T0 + 99_000} rows={40} />).lastFrame());
    expect(frame).toMatch(/^finished/m);
    expect(frame).toContain('PLAY RECAP');
    expect(frame).toMatch(/h2\s+: ok=\d+\s+blocked=2\s+exposed=0\s+error=0\s+unreachable=0\s+failed=0/);
    expect(frame).toMatch(/h5\s+: ok=\d+\s+blocked=0\s+exposed=5/);
    expect(frame).toContain('7 failed, 5 exposed, 0 not checked, 232 ok');
    expect(frame).toContain('Failures (12 paths, 4 findings)');
    expect(frame).toContain('ERROR h4:9300 error from 4: @controller, h1, h5, h6');
    expect(frame).toMatch(/allocator\s+1 blocked\s+1 blocked\s+3 error\s+2 exposed/);
    expect(frame).not.toContain('q or Ctrl-C');
  });

  it('a run where hosts failed never reads as clean: live header and panel name them, the final frame says INCOMPLETE', () => {
    const bad = buildFleetRun({ failedFacts: ['h2', 'h3'], unreachable: ['h6'] });
    const afterFacts = indexOf(bad.events, (e) => e.kind === 'task-start' && e.phase === 'listen');
    const live = plain(render(<RunView state={stateAt(bad.events, afterFacts)} now={T0 + 5_000} rows={40} />).lastFrame());
    expect(live).toMatch(/0 failing\s+3 hosts not checked/);
    expect(live).toContain('Not checked (3 hosts)');
    expect(live).toContain('h2: failed (facts): no facts within 30000 ms');
    expect(live).toContain('h6: unreachable: Timed out while waiting for handshake');
    expect(live).not.toContain('No failures');
    const end = plain(render(<RunView state={stateAt(bad.events, bad.events.length)} now={T0 + 99_000} rows={30} />).lastFrame());
    expect(end).toMatch(/INCOMPLETE: 3 of 6 hosts not checked; \d+ of \d+ planned checks not run/);
    expect(end).toContain('h3: failed (facts): no facts within 30000 ms');
    expect(end).not.toMatch(/every required path is open|No failures/);
  });

  it('a complete clean run is the only one that says every required path is open', () => {
    const { result } = buildFleetRun();
    const cleanChecks = result.checks.filter((c) => c.verdict === 'ok');
    const clean = { ...result, checks: cleanChecks, probes: probesOf(cleanChecks), outbound: outboundOf(cleanChecks) };
    const summary = { ...result.summary, status: 'passed' as const, failures: 0, exposures: 0, warnings: 0, checked: { probes: clean.probes.length, outbound: clean.outbound.length }, planned: { probes: clean.probes.length, outbound: clean.outbound.length } };
    const events: EngineEvent[] = [...run.events.slice(0, 1), { kind: 'run-end', at: T0 + 10, result: { ...clean, summary } }];
    const frame = plain(render(<RunView state={stateAt(events, events.length)} now={T0 + 99_000} rows={40} />).lastFrame());
    expect(frame).toContain(`PASSED: every required path is open and nothing that must be closed answered (${clean.probes.length + clean.outbound.length} checks)`);
    expect(frame).toContain('No failures');
  });

  it('says so while the engine stops after q', () => {
    const frame = plain(render(<RunView state={stateAt(run.events, midProbe)} now={T0} rows={40} stopping />).lastFrame());
    expect(frame).toContain('stopping: closing listeners');
  });

  it('keeps the live frame within the terminal height', () => {
    const frame = plain(render(<RunView state={stateAt(run.events, midProbe)} now={T0} rows={20} />).lastFrame());
    expect(frame.split('\n').length).toBeLessThan(20);
    expect(frame).toMatch(/\+\d+ in flight/);
  });
});

describe('HostRows collapse', () => {
  const host = (i: number, state: HostView['state']): HostView => ({
    name: `host-${String(i).padStart(3, '0')}`,
    address: `198.18.1.${i}`,
    roles: ['allocator'],
    state,
    since: 0,
    connected: true,
    listeners: { up: 6, inUse: 0, failed: 0 },
    asDestination: { done: 10, failed: 0 },
    asSource: { done: 10, failed: 0 },
    outbound: { done: 0, failed: 0 },
    ...(state === 'unreachable' ? { error: 'No route to host', errorKind: 'client-socket' } : {}),
  });
  const fleet = [
    ...Array.from({ length: 180 }, (_, i) => host(i, 'done')),
    ...Array.from({ length: 18 }, (_, i) => host(180 + i, 'probe')),
    host(198, 'unreachable'),
    host(199, 'pending'),
  ];

  it('shows broken hosts first, then in-flight ones, and counts the rest', () => {
    const picked = pickRows(fleet, 10);
    expect(picked.shown).toHaveLength(9);
    expect(picked.shown.map((h) => h.name)).toContain('host-198');
    expect(picked.hidden).toEqual({ done: 180, 'in flight': 10, pending: 1 });
    const frame = plain(render(<HostRows hosts={fleet} maxRows={10} tick={3} />).lastFrame());
    expect(frame.split('\n')).toHaveLength(10);
    expect(frame).toContain('+180 done, +10 in flight, +1 pending');
    expect(frame).toMatch(/✗ host-198\s+alloc\s+unreachable\s+client-socket: No route to host/);
  });

  it('lists every host when they fit', () => {
    const frame = plain(render(<HostRows hosts={fleet.slice(0, 5)} maxRows={10} tick={0} />).lastFrame());
    expect(frame.split('\n')).toHaveLength(5);
    expect(frame).toMatch(/✓ host-000/);
  });
});

describe('panels', () => {
  const done = stateAt(buildFleetRun().events, Infinity);

  it('MatrixView prints one row per source, external last', () => {
    const lines = plain(render(<MatrixView matrix={done.roleMatrix} />).lastFrame()).split('\n');
    expect(lines[0]).toMatch(/from \\ to\s+director\s+coordinator\s+proxy\s+allocator/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['from', 'director', 'coordinator', 'proxy', 'allocator', 'external']);
    expect(lines[5]).toMatch(/external\s+11\/11\s+11\/11\s+1 error\s+7\/7/);
  });

  it('FailuresPanel groups paths by broken port, worst first, and says "+M more"', () => {
    const frame = plain(render(<FailuresPanel failures={done.failures} limit={3} />).lastFrame());
    const lines = frame.split('\n');
    expect(lines[0]).toBe('Failures (12 paths, 4 findings)');
    expect(lines[1]).toMatch(/^BLOCKED h2:2112 filtered from 2: h1, h3  hint: /);
    expect(lines[2]).toMatch(/^BLOCKED snapshots\.example\.com:443 unreachable from 1: h6  hint: /);
    expect(lines[3]).toMatch(/^EXPOSED h5:2375 open from 5: h1, h2, h3, h4, \+1  hint: /);
    expect(lines[4]).toBe('+1 more');
  });

  it('RecapView lists hosts with findings first when they do not fit', () => {
    const frame = plain(
      render(<RecapView hostOrder={done.hostOrder} recap={done.recap} tally={tallyOfRun(done)} maxRows={4} />).lastFrame(),
    );
    expect(frame).toContain('PLAY RECAP');
    expect(frame).not.toMatch(/^h1 /m); // clean host, counted instead
    expect(frame).toMatch(/^h2\s+: ok=/m);
    expect(frame).toContain('+1 more with findings, +2 hosts ok');
    expect(frame).toContain('7 failed, 5 exposed, 0 not checked, 232 ok');
    expect(hostsInOrder(done)).toHaveLength(6);
  });
});
