import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { containerOnlyRule } from '../../../src/plan/container-only.js';
import { defaultPlanOptions, knownSkipIds, planSweep, summarizePlan } from '../../../src/plan/index.js';
import { planOptionsFromVars } from '../../../src/plan/options-from-vars.js';
import type { PlanOptions } from '../../../src/plan/types.js';
import { smallFleet } from './fleet-builder.js';

const plan = (o: Partial<PlanOptions> = {}) => planSweep(smallFleet(), ECE_CATALOG, { ...defaultPlanOptions(), ...o });
const coProbes = (p: ReturnType<typeof plan>) => p.probes.filter((x) => x.rules.includes('container-only'));

describe('container-only ports (exposure beyond 2375)', () => {
  it('are the catalog list without 2375, which docker-2375 checks', () => {
    const rule = containerOnlyRule(ECE_CATALOG)!;
    expect(rule).toMatchObject({ id: 'container-only', expect: 'closed', sources: [{ kind: 'local' }], dest: 'all' });
    expect(rule.ports).toEqual([53, 2180, { from: 2191, to: 2199 }, { from: 5000, to: 5010 }, { from: 8080, to: 8084 }, 9000, 9043, 9244]);
    expect(rule.seed[0]!.text).toMatch(/containers on the same host/);
  });

  it('are probed expect closed from another host, ranges sampled, with no listener', () => {
    const p = plan();
    const to4 = coProbes(p).filter((x) => x.to === 'h4');
    expect([...new Set(to4.map((x) => x.port))]).toEqual([53, 2180, 2191, 2193, 2195, 2197, 2199, 5000, 5002, 5005, 5008, 5010, 8080, 8081, 8082, 8083, 8084, 9000, 9043, 9244]);
    for (const x of to4) {
      expect(x.expect).toBe('closed');
      expect(x.rules).toEqual(['container-only']);
      expect(x.from).toBe('h5'); // the next host in fleet order, like 2375
    }
    for (const h of p.hosts) {
      const ports = h.listeners.map((l) => l.port);
      expect(ports).toContain(2375);
      for (const port of [53, 2180, 2191, 5000, 8080, 9000, 9043, 9244]) expect(ports).not.toContain(port);
    }
    // 2375 keeps its own rule and listener.
    expect(p.probes.filter((x) => x.port === 2375).every((x) => x.rules.join() === 'docker-2375')).toBe(true);
    expect(p.containerOnly?.id).toBe('container-only');
    expect(p.rules!.some((r) => r.id === 'container-only')).toBe(false);
  });

  it('every port of the ranges with --ports full, from every other host', () => {
    const p = plan({ ports: 'full' });
    const to4 = coProbes(p).filter((x) => x.to === 'h4');
    expect(new Set(to4.map((x) => x.port)).size).toBe(1 + 1 + 9 + 11 + 5 + 3);
    expect(new Set(to4.map((x) => x.from)).size).toBe(p.hosts.length - 1);
  });

  it('--skip container-only turns them off, and is a known skip id', () => {
    expect(coProbes(plan({ skip: ['container-only'] }))).toEqual([]);
    expect(plan({ skip: ['container-only'] }).containerOnly).toBeUndefined();
    expect(knownSkipIds(ECE_CATALOG)).toContain('container-only');
    expect(planOptionsFromVars({ ece_skip: 'container-only' }, ECE_CATALOG).skip).toEqual(['container-only']);
    // Skipping docker leaves the container-only probes.
    expect(coProbes(plan({ skip: ['docker'] })).length).toBeGreaterThan(0);
  });

  it('show among the must-be-closed ports of the plan summary', () => {
    expect(summarizePlan(plan()).closed).toBe('53, 2180, 2191-2199, 2375, 5000-5010, 8080-8084, 9000, 9043, 9244');
  });
});
