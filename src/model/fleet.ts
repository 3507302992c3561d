import type { Role } from './roles.js';

/** host:port for outbound checks (registry, snapshot repositories). */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * One inventory host resolved into what ece-preflight needs: where to connect,
 * how, and which ECE roles it holds. Built from the inventory by
 * src/inventory/fleet.ts; everything after that (plan, engine) reads only this.
 */
export interface FleetHost {
  /** Inventory hostname (what --limit matches and reports show). */
  name: string;
  /** ansible_host, or the name. Probes from other hosts target this address. */
  address: string;
  /** ansible_port (SSH port), default 22. */
  port: number;
  user?: string;
  privateKeyFile?: string;
  connection: 'ssh' | 'local';
  /** ansible_ssh_common_args, unparsed (the SSH transport reads its -o options). */
  sshCommonArgs?: string;
  become: boolean;
  roles: Role[];
  /** Where roles came from: group names, the ece_roles var, or the all-roles default. */
  rolesSource: 'groups' | 'ece_roles' | 'default-all';
  /** ece_zone or availability_zone: the data center / zone. */
  zone?: string;
  eceVersion?: string;
  /** ece_registry or ece_docker_registry, default docker.elastic.co:443. */
  registry: Endpoint;
  snapshotRepos: Endpoint[];
  clientCidrs: string[];
  adminCidrs: string[];
  /** Groups the host belongs to (direct and inherited), sorted. */
  groups: string[];
  /** All merged vars, as Ansible would see them. */
  vars: Record<string, unknown>;
}

export interface Fleet {
  /** Path of the inventory, or '<embedded localhost>' for the default. */
  source: string;
  hosts: FleetHost[];
}
