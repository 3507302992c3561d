import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { parseIni } from '../../../src/inventory/parse-ini.js';
import { parseYaml } from '../../../src/inventory/parse-yaml.js';
import { toFleet } from '../../../src/inventory/fleet.js';

const iniFleet = (text: string) => toFleet(parseIni(text, 'f.ini'), 'f.ini');
const yamlFleet = (text: string) => toFleet(parseYaml(text, 'f.yml'), 'f.yml');

function fleetError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('toFleet', () => {
  it('resolves connection details with defaults', () => {
    const [a, b] = iniFleet(
      [
        '[directors]',
        'a ansible_host=198.18.0.1 ansible_port=2222 ansible_user=ops ansible_private_key_file=/k ansible_become=yes',
        "b ansible_connection=local 'ansible_ssh_common_args=-o ProxyJump=bastion'",
      ].join('\n'),
    ).hosts;
    expect(a).toMatchObject({
      name: 'a',
      address: '198.18.0.1',
      port: 2222,
      user: 'ops',
      privateKeyFile: '/k',
      connection: 'ssh',
      become: true,
      registry: { host: 'docker.elastic.co', port: 443 },
      snapshotRepos: [],
      clientCidrs: [],
      adminCidrs: [],
    });
    expect(b).toMatchObject({ address: 'b', port: 22, connection: 'local', become: false, sshCommonArgs: '-o ProxyJump=bastion' });
    expect(b).not.toHaveProperty('user');
  });

  it('takes roles from groups, inherited through children, plus ece_roles', () => {
    const hosts = iniFleet(
      [
        '[ctl]',
        'c1',
        '[coordinators:children]',
        'ctl',
        '[directors:children]',
        'ctl',
        '[allocator]',
        'a1 ece_roles=proxy',
        'x1',
        '[other]',
        'o1',
        'o2 ece_roles=allocator,proxy',
      ].join('\n'),
    ).hosts;
    const by = Object.fromEntries(hosts.map((h) => [h.name, h]));
    expect(by['c1']).toMatchObject({ roles: ['director', 'coordinator'], rolesSource: 'groups', groups: ['coordinators', 'ctl', 'directors'] });
    expect(by['a1']).toMatchObject({ roles: ['proxy', 'allocator'], rolesSource: 'ece_roles' });
    expect(by['x1']).toMatchObject({ roles: ['allocator'], rolesSource: 'groups' });
    expect(by['o1']).toMatchObject({ roles: ['director', 'coordinator', 'proxy', 'allocator'], rolesSource: 'default-all' });
    expect(by['o2']).toMatchObject({ roles: ['proxy', 'allocator'], rolesSource: 'ece_roles' });
  });

  it('reads ECE vars: zone, version, registry, snapshot repos, CIDRs', () => {
    const [h, g] = yamlFleet(
      [
        'all:',
        '  hosts:',
        '    h:',
        '      availability_zone: z2',
        '      ece_version: 3.8.1',
        '      ece_docker_registry: registry.example.com',
        '      ece_snapshot_repos: [s3.example.com, "minio.example.com:9000", {host: nfs.example.com, port: 2049}]',
        '      ece_client_cidrs: [198.18.0.0/24, 198.18.1.0/24]',
        '      ece_admin_cidrs: 198.18.0.0/28, 198.18.0.16/28',
        '    g:',
        '      ece_zone: z1',
        '      availability_zone: ignored',
        '      ece_registry: mirror.example.com:5000',
        '      ece_docker_registry: ignored.example.com',
      ].join('\n'),
    ).hosts;
    expect(h).toMatchObject({
      zone: 'z2',
      eceVersion: '3.8.1',
      registry: { host: 'registry.example.com', port: 443 },
      snapshotRepos: [
        { host: 's3.example.com', port: 443 },
        { host: 'minio.example.com', port: 9000 },
        { host: 'nfs.example.com', port: 2049 },
      ],
      clientCidrs: ['198.18.0.0/24', '198.18.1.0/24'],
      adminCidrs: ['198.18.0.0/28', '198.18.0.16/28'],
    });
    expect(g).toMatchObject({ zone: 'z1', registry: { host: 'mirror.example.com', port: 5000 } });
  });

  it.each([
    ['[g]\nh\n[g:vars]\nece_roles=director,wizard', 4, "host h: ece_roles: unknown role 'wizard'"],
    ['[g]\nh1\nh2 ansible_port=70000', 3, 'host h2: ansible_port: port must be 1..65535, got 70000'],
    ['[g]\nh ansible_port=0', 2, 'port must be 1..65535'],
    ['[g]\nh ansible_port=abc', 2, 'ansible_port: not a port number'],
    ['[g]\n\nh ansible_connection=winrm', 3, "host h: ansible_connection: unsupported connection 'winrm'"],
    ['[g]\nh ansible_become=maybe', 2, 'ansible_become: not a boolean'],
    ['[g]\nh ece_snapshot_repos="[{\'host\': \'s\', \'port\': 99999}]"', 2, 'ece_snapshot_repos: bad entry'],
    ['[g]\nh ece_registry=reg:0', 2, 'ece_registry: port must be 1..65535'],
  ])('%j is rejected at line %i', (text, line, message) => {
    const e = fleetError(() => iniFleet(text));
    expect(e.file).toBe('f.ini');
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
  });

  it('names the YAML line where a bad ece_roles was set', () => {
    const e = fleetError(() => yamlFleet('all:\n  children:\n    g:\n      hosts:\n        h:\n          ece_roles: [proxy, prox]\n'));
    expect(e.message).toBe("f.yml:6: host h: ece_roles: unknown role 'prox' (known: director, coordinator, proxy, allocator)");
  });
});
