import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/model/roles.js';
import { CONTROLLER } from '../../../src/plan/types.js';
import { probeRecord } from '../../../src/engine/check-record.js';
import { failuresOf } from '../../../src/report/failures.js';
import { addProbesToRoleMatrix, addToRoleMatrix, buildHostMatrix, buildRoleMatrix, emptyCell, emptyRoleMatrix, addToCell, formatCell, hostCell, rolesLookup, usedRows } from '../../../src/report/matrix.js';
import { addCheckToRecap, addChecksToRecap, formatTally, recapOf, tallyOf, totalsOf, worse } from '../../../src/report/tally.js';
import type { Verdict } from '../../../src/tasks/probe-outcome.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

const probe = (from: string, to: string, port: number, verdict: Verdict) =>
  probeRecord(
    { id: `${from}>${to}:${port}`, from, to, address: '', port, expect: 'open', rules: [] },
    { outcome: verdict === 'ok' ? 'open' : 'filtered', ms: 1 },
    verdict,
  );

describe('shared matrix and tally', () => {
  it('ranks verdicts: blocked over exposed over error over ok', () => {
    expect(worse(null, 'ok')).toBe('ok');
    expect(worse('exposed', 'blocked')).toBe('blocked');
    expect(worse('blocked', 'exposed')).toBe('blocked');
    expect(worse('error', 'exposed')).toBe('exposed');
    expect(worse('ok', 'error')).toBe('error');
  });

  it('formats cells the same for every renderer', () => {
    let c = emptyCell();
    expect(formatCell(c)).toBe('·');
    for (let i = 0; i < 12; i++) c = addToCell(c, 'ok');
    expect(formatCell(c)).toBe('12/12');
    c = addToCell(addToCell(addToCell(c, 'blocked'), 'exposed'), 'blocked');
    expect(formatCell(c)).toBe('2 blocked, 1 exposed');
  });

  it('counts a multi-role host in each of its roles, the controller as external', () => {
    const hosts: { name: string; roles: Role[] }[] = [
      { name: 'a', roles: ['director', 'coordinator'] },
      { name: 'b', roles: ['allocator'] },
    ];
    const m = buildRoleMatrix(hosts, [probe('a', 'b', 19000, 'blocked'), probe(CONTROLLER, 'a', 12300, 'ok'), probe('b', 'a', 12191, 'ok')]);
    expect(m.director.allocator.counts.blocked).toBe(1);
    expect(m.coordinator.allocator.counts.blocked).toBe(1);
    expect(m.external.director.counts.ok).toBe(1);
    expect(m.external.coordinator.counts.ok).toBe(1);
    expect(m.allocator.director.worst).toBe('ok');
    expect(m.proxy.director.worst).toBeNull();
    expect(usedRows(m)).toEqual(['director', 'coordinator', 'allocator', 'external']);
  });

  it('builds the host matrix with every port behind a cell', () => {
    const { result } = buildFleetRun();
    const m = buildHostMatrix(result.hosts, result.checks);
    expect(m.sources[0]).toBe(CONTROLLER);
    const cell = hostCell(m, 'h3', 'h2')!;
    expect(cell.worst).toBe('blocked');
    expect(cell.entries.map((e) => e.port)).toEqual([...cell.entries.map((e) => e.port)].sort((a, b) => a - b));
    expect(cell.entries.find((e) => e.port === 2112)).toMatchObject({ outcome: 'filtered', verdict: 'blocked' });
    expect(hostCell(m, 'h2', 'h2')).toBeUndefined();
  });

  it('recap and totals fold the records the way the engine does', () => {
    const { result } = buildFleetRun();
    expect(totalsOf(result.checks, 0)).toEqual({ ok: 232, blocked: 3, exposed: 5, error: 4, skipped: 0 });
    const recap = recapOf(result.hosts, result.checks);
    expect(recap.h6).toMatchObject({ blocked: 1 }); // outbound counts on the host that made it
    expect(recap.h5).toMatchObject({ exposed: 5 });
    expect(formatTally(tallyOf(result.totals))).toBe('7 failed, 5 exposed, 0 not checked, 232 ok');
  });

  it('a batch counts as its checks one by one, and leaves its input alone', () => {
    const { result } = buildFleetRun();
    const rolesOf = rolesLookup(result.hosts);
    const probes = result.checks.filter((c) => c.kind === 'probe');
    const half = Math.floor(probes.length / 2);
    const start = addProbesToRoleMatrix(emptyRoleMatrix(), probes.slice(0, half), rolesOf);
    const snapshot = JSON.stringify(start);
    const batch = addProbesToRoleMatrix(start, probes.slice(half), rolesOf);
    const oneByOne = probes.slice(half).reduce((m, p) => addToRoleMatrix(m, p, rolesOf), start);
    expect(batch).toEqual(oneByOne);
    expect(JSON.stringify(start)).toBe(snapshot);
    expect(batch).toEqual(buildRoleMatrix(result.hosts, result.checks));

    const recap0 = recapOf(result.hosts, []);
    const recapSnapshot = JSON.stringify(recap0);
    const recap = addChecksToRecap(recap0, result.checks);
    expect(recap).toEqual(result.checks.reduce((r, c) => addCheckToRecap(r, c), recap0));
    expect(JSON.stringify(recap0)).toBe(recapSnapshot);
  });

  it('ranks failures worst first, stable within a verdict', () => {
    const f = failuresOf(buildFleetRun().result);
    expect(f.map((x) => x.verdict)).toEqual([...Array(3).fill('blocked'), ...Array(5).fill('exposed'), ...Array(4).fill('error')]);
    expect(f[0]!.id).toBe('h1>h2:2112');
    expect(f[2]!.kind).toBe('outbound');
  });
});
