import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../../src/engine/check-record.js';
import { addPlanned, emptyRecords, supersede } from '../../../src/engine/run-records.js';
import type { PlannedCheck } from '../../../src/engine/not-checked.js';

const planned = (id: string, kind: 'probe' | 'outbound' = 'probe'): PlannedCheck => ({ kind, id, from: id.split('>')[0]!, to: id.split('>')[1]!.split(':')[0]!, port: 1, rules: ['r'] });
const check = (id: string, verdict: CheckRecord['verdict']): CheckRecord => ({
  kind: 'probe', id, from: 'a', to: 'b', address: '198.18.0.12', port: 1, expect: 'open', rules: ['r'],
  result: { outcome: verdict === 'ok' ? 'open' : 'refused', ms: 1 }, verdict,
});

describe('a later round of the same checks', () => {
  it('replaces the earlier results and planned entries: each check counts once, the round is summed up', () => {
    const r = emptyRecords();
    addPlanned(r, [planned('a>b:1'), planned('a>c:1'), planned('a>reg:443', 'outbound')]);
    r.checks.push(check('a>b:1', 'blocked'), check('a>c:1', 'ok'), { ...check('a>reg:443', 'ok'), kind: 'outbound' });
    r.plannedHostChecks.push({ kind: 'requirement', id: 'proxy-ipv6', host: 'b' });
    r.hostChecks.push({ kind: 'requirement', id: 'proxy-ipv6', host: 'b', status: 'fail', message: 'off' });

    const round = supersede(r, new Set(['a>b:1', 'a>c:1']), { play: 'after', task: 'Probe' }, new Set(['requirement:proxy-ipv6@b']));
    expect(round).toEqual({ play: 'after', task: 'Probe', checks: 2, verdicts: { ok: 1, blocked: 1, exposed: 0, error: 0 } });
    expect(r.checks.map((c) => c.id)).toEqual(['a>reg:443']);
    expect(r.plannedChecks.map((c) => c.id)).toEqual(['a>reg:443']);
    expect(r.planned).toEqual({ probes: 0, outbound: 1 });
    expect(r.hostChecks).toEqual([]);
    expect(r.plannedHostChecks).toEqual([]);
    expect(r.superseded).toEqual([round]);
  });

  it('a first round (nothing planned before with those ids) changes nothing', () => {
    const r = emptyRecords();
    addPlanned(r, [planned('a>b:1')]);
    r.checks.push(check('a>b:1', 'ok'));
    expect(supersede(r, new Set(['a>c:1']), { play: 'p', task: 't' })).toBeUndefined();
    expect(r.checks).toHaveLength(1);
    expect(r.planned).toEqual({ probes: 1, outbound: 0 });
    expect(r.superseded).toEqual([]);
  });

  it('host checks planned again are replaced without a round (no path was probed twice)', () => {
    const r = emptyRecords();
    r.plannedHostChecks.push({ kind: 'precondition', id: 'docker', host: 'b' });
    r.hostChecks.push({ kind: 'precondition', id: 'docker', host: 'b', status: 'pass', message: 'ok' });
    expect(supersede(r, new Set(), { play: 'p', task: 't' }, new Set(['precondition:docker@b']))).toBeUndefined();
    expect(r.hostChecks).toEqual([]);
    expect(r.plannedHostChecks).toEqual([]);
    expect(r.superseded).toEqual([]);
  });

  it('a planned check an earlier round never ran (its host was down) is replaced too, not left as not run', () => {
    const r = emptyRecords();
    addPlanned(r, [planned('a>b:1')]);
    const round = supersede(r, new Set(['a>b:1']), { play: 'p', task: 't' });
    expect(round?.checks).toBe(0);
    expect(r.planned.probes).toBe(0);
  });
});
