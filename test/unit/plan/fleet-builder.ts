import type { Fleet, FleetHost } from '../../../src/model/fleet.js';
import type { Role } from '../../../src/model/roles.js';

/** A FleetHost as the inventory would resolve it, with only what a test cares about given. */
export function host(name: string, roles: Role[], extra: Partial<FleetHost> = {}): FleetHost {
  return {
    name,
    address: `198.18.0.${name.replace(/\D/g, '') || '1'}`,
    port: 22,
    connection: 'ssh',
    become: false,
    roles,
    rolesSource: 'groups',
    registry: { host: 'docker.elastic.co', port: 443 },
    snapshotRepos: [],
    clientCidrs: [],
    adminCidrs: [],
    groups: [...roles].sort(),
    vars: {},
    ...extra,
  };
}

export const fleet = (hosts: FleetHost[]): Fleet => ({ source: 'test', hosts });

/** h1 first host; then 2 directors+coordinators, 2 proxies, `allocators` allocators. */
export function smallFleet(allocators = 3): Fleet {
  const hosts = [
    host('h1', ['director', 'coordinator']),
    host('h2', ['director', 'coordinator']),
    host('h3', ['director', 'coordinator']),
    host('h4', ['proxy']),
    host('h5', ['proxy']),
  ];
  for (let i = 0; i < allocators; i++) hosts.push(host(`h${6 + i}`, ['allocator']));
  return fleet(hosts);
}
