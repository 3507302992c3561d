import { describe, expect, it } from 'vitest';
import { changedHosts, changesByHost, diffOfHost, diffRuns, formatDiff, sideOfRun } from '../../../src/state/run-diff.js';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { defaultPlanOptions } from '../../../src/plan/options.js';
import { buildFleetRun } from '../../fixtures/report/fleet.js';

describe('diff of two runs', () => {
  const a = buildFleetRun().result;

  it('names hosts added and removed, roles gained and lost, addresses changed', () => {
    const hosts = a.hosts.filter((h) => h.name !== 'h6').map((h) => (h.name === 'h5' ? { ...h, roles: ['director' as const], address: '198.18.0.55' } : h));
    const d = diffRuns(sideOfRun('a', a), { label: 'now', hosts: [...hosts, { name: 'h7', address: '198.18.0.17', roles: ['proxy'] }] });
    expect(d.hostsAdded).toEqual(['h7']);
    expect(d.hostsRemoved).toEqual(['h6']);
    expect(d.roles).toEqual([{ host: 'h5', gained: ['director'], lost: ['allocator'] }]);
    expect(d.addresses).toEqual([{ host: 'h5', before: '198.18.0.15', after: '198.18.0.55' }]);
    expect(formatDiff(d)).toContain('~ h5: roles +director -allocator');
    expect([...changedHosts(a.hosts, [...hosts, { name: 'h7', address: '198.18.0.17', roles: ['proxy'] }])].sort()).toEqual(['h5', 'h7']);
  });

  it('says per host what run_diff prints: roles, address, new host, firewall rules; unchanged and removed hosts have no line', () => {
    const hosts = a.hosts.filter((h) => h.name !== 'h6').map((h) => (h.name === 'h5' ? { ...h, roles: ['director' as const], address: '198.18.0.55' } : h));
    const d = diffRuns(sideOfRun('a', a), { label: 'now', hosts: [...hosts, { name: 'h7', address: '198.18.0.17', roles: ['proxy'] }] }, { catalog: ECE_CATALOG, options: defaultPlanOptions() });
    const by = changesByHost(d);
    expect(by.get('h5')?.slice(0, 2)).toEqual(['roles +director -allocator', 'address 198.18.0.15 -> 198.18.0.55']);
    expect(by.get('h5')?.[2]).toMatch(/^firewall: [1-9]\d* rules? to add, [1-9]\d* to remove$/);
    expect(by.get('h7')?.[0]).toBe('new since the last run');
    expect(by.has('h6')).toBe(false);
    // another director: the other directors let h5 in (rules to add), nothing else about them
    expect(by.get('h1')).toEqual([expect.stringMatching(/^firewall: [1-9]\d* rules? to add, \d+ to remove$/)]);
    expect(changesByHost(diffRuns(sideOfRun('a', a), sideOfRun('b', a), { catalog: ECE_CATALOG, options: defaultPlanOptions() })).size).toBe(0);
  });

  it("one host's part of a diff (run_diff --diff): its roles, address and firewall lines only", () => {
    const hosts = a.hosts.filter((h) => h.name !== 'h6').map((h) => (h.name === 'h5' ? { ...h, roles: ['director' as const], address: '198.18.0.55' } : h));
    const d = diffRuns(sideOfRun('a', a), { label: 'now', hosts }, { catalog: ECE_CATALOG, options: defaultPlanOptions() });
    const text = formatDiff(diffOfHost(d, 'h5'));
    expect(text).toContain('~ h5: roles +director -allocator');
    expect(text).toContain('~ h5: address 198.18.0.15 -> 198.18.0.55');
    expect(text).toMatch(/~ h5: firewall \d+ to add/);
    expect(text).not.toMatch(/h6|~ h1:/);
  });

  it('lists paths newly failing and paths fixed, by check id', () => {
    const b = structuredClone(a);
    const blocked = b.checks.find((c) => c.verdict === 'blocked' && c.kind === 'probe')!;
    blocked.verdict = 'ok';
    blocked.result = { outcome: 'open', ms: 1 };
    const ok = b.checks.find((c) => c.verdict === 'ok' && c.kind === 'probe' && c.id !== blocked.id)!;
    ok.verdict = 'blocked';
    ok.result = { outcome: 'filtered', ms: 2000 };
    const d = diffRuns(sideOfRun('a', a), sideOfRun('b', b));
    expect(d.fixed.map((p) => p.id)).toEqual([blocked.id]);
    expect(d.newlyFailing.map((p) => [p.id, p.before, p.after])).toEqual([[ok.id, 'ok (open)', 'blocked (filtered)']]);
    expect(formatDiff(diffRuns(sideOfRun('a', a), sideOfRun('a again', a)))).toContain('no change');
  });

  it('notes a different --limit instead of calling absent paths removed', () => {
    const d = diffRuns({ ...sideOfRun('a', a), limit: 'directors' }, sideOfRun('b', a));
    expect(d.notes[0]).toMatch(/--limit differs \(directors -> none\)/);
  });
});
