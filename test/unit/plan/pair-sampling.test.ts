import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { defaultPlanOptions, planSweep } from '../../../src/plan/index.js';
import { pickSources } from '../../../src/plan/source-selection.js';
import { CONTROLLER } from '../../../src/plan/types.js';
import { ROLES, type Role } from '../../../src/model/roles.js';
import { fleet, host } from './fleet-builder.js';

/** 3 directors+coordinators, 4 proxies, 33 allocators: groups larger and smaller than k. */
function mixedFleet(n = 40) {
  return fleet(
    Array.from({ length: n }, (_, i) =>
      host(`h${i + 1}`, i < 3 ? ['director', 'coordinator'] : i < 7 ? ['proxy'] : ['allocator'], { address: `10.0.0.${i + 1}` }),
    ),
  );
}

describe('pair sampling (pairsPerRole)', () => {
  for (const k of [1, 2, 3]) {
    it(`k=${k}: every destination port is probed from at least min(k, group) hosts of each source role`, () => {
      const f = mixedFleet();
      const plan = planSweep(f, ECE_CATALOG, { ...defaultPlanOptions(), pairsPerRole: k });
      const roles = new Map(plan.hosts.map((h) => [h.host.name, h.roles]));
      const groupSize = (r: Role): number => plan.hosts.filter((h) => h.roles.includes(r)).length;
      const bySlot = new Map<string, Set<string>>();
      for (const p of plan.probes) {
        const key = `${p.to}:${p.port}`;
        if (!bySlot.has(key)) bySlot.set(key, new Set());
        bySlot.get(key)!.add(p.from);
      }
      let checked = 0;
      for (const ph of plan.hosts) {
        for (const l of ph.listeners) {
          const from = bySlot.get(`${ph.host.name}:${l.port}`) ?? new Set<string>();
          for (const ruleId of l.rules) {
            const rule = plan.rules!.find((r) => r.id === ruleId)!;
            for (const s of rule.sources) {
              if (s.kind === 'external') expect(from.has(CONTROLLER)).toBe(true);
              const wanted = s.kind === 'roles' ? s.roles : s.kind === 'all-hosts' ? [...ROLES] : [];
              for (const role of wanted) {
                const n = [...from].filter((x) => x !== CONTROLLER && roles.get(x)!.includes(role)).length;
                expect(n, `${ph.host.name}:${l.port} ${ruleId} from ${role}`).toBeGreaterThanOrEqual(Math.min(k, groupSize(role)));
                checked++;
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(500);
    });
  }

  it('spreads the probing over the sources instead of loading the first hosts', () => {
    const f = mixedFleet(200);
    const plan = planSweep(f, ECE_CATALOG, { ...defaultPlanOptions(), pairsPerRole: 2 });
    const out = new Map<string, number>();
    for (const p of plan.probes) if (p.from !== CONTROLLER) out.set(p.from, (out.get(p.from) ?? 0) + 1);
    const allocatorLoads = [...out].filter(([name]) => Number(name.slice(1)) > 7).map(([, c]) => c);
    // Every allocator probes someone, and none probes more than a few times the mean.
    expect(allocatorLoads).toHaveLength(193);
    const mean = allocatorLoads.reduce((a, b) => a + b, 0) / allocatorLoads.length;
    expect(Math.max(...allocatorLoads)).toBeLessThan(mean * 3);
    // And the plan stays far smaller than all pairs.
    const all = planSweep(f, ECE_CATALOG, defaultPlanOptions());
    expect(plan.probes.length * 10).toBeLessThan(all.probes.length);
  });

  it('picks k sources rotating with the destination, passing over the destination itself', () => {
    const group = Int32Array.from([0, 1, 2, 3, 4]);
    const pick = (dest: number, k: number): number[] => {
      const out: number[] = [];
      pickSources(group, k, dest, out);
      return out;
    };
    expect(pick(0, 2)).toEqual([1, 2]);
    expect(pick(1, 2)).toEqual([2, 3]);
    expect(pick(2, 2)).toEqual([4, 0]);
    expect(pick(9, 2)).toEqual([3, 4]);
    expect(pick(3, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('plans 5,000 hosts with pairsPerRole=2 quickly', () => {
    const f = mixedFleet(5000);
    const t0 = performance.now();
    const plan = planSweep(f, ECE_CATALOG, { ...defaultPlanOptions(), pairsPerRole: 2 });
    // Loose bound (the bench measures the real number): catches an accidental O(n^2).
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(plan.probes.length).toBeLessThan(5000 * 200);
  });
});
