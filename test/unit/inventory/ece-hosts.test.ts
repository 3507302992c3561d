import { describe, expect, it } from 'vitest';
import { ECE_CATALOG } from '../../../src/catalog/ece-catalog.js';
import { ParseError } from '../../../src/errors.js';
import { toFleet } from '../../../src/inventory/fleet.js';
import { parseIni } from '../../../src/inventory/parse-ini.js';
import { parseYaml } from '../../../src/inventory/parse-yaml.js';
import { eceHostIpProblem } from '../../../src/modules/facts.js';
import { defaultPlanOptions } from '../../../src/plan/options.js';
import { planSweep } from '../../../src/plan/plan-sweep.js';
import { parseAddresses, parseFacts } from '../../../src/tasks/facts.js';

const ini = (text: string, only?: string[]) => toFleet(parseIni(text, 'f.ini'), 'f.ini', {}, only);
const yaml = (text: string) => toFleet(parseYaml(text, 'f.yml'), 'f.yml');

describe('ece_host_ip: where ECE hosts connect, SSH stays on ansible_host', () => {
  it('is the probe address; ansible_host stays the SSH address', () => {
    const [a, b, c] = ini(
      [
        '[allocators]',
        'a ansible_host=10.0.0.5 ece_host_ip=192.168.7.5',
        'b ansible_host=10.0.0.6',
        'c',
      ].join('\n'),
    ).hosts;
    expect(a).toMatchObject({ address: '192.168.7.5', addressSource: 'ece_host_ip', sshAddress: '10.0.0.5', eceHostIp: '192.168.7.5' });
    expect(b).toMatchObject({ address: '10.0.0.6', addressSource: 'ansible_host', sshAddress: '10.0.0.6' });
    expect(c).toMatchObject({ address: 'c', addressSource: 'name', sshAddress: 'c' });
    const plan = planSweep(ini('[allocators]\na ansible_host=10.0.0.5 ece_host_ip=192.168.7.5\nb ansible_host=10.0.0.6\n'), ECE_CATALOG, defaultPlanOptions());
    const toA = plan.probes.filter((p) => p.to === 'a');
    expect(toA.length).toBeGreaterThan(0);
    expect(new Set(toA.filter((p) => p.port !== 22).map((p) => p.address))).toEqual(new Set(['192.168.7.5']));
    // The controller's SSH check goes where SSH goes.
    expect(toA.filter((p) => p.port === 22).map((p) => `${p.from} ${p.address}`)).toEqual(['@controller 10.0.0.5']);
  });

  it('can come from a group; a value that is not an IP is exit 4 naming host and var', () => {
    const f = yaml('all:\n  children:\n    data:\n      hosts:\n        a: { ansible_host: 10.0.0.5 }\n      vars:\n        ece_host_ip: "fd00::5"\n');
    expect(f.hosts[0]).toMatchObject({ address: 'fd00::5', sshAddress: '10.0.0.5' });
    expect(() => ini('a ece_host_ip=data-a.example.com\n')).toThrow(ParseError);
    expect(() => ini('a ece_host_ip=data-a.example.com\n')).toThrow(/f\.ini:1: host a: ece_host_ip: not an IP address/);
  });

  it("facts fail the host when ece_host_ip is not one of its addresses", () => {
    const facts = parseFacts(
      [
        '##addrs',
        '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
        '2: eth0    inet 198.18.0.12/24 scope global eth0\\       valid_lft forever preferred_lft forever',
        '3: eth1    inet 198.18.0.131/25 scope global eth1\\       valid_lft forever preferred_lft forever',
        '3: eth1    inet6 fe80::ec:c6ff:fe12:2/64 scope link \\       valid_lft forever preferred_lft forever',
      ].join('\n'),
    );
    expect(facts.addresses).toEqual(['127.0.0.1', '198.18.0.12', '198.18.0.131', 'fe80::ec:c6ff:fe12:2']);
    expect(eceHostIpProblem({ name: 'h2', eceHostIp: '198.18.0.131' }, facts)).toBeUndefined();
    expect(eceHostIpProblem({ name: 'h2' }, facts)).toBeUndefined();
    expect(eceHostIpProblem({ name: 'h2', eceHostIp: '198.18.0.200' }, facts)).toBe(
      'ece_host_ip 198.18.0.200 is not an address of h2 (it has 198.18.0.12, 198.18.0.131): other hosts would probe another machine; fix ece_host_ip',
    );
    // Neither ip nor hostname -I: nothing to compare with, not a failure.
    expect(eceHostIpProblem({ name: 'h2', eceHostIp: '198.18.0.200' }, parseFacts('##addrs\n'))).toBeUndefined();
  });

  it('reads hostname -I where iproute2 is missing', () => {
    expect(parseAddresses(['10.0.0.5 192.168.7.5 fd00::5 '])).toEqual(['10.0.0.5', '192.168.7.5', 'fd00::5']);
  });
});

describe('ece_primary: the ECE first host, as the primary group', () => {
  const firstOf = (f: ReturnType<typeof ini>) => planSweep(f, ECE_CATALOG, defaultPlanOptions()).hosts.filter((h) => h.firstHost).map((h) => h.host.name);

  it('marks the first host wherever it is in inventory order', () => {
    const f = ini('[allocators]\na\nb ece_primary=true\nc\n');
    expect(f.firstHost).toBe('b');
    expect(firstOf(f)).toEqual(['b']);
    expect(firstOf(ini('[allocators]\na\nc\n[primary]\nb\n'))).toEqual(['b']);
    // Nothing marked: the first in inventory order, as before.
    expect(firstOf(ini('[allocators]\na\nb\n'))).toEqual(['a']);
  });

  it('--limit never changes which host is the first host', () => {
    const f = ini('[allocators]\na\nb ece_primary=true\nc\n', ['a', 'c']);
    expect(f.firstHost).toBe('b');
    expect(firstOf(f)).toEqual([]);
  });

  it('two first hosts are exit 4, naming both', () => {
    let err: unknown;
    try {
      ini('[allocators]\na ece_primary=true\nb\n[primary]\nb\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).exitCode).toBe(4);
    expect((err as Error).message).toMatch(/two ECE first hosts: a \(ece_primary: true\) and b \(group 'primary'\)/);
    expect(() => ini('a ece_primary=maybe\n')).toThrow(/f\.ini:1: host a: ece_primary: not a boolean/);
  });
});
