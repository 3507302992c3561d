import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import type { Catalog } from '../../../src/catalog/types.js';
import { defaultPlanOptions, planSweep } from '../../../src/plan/index.js';
import { CONTROLLER, type Plan, type PlanOptions, type Probe } from '../../../src/plan/types.js';
import { fleet, host, smallFleet } from './fleet-builder.js';

const plan = (f = smallFleet(), o: Partial<PlanOptions> = {}, c: Catalog = ECE_CATALOG): Plan =>
  planSweep(f, c, { ...defaultPlanOptions(), ...o });
const probesTo = (p: Plan, to: string, port: number): Probe[] => p.probes.filter((x) => x.to === to && x.port === port);
const fromOf = (ps: Probe[]): string[] => ps.map((x) => x.from);
const listenerPorts = (p: Plan, name: string): number[] => p.hosts.find((h) => h.host.name === name)!.listeners.map((l) => l.port);

describe('planSweep: sources', () => {
  const p = plan();
  it('external rules are probed from the controller', () => {
    expect(fromOf(probesTo(p, 'h2', 12300))).toEqual([CONTROLLER]);
    expect(fromOf(probesTo(p, 'h4', 9243))).toEqual([CONTROLLER, 'h6', 'h7', 'h8', 'h1'].sort(bySource));
  });
  it('role sources: every host holding a source role, itself included', () => {
    // 19000-19999 on an allocator: allocators and proxies (h1 is the first host and holds every role).
    expect(fromOf(probesTo(p, 'h6', 19000))).toEqual(['h1', 'h4', 'h5', 'h6', 'h7', 'h8']);
    // 2112 between directors only.
    expect(fromOf(probesTo(p, 'h2', 2112))).toEqual(['h1', 'h2', 'h3']);
    // Cloud UI to API: external and coordinators.
    expect(fromOf(probesTo(p, 'h2', 12443))).toEqual([CONTROLLER, 'h1', 'h2', 'h3']);
  });
  it('all-hosts sources: every host', () => {
    expect(fromOf(probesTo(p, 'h3', 12191))).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8']);
    expect(fromOf(probesTo(p, 'h7', 22000))).toHaveLength(8);
  });
  it('one probe per (from, to, port) carrying every rule that needs it', () => {
    const ids = p.probes.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    const fromProxy = p.probes.find((x) => x.id === 'h4>h6:20000')!;
    expect(fromProxy.rules).toEqual(['allocator-proxy-instances', 'install-check']);
    expect(p.probes.find((x) => x.id === 'h7>h6:20000')!.rules).toEqual(['install-check']);
    expect(p.probes.find((x) => x.id === `${CONTROLLER}>h2:12400`)!.rules).toEqual(['coordinator-admin-api', 'coordinator-cloud-ui']);
    expect(fromProxy).toMatchObject({ from: 'h4', to: 'h6', address: '198.18.0.6', port: 20000, expect: 'open' });
  });
  it('orders probes by destination, port, then source (controller first)', () => {
    const order = new Map(p.hosts.map((h, i) => [h.host.name, i]));
    const src = (s: string): number => (s === CONTROLLER ? -1 : order.get(s)!);
    for (let i = 1; i < p.probes.length; i++) {
      const a = p.probes[i - 1]!;
      const b = p.probes[i]!;
      const cmp = order.get(a.to)! - order.get(b.to)! || a.port - b.port || src(a.from) - src(b.from);
      expect(cmp).toBeLessThan(0);
    }
  });
  it('a host that holds no source role is never a source', () => {
    expect(fromOf(probesTo(p, 'h6', 18000))).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
  });
});

function bySource(a: string, b: string): number {
  if (a === CONTROLLER) return -1;
  if (b === CONTROLLER) return 1;
  return Number(a.slice(1)) - Number(b.slice(1));
}

describe('planSweep: listeners and port sampling', () => {
  it('samples 18000-18999 as first, last and three spread ports by default', () => {
    const ports = listenerPorts(plan(), 'h6').filter((x) => x >= 18000 && x <= 18999);
    expect(ports).toEqual([18000, 18250, 18500, 18750, 18999]);
    expect([...new Set(probesTo(plan(), 'h6', 18250).map((x) => x.port))]).toEqual([18250]);
  });
  it('probes exactly the listened ports, except 22 which sshd answers and the container-only ports (nothing of ours listens there)', () => {
    const p = plan();
    for (const h of p.hosts) {
      const probed = new Set(p.probes.filter((x) => x.to === h.host.name && !x.rules.includes('container-only')).map((x) => x.port));
      probed.delete(22);
      expect([...probed].sort((a, b) => a - b)).toEqual(h.listeners.map((l) => l.port));
    }
    expect(fromOf(probesTo(p, 'h6', 22))).toEqual([CONTROLLER]);
  });
  it('full mode lists every port of a range', () => {
    const ports = listenerPorts(plan(smallFleet(1), { ports: 'full' }), 'h6').filter((x) => x >= 18000 && x <= 18999);
    expect(ports).toHaveLength(1000);
  });
  it('install-check ports and 2375 on every host; a port shared by rules appears once', () => {
    const p = plan();
    for (const h of p.hosts) {
      expect(listenerPorts(p, h.host.name)).toEqual(expect.arrayContaining([2375, 20000, 21000, 22000]));
      expect(listenerPorts(p, h.host.name)).not.toContain(22);
    }
    const l20000 = p.hosts[5]!.listeners.filter((l) => l.port === 20000);
    expect(l20000).toEqual([{ port: 20000, rules: ['allocator-proxy-instances', 'install-check'] }]);
    // Role ports only where the role is held: a proxy does not listen on allocator ranges.
    expect(listenerPorts(p, 'h4')).not.toContain(19000);
    expect(listenerPorts(p, 'h4')).toEqual([2375, 9200, 9243, 9300, 9343, 14043, 20000, 21000, 22000]);
  });
  it('2375 must be closed: probed from the next host in sample mode, from every other host in full mode', () => {
    const sample = plan();
    expect(probesTo(sample, 'h3', 2375)).toEqual([
      { id: 'h4>h3:2375', from: 'h4', to: 'h3', address: '198.18.0.3', port: 2375, expect: 'closed', rules: ['docker-2375'] },
    ]);
    expect(fromOf(probesTo(sample, 'h8', 2375))).toEqual(['h1']);
    const full = plan(smallFleet(1), { ports: 'full' });
    expect(fromOf(probesTo(full, 'h3', 2375))).toEqual(['h1', 'h2', 'h4', 'h5', 'h6']);
  });
});

describe('planSweep: first host and role warnings', () => {
  const f = fleet([
    host('a1', ['allocator']),
    host('a2', ['allocator', 'coordinator']),
    host('a3', ['coordinator', 'proxy']),
    host('a4', ['director', 'allocator'], { rolesSource: 'ece_roles' }),
    host('a5', ['director', 'coordinator', 'proxy', 'allocator'], { rolesSource: 'default-all' }),
  ]);
  it('plans the first host with all four roles and says so', () => {
    const p = plan(f);
    expect(p.hosts[0]).toMatchObject({ firstHost: true, roles: ['director', 'coordinator', 'proxy', 'allocator'] });
    expect(p.warnings.filter((w) => w.host === 'a1').map((w) => w.code)).toEqual(['first-host']);
    expect(listenerPorts(p, 'a1')).toEqual(expect.arrayContaining([2112, 12300, 9200, 19000, 14000]));
    expect(p.requirements?.find((r) => r.requirement === 'first-host-all-roles')?.hosts).toEqual(['a1']);
  });
  it('without firstHost the first host keeps its inventory roles', () => {
    const p = plan(f, { firstHost: false });
    expect(p.hosts[0]).toMatchObject({ firstHost: false, roles: ['allocator'] });
    expect(p.warnings.some((w) => w.code === 'first-host')).toBe(false);
    expect(listenerPorts(p, 'a1')).not.toContain(2112);
  });
  it('warns about role conflicts (not on the first host) and all-roles defaults', () => {
    const codes = plan(f).warnings.map((w) => `${w.host}:${w.code}`);
    expect(codes).toEqual([
      'a1:first-host',
      'a2:role-conflict',
      'a3:role-conflict',
      'a4:role-conflict',
      'a5:default-all-roles',
      'a5:role-conflict',
      'a5:role-conflict',
      'a5:role-conflict',
    ]);
    expect(plan(f).warnings.find((w) => w.host === 'a5' && w.code === 'default-all-roles')?.message).toBe(
      "no role in inventory: planned with all four, as Elastic's Ansible role does",
    );
  });
  it('says plainly, once, when the installation spans zones; one zone or none: nothing', () => {
    const zoned = fleet([host('h1', ['director'], { zone: 'dc1' }), host('h2', ['allocator'], { zone: 'dc1' }), host('h3', ['allocator'], { zone: 'dc2' })]);
    const spans = plan(zoned).warnings.filter((w) => w.code === 'spans-zones');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.message).toMatch(/^this installation spans 2 zones \(dc1: 2 hosts, dc2: 1 host\): Elastic recommends one data center/);
    expect(plan(fleet([host('h1', ['director'], { zone: 'dc1' }), host('h2', ['allocator'], { zone: 'dc1' })])).warnings.some((w) => w.code === 'spans-zones')).toBe(false);
    expect(plan().warnings.some((w) => w.code === 'spans-zones')).toBe(false);
  });
    it('a one-host fleet says that no other host checked 2375 and the container-only ports', () => {
    expect(plan(fleet([host('h1', ['director', 'coordinator', 'proxy', 'allocator'])])).warnings.find((w) => w.code === 'single-host')?.message).toMatch(/no other host checked that Docker 2375/);
    expect(plan().warnings.some((w) => w.code === 'single-host')).toBe(false);
  });
    it('warns when no host holds a role', () => {
    const p = plan(fleet([host('x1', ['allocator']), host('x2', ['allocator'])]), { firstHost: false });
    expect(p.warnings.filter((w) => w.code === 'missing-role').map((w) => w.message.split(' ')[4])).toEqual(['director', 'coordinator', 'proxy']);
    expect(p.probes.filter((x) => x.port === 18000)).toEqual([]);
  });
});

describe('planSweep: optional rules, skip, versions', () => {
  it('plans CCS 9400/9443 only when enabled', () => {
    expect(listenerPorts(plan(), 'h4')).not.toContain(9400);
    const p = plan(smallFleet(), { enable: ['ccs'] });
    expect(listenerPorts(p, 'h4')).toEqual(expect.arrayContaining([9400, 9443]));
    expect(fromOf(probesTo(p, 'h4', 9443))).toEqual([CONTROLLER]);
    expect(p.rules?.some((r) => r.id === 'proxy-ccs')).toBe(true);
    expect(plan(smallFleet(), { enable: ['nope'] }).warnings.map((w) => w.code)).toContain('unknown-flag');
  });
  it('skips categories and rule ids', () => {
    expect(plan(smallFleet(), { skip: ['outbound'] }).outbound).toEqual([]);
    const noDocker = plan(smallFleet(), { skip: ['docker'] });
    expect(noDocker.probes.some((x) => x.port === 2375)).toBe(false);
    expect(listenerPorts(noDocker, 'h1')).not.toContain(2375);
    const noInstall = plan(smallFleet(), { skip: ['install-check'] });
    expect(listenerPorts(noInstall, 'h4')).not.toContain(22000);
    // 20000 stays on allocators: the proxy-to-instance range needs it.
    expect(listenerPorts(noInstall, 'h6')).toContain(20000);
    expect(fromOf(probesTo(noInstall, 'h6', 20000))).toEqual(['h1', 'h4', 'h5']);
    const noExternal = plan(smallFleet(), { skip: ['external'] });
    expect(noExternal.probes.some((x) => x.from === CONTROLLER)).toBe(false);
    expect(noExternal.rules?.map((r) => r.id)).not.toContain('coordinator-admin-api');
    // Cloud UI to API keeps its coordinator source.
    expect(fromOf(probesTo(noExternal, 'h2', 12400))).toEqual(['h1', 'h2', 'h3']);
    const noZk = plan(smallFleet(), { skip: ['director-zk-quorum', 'outbound-registry-http'] });
    expect(noZk.probes.some((x) => x.port === 12898)).toBe(false);
    expect(noZk.outbound.every((o) => o.port === 443)).toBe(true);
  });
  it('applies a version-bound rule only to hosts in range (unknown version: applied)', () => {
    const catalog: Catalog = structuredClone(ECE_CATALOG);
    const zk = catalog.inbound.find((r) => r.id === 'director-zk-discovery')!;
    zk.versions = { min: '2.4.0', max: '2.4.1' };
    const f = fleet([
      host('d1', ['director'], { eceVersion: '2.4.1' }),
      host('d2', ['director'], { eceVersion: '3.0.0' }),
      host('d3', ['director']),
    ]);
    const p = plan(f, { firstHost: false }, catalog);
    expect(listenerPorts(p, 'd1')).toContain(2112);
    expect(listenerPorts(p, 'd2')).not.toContain(2112);
    expect(listenerPorts(p, 'd3')).toContain(2112);
    expect(p.probes.filter((x) => x.port === 2112).map((x) => x.to)).toEqual(['d1', 'd1', 'd1', 'd3', 'd3', 'd3']);
  });
  it('IPv6 on proxies only for 2.4.0-2.4.1 (and unknown versions)', () => {
    const f = fleet([
      host('p1', ['proxy'], { eceVersion: '2.4.0' }),
      host('p2', ['proxy'], { eceVersion: '2.4.2' }),
      host('p3', ['proxy']),
      host('p4', ['allocator'], { eceVersion: '2.4.1' }),
    ]);
    const req = plan(f, { firstHost: false }).requirements!.find((r) => r.requirement === 'proxy-ipv6');
    expect(req?.hosts).toEqual(['p1', 'p3']);
  });
  it('multi-DC requirements only when hosts span zones; director RTT when there are two directors', () => {
    const one = plan(smallFleet()).requirements!.map((r) => r.requirement);
    expect(one).toEqual(['first-host-all-roles', 'proxy-ipv6', 'director-rtt']);
    const zoned = fleet(smallFleet().hosts.map((h, i) => ({ ...h, zone: `z${i % 2}` })));
    expect(plan(zoned).requirements!.map((r) => r.requirement)).toContain('multi-dc-bandwidth');
  });
  it('gathers every fact', () => {
    expect(plan().facts).toEqual(['os', 'kernel', 'ipv6', 'docker', 'firewall', 'listening', 'local-port-range', 'python']);
  });
});

describe('planSweep: edge cases', () => {
  it('refuses a pair count below 1 and a negative sample', () => {
    expect(() => plan(smallFleet(), { pairsPerRole: 0 })).toThrow(/pairs-per-role/);
    expect(() => plan(smallFleet(), { sampleInterior: -1 })).toThrow(/sample-interior/);
  });
  it('plans an empty fleet and a single all-roles host (the embedded localhost)', () => {
    expect(plan(fleet([])).probes).toEqual([]);
    const one = plan(fleet([host('localhost', ['director', 'coordinator', 'proxy', 'allocator'], { rolesSource: 'default-all' })]));
    expect(one.probes.some((x) => x.port === 2375)).toBe(false);
    expect(fromOf(probesTo(one, 'localhost', 19000))).toEqual(['localhost']);
  });
});

describe('planSweep: outbound checks', () => {
  it('docker.elastic.co: 443 and 80; a private registry: its own port; snapshot repositories: their ports', () => {
    const f = fleet([
      host('h1', ['allocator'], { snapshotRepos: [{ host: 's3.example', port: 443 }, { host: 'minio.lan', port: 9000 }] }),
      host('h2', ['allocator'], { registry: { host: 'registry.lan', port: 5000 } }),
    ]);
    expect(plan(f).outbound).toEqual([
      { id: 'h1>docker.elastic.co:443', from: 'h1', host: 'docker.elastic.co', port: 443, rule: 'outbound-registry-https' },
      { id: 'h1>docker.elastic.co:80', from: 'h1', host: 'docker.elastic.co', port: 80, rule: 'outbound-registry-http' },
      { id: 'h1>s3.example:443', from: 'h1', host: 's3.example', port: 443, rule: 'outbound-snapshot-repos' },
      { id: 'h1>minio.lan:9000', from: 'h1', host: 'minio.lan', port: 9000, rule: 'outbound-snapshot-repos' },
      { id: 'h2>registry.lan:5000', from: 'h2', host: 'registry.lan', port: 5000, rule: 'outbound-registry-https' },
    ]);
  });
});

describe('planSweep: determinism', () => {
  it('the same input gives a deep-equal plan', () => {
    expect(plan(smallFleet(6), { pairsPerRole: 2 })).toEqual(plan(smallFleet(6), { pairsPerRole: 2 }));
    expect(plan()).toEqual(plan());
  });
  it('an INI and a YAML inventory resolving to the same fleet give the same plan', () => {
    // As the two parsers would resolve the same inventory: INI keeps vars as
    // strings and lists groups as written, YAML types them; neither matters to the plan.
    const ini = fleet(smallFleet(4).hosts.map((h) => ({ ...h, vars: { ece_version: '3.8.0' }, eceVersion: '3.8.0' })));
    const yaml = { source: 'hosts.yml', hosts: smallFleet(4).hosts.map((h) => ({ ...h, vars: { ece_version: 3.8 }, eceVersion: '3.8.0' })) };
    const a = plan(ini);
    const b = plan(yaml);
    const strip = (p: Plan) => ({ ...p, hosts: p.hosts.map((h) => ({ ...h, host: h.host.name })) });
    expect(strip(a)).toEqual(strip(b));
  });
});
