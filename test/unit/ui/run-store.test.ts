import { describe, expect, it } from 'vitest';
import { outboundOf, probesOf } from '../../../src/engine/check-record.js';
import { ROLES } from '../../../src/model/roles.js';
import { CONTROLLER } from '../../../src/plan/types.js';
import { buildRoleMatrix, formatCell, SOURCE_ROWS } from '../../../src/report/matrix.js';
import { formatTally } from '../../../src/report/tally.js';
import {
  createRunStore,
  elapsedMs,
  initialRunState,
  reduceRun,
  roleCounts,
  summaryOfRun,
  tallyOfRun,
  type RunState,
} from '../../../src/ui/run-store.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import type { CheckRecord } from '../../../src/engine/check-record.js';
import { buildFleetRun, indexOf, T0 } from '../../fixtures/report/fleet.js';

const fold = (events: EngineEvent[]): RunState => events.reduce(reduceRun, initialRunState);

describe('run store', () => {
  const run = buildFleetRun();
  const untilPhase = (p: string) => run.events.slice(0, indexOf(run.events, (e) => e.kind === 'task-start' && e.phase === p));

  it('starts every host pending with its roles', () => {
    const s = fold(run.events.slice(0, 1));
    expect(s.hostOrder).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
    expect(s.hosts.h4!.state).toBe('pending');
    expect(roleCounts(s)).toEqual({ director: 3, coordinator: 3, proxy: 2, allocator: 3 });
    expect(s.planned.probes).toBe(232);
    expect(s.recap.h1).toMatchObject({ ok: 0, blocked: 0, unreachable: false });
    expect(SOURCE_ROWS.every((r) => ROLES.every((c) => s.roleMatrix[r][c].worst === null))).toBe(true);
  });

  it('tracks connection time and listeners per host', () => {
    const s = fold(untilPhase('probe'));
    expect(s.phase).toBe('listen');
    expect(s.hosts.h2!.connected).toBe(true);
    expect(s.hosts.h2!.connectMs).toBeGreaterThan(0);
    expect(s.hosts.h4!.listeners).toEqual({ up: s.hosts.h4!.listeners.up, inUse: 1, failed: 1 });
    expect(s.hosts.h1!.listeners.up).toBeGreaterThan(10);
    expect(s.probesDone).toBe(0);
  });

  it('fills the role matrix cell by cell, worst verdict wins', () => {
    const s = fold(untilPhase('outbound'));
    expect(s.probesDone).toBe(232);
    const dd = s.roleMatrix.director.director;
    expect(dd.counts.blocked).toBe(2); // h1 and h3 -> h2:2112
    expect(dd.worst).toBe('blocked');
    expect(formatCell(dd)).toBe('2 blocked');
    const da = s.roleMatrix.director.allocator;
    expect(da.counts.exposed).toBe(3); // h1, h2, h3 -> h5:2375
    expect(da.worst).toBe('exposed');
    expect(s.roleMatrix.external.proxy.counts).toEqual({ ok: 7, blocked: 0, exposed: 0, error: 1 });
    expect(s.roleMatrix.external.proxy.worst).toBe('error');
    // h1 holds all roles, so its blocked 2112 to h2 shows in every host row; only external stays clean.
    expect(s.roleMatrix.proxy.coordinator.worst).toBe('blocked');
    expect(s.roleMatrix.external.coordinator.worst).toBe('ok');
    expect(formatCell(s.roleMatrix.external.coordinator)).toBe('11/11'); // 22, 12300, 12400 on h1-h3, and 9200/9300 on h1 (also a proxy)

    // Cross-check every cell against a brute-force count over the probes.
    const roles = new Map(run.hosts.map((h) => [h.name, h.roles as string[]]));
    for (const src of SOURCE_ROWS) {
      for (const dst of ROLES) {
        const expected = probesOf(run.result.checks).filter(
          (p) =>
            (p.from === CONTROLLER ? src === 'external' : roles.get(p.from)!.includes(src)) &&
            roles.get(p.to)!.includes(dst),
        );
        const counts = s.roleMatrix[src][dst].counts;
        expect(counts.ok + counts.blocked + counts.exposed + counts.error, `${src} x ${dst}`).toBe(expected.length);
      }
    }
  });

  it('lists failures with outcome and hint, counted on both ends', () => {
    const s = fold(untilPhase('outbound'));
    const f = s.failures.find((x) => x.id === 'h3>h2:2112')!;
    expect(f).toMatchObject({ source: 'h3', destination: 'h2', port: 2112, outcome: 'filtered', verdict: 'blocked' });
    expect(f.hint).toMatch(/nftables drops 2112/);
    expect(s.failures.filter((x) => x.verdict === 'exposed')).toHaveLength(5);
    expect(s.hosts.h2!.asDestination.failed).toBe(2);
    expect(s.hosts.h5!.asDestination.failed).toBe(5);
    expect(s.hosts.h3!.asSource.failed).toBe(2); // 2112 to h2, 2375 to h5
    expect(s.recap.h5).toMatchObject({ exposed: 5, blocked: 0 });
  });

  it('settles on run-end: matrix and tally equal the reports', () => {
    const s = fold(run.events);
    expect(s.result).toBe(run.result);
    expect(s.roleMatrix).toEqual(buildRoleMatrix(run.result.hosts, run.result.checks));
    expect(s.recap).toEqual(run.result.recap);
    expect(s.recap.h6).toMatchObject({ blocked: 1 }); // its own outbound check
    expect(formatTally(tallyOfRun(s))).toBe('7 failed, 5 exposed, 0 not checked, 232 ok');
    expect(s.failures[0]!.verdict).toBe('blocked');
    expect(elapsedMs(s, Number.MAX_SAFE_INTEGER)).toBe(run.result.durationMs);
    expect(s.hosts.h1!.state).toBe('done');
    expect(s.warnings.map((w) => w.code)).toEqual(['firewalld-active']);
  });

  it('marks unreachable hosts and skips their probes', () => {
    const down = buildFleetRun({ unreachable: ['h6'] });
    const s = fold(down.events);
    expect(s.hosts.h6!.state).toBe('unreachable');
    expect(s.hosts.h6!.errorKind).toBe('client-timeout');
    expect(s.hosts.h6!.connected).toBe(false);
    expect(s.recap.h6!.unreachable).toBe(true);
    expect(tallyOfRun(s).notChecked).toBe(down.result.totals.skipped);
    expect(down.result.totals.skipped).toBeGreaterThan(0);
  });

  it('never mutates a previous state', () => {
    const before = fold(untilPhase('probe'));
    const snapshot = JSON.stringify(before);
    const probe = run.events.find((e) => e.kind === 'check' && e.check.verdict === 'blocked')!;
    const after = reduceRun(before, probe);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after.failures).toHaveLength(1);
    expect(after.roleMatrix.external).toBe(before.roleMatrix.external); // untouched rows are shared
  });

  it('notifies subscribers on dispatch; elapsed runs from run-start', () => {
    const store = createRunStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch(run.events[0]!);
    off();
    store.dispatch(run.events[1]!);
    expect(calls).toBe(1);
    expect(elapsedMs(store.getState(), T0 + 1500)).toBe(1500);
  });
});

/** The same run with its consecutive `check` events grouped into `checks` batches of `size`. */
function batched(events: EngineEvent[], size: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  let batch: CheckRecord[] = [];
  const flush = () => {
    if (batch.length > 0) out.push({ kind: 'checks', checks: batch });
    batch = [];
  };
  for (const e of events) {
    if (e.kind === 'check') {
      batch.push(e.check);
      if (batch.length >= size) flush();
    } else {
      flush();
      out.push(e);
    }
  }
  flush();
  return out;
}

describe('run store, checks in batches', () => {
  const run = buildFleetRun({ unreachable: ['h6'] });
  const beforeEnd = run.events.slice(0, -1);

  it('ends in the same state as the checks one by one, whatever the batch size', () => {
    const one = fold(beforeEnd);
    expect(one.probesDone).toBeGreaterThan(100);
    expect(one.failures.length).toBeGreaterThan(0);
    for (const size of [1, 2, 7, 1000]) {
      const events = batched(beforeEnd, size);
      expect(events.some((e) => e.kind === 'checks')).toBe(true);
      expect(fold(events)).toEqual(one);
      expect(fold(batched(run.events, size))).toEqual(fold(run.events));
    }
  });

  it('never mutates a previous state, nor the batch', () => {
    const events = batched(beforeEnd, 50);
    let s = initialRunState;
    for (const e of events) {
      const snapshot = JSON.stringify(s);
      const batch = e.kind === 'checks' ? JSON.stringify(e.checks) : '';
      const next = reduceRun(s, e);
      expect(JSON.stringify(s)).toBe(snapshot);
      if (e.kind === 'checks') {
        expect(JSON.stringify(e.checks)).toBe(batch);
        expect(next.hosts).not.toBe(s.hosts);
        expect(next.recap).not.toBe(s.recap);
      }
      s = next;
    }
  });

  it('shares what a batch does not touch', () => {
    const s = fold(run.events.slice(0, indexOf(run.events, (e) => e.kind === 'check')));
    const h1 = run.events.filter((e): e is Extract<EngineEvent, { kind: 'check' }> => e.kind === 'check' && e.check.kind === 'probe' && e.check.from === 'h1' && e.check.to === 'h2');
    expect(h1.length).toBeGreaterThan(1);
    const next = reduceRun(s, { kind: 'checks', checks: h1.map((e) => e.check) });
    expect(next.hosts.h3).toBe(s.hosts.h3);
    expect(next.recap.h3).toBe(s.recap.h3);
    expect(next.roleMatrix.external).toBe(s.roleMatrix.external);
    expect(next.hosts.h2!.asDestination.done).toBe(h1.length);
    expect(next.hosts.h1!.asSource.done).toBe(h1.length);
    expect(next.probesDone).toBe(s.probesDone + h1.length);
  });

  it('an empty batch changes nothing', () => {
    const s = fold(beforeEnd);
    expect(reduceRun(s, { kind: 'checks', checks: [] })).toBe(s);
  });

  it('a later round of the same checks (checks-replaced) recounts from the records as they now are', () => {
    const down = buildFleetRun({ unreachable: ['h6'] });
    const s = fold(down.events.slice(0, -1));
    expect(s.probesDone).toBeGreaterThan(0);
    const outbound = outboundOf(down.result.checks);
    const next = reduceRun(s, {
      kind: 'checks-replaced',
      round: { play: 'after', task: 'Probe', checks: s.probesDone, verdicts: { ok: 0, blocked: 0, exposed: 0, error: 0 } },
      checks: outbound,
      planned: { probes: 7, outbound: s.planned.outbound },
    });
    expect(next.probesDone).toBe(0);
    expect(next.outboundDone).toBe(outbound.length);
    expect(next.planned).toMatchObject({ probes: 7, listeners: s.planned.listeners });
    expect(next.failures.map((f) => f.id).sort()).toEqual(outbound.filter((o) => o.verdict !== "ok").map((o) => o.id).sort());
    expect(next.hosts.h1!.asDestination.done).toBe(0);
    // what is known about the hosts stays: h6 was unreachable
    expect(next.recap.h6!.unreachable).toBe(true);
    expect(next.hosts.h6!.state).toBe('unreachable');
    // the new round's checks count from zero
    const again = reduceRun(next, { kind: 'checks', checks: probesOf(down.result.checks).slice(0, 3) });
    expect(again.probesDone).toBe(3);
  });

  it('before run-end, the headline names unresolved names among the failures, as the final one does', () => {
    const s = fold(run.events.slice(0, -1));
    const probe = probesOf(run.result.checks)[0]!;
    const unresolved = { ...probe, id: `${probe.id}/u`, verdict: 'error' as const, result: { outcome: 'unresolved' as const, ms: 3, detail: 'EAI_NONAME' } };
    const next = reduceRun(s, { kind: 'checks', checks: [unresolved] });
    expect(next.unresolved).toBe(1);
    expect(summaryOfRun(next).unresolved).toBe(1);
    expect(summaryOfRun(s).unresolved).toBeUndefined();
  });
});

