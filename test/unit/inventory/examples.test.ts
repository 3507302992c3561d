import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedDefault, loadInventory } from '../../../src/inventory/load.js';
import { toAnsibleList } from '../../../src/inventory/to-ansible-list.js';
import { EMBEDDED_LOCALHOST_YAML } from '../../../src/inventory/localhost.js';

const repo = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

describe('shipped example inventories', () => {
  for (const name of ['example.ini', 'example.yml', 'elastic-role-example.yml']) {
    it(`${name} matches ansible-inventory --list`, () => {
      const { model } = loadInventory(repo(`inventories/${name}`));
      const expected = JSON.parse(readFileSync(repo(`test/fixtures/inventory/examples/${name}.expected.json`), 'utf8'));
      expect(toAnsibleList(model)).toEqual(expected);
    });
  }

  it('example.ini and example.yml resolve to the same fleet', () => {
    const ini = loadInventory(repo('inventories/example.ini')).fleet;
    const yml = loadInventory(repo('inventories/example.yml')).fleet;
    expect(yml.hosts).toEqual(ini.hosts);
    expect(ini.hosts).toHaveLength(11);
  });

  it('example fleet: roles, addresses, zones, order', () => {
    const { fleet } = loadInventory(repo('inventories/example.ini'));
    expect(fleet.hosts.map((h) => h.name)).toEqual([
      'ece-ctl1.dc1.example.com',
      'ece-ctl2.dc1.example.com',
      'ece-ctl3.dc1.example.com',
      'ece-proxy1.dc1.example.com',
      'ece-proxy2.dc1.example.com',
      'alloc01.dc1.example.com',
      'alloc02.dc1.example.com',
      'alloc03.dc1.example.com',
      'alloc04.dc1.example.com',
      'alloc05.dc1.example.com',
      'alloc06.dc1.example.com',
    ]);
    const ctl1 = fleet.hosts[0]!;
    expect(ctl1).toMatchObject({
      address: '198.18.0.11',
      port: 22,
      user: 'elastic',
      privateKeyFile: '~/.ssh/ece_ed25519',
      connection: 'ssh',
      become: true,
      roles: ['director', 'coordinator'],
      rolesSource: 'groups',
      zone: 'zone-1',
      eceVersion: '3.8.1',
      registry: { host: 'docker.elastic.co', port: 443 },
      snapshotRepos: [{ host: 'snapshots.example.com', port: 443 }],
      adminCidrs: ['198.18.0.0/24'],
      clientCidrs: ['198.18.0.0/24'],
      groups: ['coordinators', 'dc1', 'directors', 'ece', 'zone_1'],
    });
    const alloc06 = fleet.hosts.find((h) => h.name === 'alloc06.dc1.example.com')!;
    expect(alloc06).toMatchObject({ address: '198.18.0.36', port: 2222, roles: ['allocator'], zone: 'zone-3' });
    // Network safety: every address of the examples is in the benchmark range.
    for (const h of fleet.hosts) expect(h.address).toMatch(/^198\.18\.0\.\d+$/);
  });

  it("Elastic's role inventory works unchanged", () => {
    const { fleet } = loadInventory(repo('inventories/elastic-role-example.yml'));
    const byName = Object.fromEntries(fleet.hosts.map((h) => [h.name, h]));
    expect(byName['ece-1.example.com']).toMatchObject({
      roles: ['director', 'coordinator', 'proxy', 'allocator'],
      rolesSource: 'default-all',
      zone: 'MY_ZONE-1',
      become: true,
      registry: { host: 'docker.elastic.co', port: 443 },
      groups: ['primary'],
    });
    expect(byName['ece-2.example.com']).toMatchObject({ roles: ['director', 'coordinator', 'allocator'], rolesSource: 'ece_roles' });
    expect(byName['ece-4.example.com']).toMatchObject({ roles: ['proxy'], rolesSource: 'ece_roles', zone: 'MY_ZONE-1' });
    expect(byName['ece-5.example.com']!.roles).toEqual(['allocator']);
    expect(fleet.hosts.map((h) => h.name)).toEqual([
      'ece-1.example.com',
      'ece-2.example.com',
      'ece-3.example.com',
      'ece-4.example.com',
      'ece-5.example.com',
    ]);
  });

  it('embedded default is localhost, local connection, all four roles', () => {
    const { fleet } = loadEmbeddedDefault();
    expect(fleet.source).toBe('<embedded localhost>');
    expect(fleet.hosts).toHaveLength(1);
    expect(fleet.hosts[0]).toMatchObject({
      name: 'localhost',
      address: '127.0.0.1',
      port: 22,
      connection: 'local',
      become: false,
      roles: ['director', 'coordinator', 'proxy', 'allocator'],
      rolesSource: 'default-all',
    });
  });

  it('inventories/localhost.yml is the embedded default, byte for byte', () => {
    expect(readFileSync(repo('inventories/localhost.yml'), 'utf8')).toBe(EMBEDDED_LOCALHOST_YAML);
  });
});
