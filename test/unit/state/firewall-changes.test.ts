import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { defaultPlanOptions } from '../../../src/plan/options.js';
import { firewallChanges } from '../../../src/state/firewall-changes.js';
import { diffRuns, formatDiff, isEmptyDiff, type HostSide } from '../../../src/state/run-diff.js';

const before: HostSide[] = [
  { name: 'h1', address: '198.18.0.11', roles: ['director', 'coordinator', 'proxy', 'allocator'] },
  { name: 'h2', address: '198.18.0.12', roles: ['proxy'] },
  { name: 'h3', address: '198.18.0.13', roles: ['allocator'] },
  { name: 'h4', address: '198.18.0.14', roles: ['allocator'] },
];
const moved = before.map((h) => (h.name === 'h4' ? { ...h, roles: ['director' as const] } : h));
const fw = { catalog: ECE_CATALOG, options: defaultPlanOptions() };

describe('firewall rules between two sides', () => {
  it('an allocator that becomes a director: its allocator rules go, its director rules come, and the others let it in', () => {
    const f = firewallChanges(before, moved, ECE_CATALOG, defaultPlanOptions());
    expect(f.notes).toEqual([]);
    const h4 = f.hosts.find((h) => h.host === 'h4')!;
    expect(h4.add.some((r) => /director-zk-/.test(r.comment))).toBe(true);
    expect(h4.remove.length).toBeGreaterThan(0);
    expect(h4.remove.some((r) => /director-zk-/.test(r.comment))).toBe(false);
    expect(h4.keptOpen).toEqual([]);
    // the other directors now accept h4's ZooKeeper traffic
    const h1 = f.hosts.find((h) => h.host === 'h1')!;
    expect(h1.add.some((r) => r.source === '198.18.0.14/32' && /director-zk-/.test(r.comment))).toBe(true);
  });

  it('a host that loses the director role keeps its ZooKeeper rules, listed apart (as apply keeps them)', () => {
    const f = firewallChanges(moved, before, ECE_CATALOG, defaultPlanOptions());
    const h4 = f.hosts.find((h) => h.host === 'h4')!;
    expect(h4.keptOpen.length).toBeGreaterThan(0);
    expect(h4.keptOpen.every((r) => /director-zk-/.test(r.comment))).toBe(true);
    expect(h4.remove.some((r) => /director-zk-/.test(r.comment))).toBe(false);
  });

  it('a removed host loses all its rules; the same fleet changes nothing', () => {
    const f = firewallChanges(before, before.slice(0, 3), ECE_CATALOG, defaultPlanOptions());
    const h4 = f.hosts.find((h) => h.host === 'h4')!;
    expect(h4.add).toEqual([]);
    expect(h4.remove.length).toBeGreaterThan(0);
    expect(firewallChanges(before, before, ECE_CATALOG, defaultPlanOptions()).hosts).toEqual([]);
  });

  it('a name for an address is a note, not an error', () => {
    const f = firewallChanges(before, [...before, { name: 'h5', address: 'h5.example', roles: ['proxy'] }], ECE_CATALOG, defaultPlanOptions());
    expect(f.hosts).toEqual([]);
    expect(f.notes[0]).toMatch(/firewall rules not compared: host h5/);
  });

  it('diff lists them per host, in the plain text and the JSON', () => {
    const d = diffRuns({ label: 'a', hosts: before }, { label: 'b', hosts: moved }, fw);
    expect(d.firewall.map((h) => h.host)).toContain('h4');
    expect(isEmptyDiff(d)).toBe(false);
    const text = formatDiff(d);
    expect(text).toMatch(/~ h4: firewall \d+ to add, \d+ to remove/);
    expect(text).toMatch(/\n {4}\+ accept +tcp .*director-zk-/);
    expect(text).toMatch(/\n {4}- accept +tcp /);
    expect(JSON.parse(JSON.stringify(d)).firewall.find((h: { host: string }) => h.host === 'h4').add.length).toBeGreaterThan(0);
    expect(diffRuns({ label: 'a', hosts: before }, { label: 'b', hosts: before }, fw).firewall).toEqual([]);
  });

  it('renders each side with the SSH port and CIDRs its run saved, not the defaults (an allocator becomes a proxy)', () => {
    const inputs = { sshPort: 2222, connection: 'ssh' as const, clientCidrs: ['10.9.0.0/16'], adminCidrs: ['10.8.0.0/24'] };
    const a = before.map((h) => ({ ...h, firewallInputs: inputs }));
    const b = before.map((h) => ({ ...h, firewallInputs: inputs, ...(h.name === 'h4' ? { roles: ['proxy' as const] } : {}) }));
    const h4 = firewallChanges(a, b, ECE_CATALOG, defaultPlanOptions()).hosts.find((h) => h.host === 'h4')!;
    // the SSH rule is the same on both sides (port 2222, admin CIDR): neither added nor removed
    const covers = (r: { ports: [number, number] }, p: number) => r.ports[0] <= p && p <= r.ports[1];
    expect([...h4.add, ...h4.remove].filter((r) => covers(r, 2222) || covers(r, 22))).toEqual([]);
    // ...while a side at the default port 22 against one at 2222 is a change of the SSH rule
    const at22 = firewallChanges(a.map((h) => ({ ...h, firewallInputs: { ...inputs, sshPort: 22 } })), b, ECE_CATALOG, defaultPlanOptions());
    const h4ssh = at22.hosts.find((h) => h.host === 'h4')!;
    expect(h4ssh.add.some((r) => covers(r, 2222))).toBe(true);
    expect(h4ssh.remove.some((r) => covers(r, 22))).toBe(true);
    // the proxy's client ports (9243...) come open to the saved client CIDR, not to anyone
    const client = h4.add.filter((r) => r.source === '10.9.0.0/16');
    expect(client.length).toBeGreaterThan(0);
    expect(h4.add.some((r) => r.source === '0.0.0.0/0' && client.some((c) => c.comment === r.comment))).toBe(false);
    // a change of CIDRs alone (same roles) is a firewall change too
    const wider = before.map((h) => ({ ...h, firewallInputs: { ...inputs, clientCidrs: ['10.0.0.0/8'] } }));
    const f = firewallChanges(a, wider, ECE_CATALOG, defaultPlanOptions());
    expect(f.hosts.some((h) => h.add.some((r) => r.source === '10.0.0.0/8'))).toBe(true);
  });

  it('a run saved before the inputs were kept takes the other side\'s for that host (no change invented)', () => {
    const inputs = { sshPort: 2222, connection: 'ssh' as const, clientCidrs: ['10.9.0.0/16'], adminCidrs: [] };
    const now = before.map((h) => ({ ...h, firewallInputs: inputs }));
    expect(firewallChanges(before, now, ECE_CATALOG, defaultPlanOptions()).hosts).toEqual([]);
  });
});

