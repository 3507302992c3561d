import type { NoProxyEntry } from './no-proxy.js';
import type { Role } from './roles.js';

/** host:port for outbound checks (registry, snapshot repositories). */
export interface Endpoint {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port` for an IPv6 address. */
export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/**
 * One inventory host resolved into what ece-preflight needs: where to connect,
 * how, and which ECE roles it holds. Built from the inventory by
 * src/inventory/fleet.ts; everything after that (plan, engine) reads only this.
 */
export interface FleetHost {
  /** Inventory hostname (what --limit matches and reports show). */
  name: string;
  /**
   * Where other hosts and the controller probe this host (and what firewall
   * rules allow from): ece_host_ip (ECE's --host-ip), else ansible_host, else
   * the HostName ssh_config gives the name, else the name.
   */
  address: string;
  /** Which of those `address` is. */
  addressSource?: 'ece_host_ip' | 'ansible_host' | 'ssh_config' | 'name';
  /** Where SSH connects before ssh_config: ansible_host, else the name (default: address). */
  sshAddress?: string;
  /** ece_host_ip as the inventory gives it (checked against the host's own addresses by facts). */
  eceHostIp?: string;
  /** ece_primary: true, or a member of Elastic's `primary` group: the ECE first host. */
  primary?: boolean;
  /** The SSH target after ssh_config (filled before a run or plan; see cli/ssh-targets.ts). */
  ssh?: SshView;
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
  /** ece_install_script_host: the host that serves the installation script; the inventory gives every host one (default download.elastic.co:443); absent: not checked (a bare host). */
  installScript?: Endpoint;
  /**
   * ece_https_proxy: the HTTPS proxy the host's outbound traffic goes through
   * (host:port). When set, every outbound check of the host is a CONNECT
   * through it, and the proxy, not the host, resolves the target's name.
   */
  httpsProxy?: Endpoint;
  /** ece_no_proxy: endpoints reached directly despite httpsProxy (NO_PROXY's rules: src/model/no-proxy.ts). */
  noProxy?: NoProxyEntry[];
  snapshotRepos: Endpoint[];
  clientCidrs: string[];
  adminCidrs: string[];
  /** Groups the host belongs to (direct and inherited), sorted. */
  groups: string[];
  /** All merged vars, as Ansible would see them. */
  vars: Record<string, unknown>;
}

/** How SSH really reaches a host, for plans and reports. */
export interface SshView {
  /** `user@hostname:port` after ssh_config. */
  target: string;
  /** The HostName SSH connects to (after ssh_config). */
  hostname?: string;
  /** `bastion1 -> bastion2`, or `ProxyCommand <command>`. */
  via?: string;
  resolvedBy: 'ssh -G' | 'built-in parser';
  /** Why the settings could not be resolved (the host will fail with it). */
  error?: string;
}

export interface Fleet {
  /** Path of the inventory, or '<embedded localhost>' for the default. */
  source: string;
  hosts: FleetHost[];
  /**
   * The ECE first host as the inventory marks it (ece_primary, or the
   * `primary` group), whether or not --limit selected it: --limit never
   * changes which host is the first host.
   */
  firstHost?: string;
}

/** One short cell for plans and reports: `root@10.0.0.5:22 via bastion`, `local`, the error, or '' (not resolved). */
export function sshTargetText(h: Pick<FleetHost, 'connection' | 'ssh'>): string {
  if (h.connection === 'local') return 'local';
  const v = h.ssh;
  if (!v) return '';
  if (v.error) return `cannot resolve: ${v.error}`;
  return v.via ? `${v.target} via ${v.via}` : v.target;
}

/**
 * A host known only by name and address (a bastion hop, a host of a saved
 * run): SSH on 22, no roles, no vars, no outbound targets. `over` sets the rest.
 */
export function bareHost(name: string, address: string, over: Partial<FleetHost> = {}): FleetHost {
  return {
    name,
    address,
    port: 22,
    connection: 'ssh',
    become: false,
    roles: [],
    rolesSource: 'groups',
    registry: { host: '', port: 0 },
    snapshotRepos: [],
    clientCidrs: [],
    adminCidrs: [],
    groups: [],
    vars: {},
    ...over,
  };
}
