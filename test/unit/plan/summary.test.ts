import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { defaultPlanOptions, planSweep, summarizePlan } from '../../../src/plan/index.js';
import { smallFleet } from './fleet-builder.js';

describe('summarizePlan', () => {
  const plan = planSweep(smallFleet(), ECE_CATALOG, defaultPlanOptions());
  const s = summarizePlan(plan);

  it('gives the role x role matrix as compact port strings', () => {
    expect(s.matrix.director.director).toBe('2112, 12191-12201, 12898-12908, 13898-13908, 20000, 21000, 22000');
    expect(s.matrix.external.coordinator).toBe('22, 12300, 12343, 12400, 12443');
    expect(s.matrix.external.proxy).toBe('22, 9200, 9243, 9300, 9343');
    expect(s.matrix.proxy.allocator).toBe('14000, 18000-22000, 23000-23999');
    expect(s.matrix.coordinator.allocator).toBe('18000-18999, 20000, 21000, 22000');
    expect(s.matrix.allocator.coordinator).toBe('20000, 21000, 22000, 22191-22195');
    expect(s.closed).toBe('53, 2180, 2191-2199, 2375, 5000-5010, 8080-8084, 9000, 9043, 9244');
  });

  it('counts listeners and probes per host and for the controller', () => {
    expect(s.totals.probes).toBe(plan.probes.length);
    expect(s.hosts.reduce((a, h) => a + h.probesIn, 0)).toBe(plan.probes.length);
    expect(s.hosts.reduce((a, h) => a + h.probesOut, 0) + s.controllerProbes).toBe(plan.probes.length);
    expect(s.hosts[3]).toMatchObject({ name: 'h4', roles: ['proxy'], listeners: 9, outbound: 2 });
    expect(s.controllerProbes).toBe(plan.probes.filter((p) => p.from === '@controller').length);
  });

  it('leaves out skipped rules', () => {
    const p = planSweep(smallFleet(), ECE_CATALOG, { ...defaultPlanOptions(), skip: ['external', 'docker'] });
    const t = summarizePlan(p);
    expect(Object.values(t.matrix.external).every((c) => c === '')).toBe(true);
    expect(t.closed).toBe('53, 2180, 2191-2199, 5000-5010, 8080-8084, 9000, 9043, 9244');
    expect(summarizePlan(planSweep(smallFleet(), ECE_CATALOG, { ...defaultPlanOptions(), skip: ['docker', 'container-only'] })).closed).toBe('');
  });
});
