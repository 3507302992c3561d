import { describe, expect, it } from 'vitest';
import type { FleetHost } from '../../../src/model/fleet.js';
import type { PlannedRequirement } from '../../../src/plan/types.js';
import { judgeRtt, rttPairs } from '../../../src/tasks/round-trip.js';
import type { ProbeResult } from '../../../src/tasks/probe-outcome.js';
import { testHost } from '../../fixtures/fleet-host.js';

const h = (name: string, zone?: string): FleetHost => testHost({ name, address: `198.18.0.${10 + Number(name.slice(1))}`, ...(zone ? { zone } : {}) });
const hosts = [h('h1', 'a'), h('h2', 'a'), h('h3', 'b'), h('h4', 'b'), h('h5', 'c')];
const directors: PlannedRequirement = { requirement: 'director-rtt', kind: 'max-rtt-ms', value: 10, hosts: ['h1', 'h3', 'h5'], purpose: '' };
const zones: PlannedRequirement = { requirement: 'multi-dc-rtt', kind: 'max-rtt-ms', value: 10, hosts: ['h1', 'h2', 'h3', 'h4', 'h5'], purpose: '', acrossZones: true };

describe('round trip between hosts', () => {
  it('every ordered pair of directors; across zones only pairs of different zones, a few per pair of zones', () => {
    expect(rttPairs([directors], hosts).map((p) => `${p.from}>${p.to}`)).toEqual(['h1>h3', 'h1>h5', 'h3>h1', 'h3>h5', 'h5>h1', 'h5>h3']);
    const across = rttPairs([zones], hosts, 2);
    expect(across.every((p) => hosts.find((x) => x.name === p.from)!.zone !== hosts.find((x) => x.name === p.to)!.zone)).toBe(true);
    const perZonePair = new Map<string, number>();
    for (const p of across) {
      const key = [hosts.find((x) => x.name === p.from)!.zone, hosts.find((x) => x.name === p.to)!.zone].sort().join('|');
      perZonePair.set(key, (perZonePair.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(perZonePair)).toEqual({ 'a|b': 2, 'a|c': 2, 'b|c': 2 });
    expect(across[0]).toMatchObject({ port: 22, maxMs: 10, lossFails: false });
  });

  it('fails on a median over the limit, warns on a p95 spike, and fails on loss between directors', () => {
    const [pair] = rttPairs([directors], hosts);
    const ms = (...v: number[]): ProbeResult[] => v.map((m) => ({ outcome: 'open', ms: m }));
    expect(judgeRtt(pair!, ms(1, 1, 2, 1, 1))).toMatchObject({ status: 'pass', host: 'h1', message: 'h1 -> h3 (198.18.0.13:22): median 1 ms, p95 2 ms over 5 connects' });
    expect(judgeRtt(pair!, ms(11, 12, 12, 15, 14)).status).toBe('fail');
    expect(judgeRtt(pair!, ms(0, 0, 1, 0, 17)).status).toBe('warn');
    const lossy = [...ms(1, 1, 1), { outcome: 'filtered', ms: 2000 } as ProbeResult];
    expect(judgeRtt(pair!, lossy)).toMatchObject({ status: 'fail', message: expect.stringMatching(/1 lost: directors need no packet loss/) });
    const across = rttPairs([zones], hosts)[0]!;
    expect(judgeRtt(across, lossy).status).toBe('warn');
    expect(judgeRtt(pair!, [{ outcome: 'filtered', ms: 2000 }]).status).toBe('fail');
  });
});
