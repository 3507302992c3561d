import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { desiredRules } from '../../../src/firewall/desired.js';
import { ANY, SELF, type Rule } from '../../../src/firewall/types.js';
import { defaultPlanOptions } from '../../../src/plan/options.js';
import { planSweep } from '../../../src/plan/plan-sweep.js';
import { fleet, host } from '../plan/fleet-builder.js';
import { fixtureRuleSets, golden } from './fixture-fleet.js';

const planOf = (hosts: ReturnType<typeof host>[], firstHost = false) => planSweep(fleet(hosts), ECE_CATALOG, { ...defaultPlanOptions(), firstHost });
const rulesOf = (sets: ReturnType<typeof desiredRules>, name: string): Rule[] => sets.find((s) => s.host === name)!.rules;
const covers = (rules: Rule[], port: number, source: string, action = 'accept') =>
  rules.some((r) => r.ports[0] <= port && port <= r.ports[1] && r.source === source && r.action === action);

describe('desiredRules', () => {
  it('matches the committed rules of the fixture fleet (the input of the captures)', () => {
    const sets = fixtureRuleSets();
    const h2 = sets.find((s) => s.host === 'h2')!;
    expect(JSON.parse(golden('desired-h2.json', JSON.stringify(h2.rules, null, 2) + '\n'))).toEqual(h2.rules);
  });

  it('opens whole ranges, not the probes\' samples, from every source host', () => {
    const sets = desiredRules(planOf([host('h1', ['coordinator']), host('h2', ['proxy']), host('h3', ['allocator']), host('h4', ['allocator'])]), ECE_CATALOG);
    const h3 = rulesOf(sets, 'h3');
    const from = (src: string) => h3.filter((r) => r.source === src && r.action === 'accept').map((r) => r.ports);
    // proxies: 14000; 18000-18999, 19000-19999, 20000-20999, 21000-21999 and 22000 (install check) are adjacent: one rule; 23000-23999
    expect(from('198.18.0.2/32')).toEqual([[14000, 14000], [18000, 22000], [23000, 23999]]);
    // coordinators: the constructor range and the install checks
    expect(from('198.18.0.1/32')).toEqual([[18000, 18999], [20000, 20000], [21000, 21000], [22000, 22000]]);
    // the other allocator: node to node, install checks, remote cluster
    expect(from('198.18.0.4/32')).toEqual([[19000, 20000], [21000, 21000], [22000, 22000], [23000, 23999]]);
    // a host needs no rule for its own traffic (it arrives on loopback)
    expect(h3.some((r) => r.source === '198.18.0.3/32')).toBe(false);
  });

  it('external ports from ece_client_cidrs, else from anywhere with a plain warning', () => {
    const open = desiredRules(planOf([host('h1', ['proxy'])]), ECE_CATALOG);
    expect(covers(rulesOf(open, 'h1'), 9200, ANY)).toBe(true);
    expect(open[0]!.warnings.join('\n')).toMatch(/open to ANY source \(ece_client_cidrs is not set\): proxy-es-rest, proxy-es-transport/);
    const closed = desiredRules(planOf([host('h1', ['proxy'], { clientCidrs: ['10.1.0.0/16', '2001:DB8:0:0::/32'] })]), ECE_CATALOG);
    const rules = rulesOf(closed, 'h1');
    expect(covers(rules, 9200, ANY)).toBe(false);
    expect(covers(rules, 9243, '10.1.0.0/16')).toBe(true);
    expect(rules.find((r) => r.source === '2001:db8::/32')?.family).toBe('ipv6');
    expect(closed[0]!.warnings.join('\n')).not.toMatch(/ANY source/);
  });

  it('leaves out a host rule that an accept from anywhere already covers', () => {
    const sets = desiredRules(planOf([host('h1', ['proxy']), host('h2', ['allocator'])]), ECE_CATALOG);
    const h1 = rulesOf(sets, 'h1');
    expect(covers(h1, 9200, ANY)).toBe(true);
    expect(covers(h1, 9200, '198.18.0.2/32')).toBe(false);
    expect(covers(h1, 20000, '198.18.0.2/32')).toBe(true);
  });

  it('SSH on ansible_port from the controller as the host sees it and ece_admin_cidrs; a local connection has no controller rule', () => {
    const plan = planOf([host('h1', ['director'], { port: 2222, adminCidrs: ['192.0.2.0/24'] }), host('h2', ['director'], { connection: 'local' })]);
    const sets = desiredRules(plan, ECE_CATALOG, { controllerAddress: (h) => (h.name === 'h1' ? '203.0.113.7/32' : '203.0.113.8/32') });
    expect(rulesOf(sets, 'h1').filter((r) => r.comment.startsWith('ece-preflight ssh')).map((r) => [r.ports, r.source])).toEqual([
      [[2222, 2222], '192.0.2.0/24'],
      [[2222, 2222], '203.0.113.7/32'],
    ]);
    expect(rulesOf(sets, 'h2').some((r) => r.comment.startsWith('ece-preflight ssh'))).toBe(false);
    const unknown = desiredRules(plan, ECE_CATALOG);
    expect(unknown[0]!.warnings.join('\n')).toMatch(/SSH \(2222\) from the controller: added at apply time/);
  });

  it('same-host-only ports: accepted from the host itself, then dropped from everyone, both families, accepts first', () => {
    const [set] = desiredRules(planOf([host('h1', ['allocator'])]), ECE_CATALOG);
    const rules = set!.rules;
    for (const port of [53, 2180, 2191, 2199, 2375, 5000, 5010, 8080, 8084, 9000, 9043, 9244]) {
      for (const family of ['ipv4', 'ipv6'] as const) {
        const self = rules.findIndex((r) => r.family === family && r.source === SELF && r.action === 'accept' && r.ports[0] <= port && port <= r.ports[1]);
        const drop = rules.findIndex((r) => r.family === family && r.source === ANY && r.action === 'drop' && r.ports[0] <= port && port <= r.ports[1]);
        expect(self, `${family} ${port}`).toBeGreaterThanOrEqual(0);
        expect(drop).toBeGreaterThan(self);
      }
    }
    expect(rules.find((r) => r.ports[0] === 2375 && r.action === 'drop')!.comment).toBe('ece-preflight container-only,docker-2375');
  });

  it('the first host gets every role\'s ports; IPv6 sources are IPv6 rules', () => {
    const sets = desiredRules(planOf([host('h1', ['director']), host('h2', ['allocator'], { address: '2001:db8::2' })], true), ECE_CATALOG);
    const h1 = rulesOf(sets, 'h1');
    expect(covers(h1, 19500, '2001:db8::2/128')).toBe(true);
    expect(h1.find((r) => r.source === '2001:db8::2/128')!.family).toBe('ipv6');
  });

  it('is deterministic: the same plan gives deep-equal rules', () => {
    expect(fixtureRuleSets()).toEqual(fixtureRuleSets());
  });

  it('comments name the seed rule, are short and carry only safe characters', () => {
    for (const set of fixtureRuleSets()) {
      for (const r of set.rules) {
        expect(r.comment).toMatch(/^ece-preflight [a-z0-9-]+/);
        expect(r.comment.length).toBeLessThanOrEqual(120);
        expect(r.comment).toMatch(/^[A-Za-z0-9 ,.:/()+_-]+$/);
      }
    }
  });

  it('bad input is one error naming host and variable', () => {
    const bad = (extra: Parameters<typeof host>[2]) => () => desiredRules(planOf([host('h1', ['proxy'], extra)]), ECE_CATALOG);
    expect(bad({ clientCidrs: ['10.0.0.0/33'] })).toThrow(/host h1: ece_client_cidrs: prefix length must be 0\.\.32/);
    expect(bad({ clientCidrs: ['10.0.0.1/24'] })).toThrow(/host h1: ece_client_cidrs: "10.0.0.1\/24" has host bits set \(the network is 10.0.0.0\/24\)/);
    expect(bad({ adminCidrs: ['; rm -rf /'] })).toThrow(/host h1: ece_admin_cidrs: not an IP address or CIDR/);
    expect(bad({ address: 'db1.example.com' })).toThrow(/host h1: ansible_host: "db1.example.com" is a name/);
    // (the inventory refuses a non-address ece_host_ip first; here the fleet host carries it as its address)
    expect(bad({ address: '10.0.0.0/8', addressSource: 'ece_host_ip' })).toThrow(/host h1: ece_host_ip: expected one address/);
  });
});

describe('desiredRules keeps the set small', () => {
  it('a host inside ece_client_cidrs needs no rule of its own on the ports the network already has', () => {
    const sets = desiredRules(planOf([host('h1', ['proxy'], { clientCidrs: ['198.18.0.0/24'] }), host('h2', ['allocator'])]), ECE_CATALOG);
    const h1 = rulesOf(sets, 'h1');
    expect(covers(h1, 9200, '198.18.0.0/24')).toBe(true);
    expect(covers(h1, 9200, '198.18.0.2/32')).toBe(false);
    // 20000 is not a client port: the host rule stays
    expect(covers(h1, 20000, '198.18.0.2/32')).toBe(true);
  });
});
