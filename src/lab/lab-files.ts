import yaml from 'js-yaml';
import { ROLES, isRole, sortRoles, type Role } from '../model/roles.js';
import type { LabUser } from './lab-user.js';

/** One lab host as recorded in lab.json. */
export interface LabHost {
  /** Inventory name: h1..hN. */
  name: string;
  index: number;
  namespace: string;
  address: string;
  /** Root-namespace end of the veth pair. */
  veth: string;
  /** `<lab dir>/hosts/hN`: keys, sshd_config, pidfile, log. */
  dir: string;
  roles: Role[];
  allowTcpForwarding: boolean;
  /** ssh-ed25519 public key line of the host ("ssh-ed25519 AAAA... comment"). */
  hostKey: string;
  /** Root-namespace pid of the host's sshd. */
  sshdPid?: number;
  /** Root-namespace pid of the host's init: pid 1 of its PID namespace, holder of its mount namespace. */
  initPid?: number;
  /** sudo asks the lab user for its password here (LabUser.passwordHosts). */
  sudoNeedsPassword?: boolean;
  /** Its address on the data network (eth1, 198.18.0.128/25), when labUp's dataNet chose it. */
  dataAddress?: string;
  /** Its own /etc/ufw and /etc/default/ufw (bind-mounted), when labUp's ufw chose it: ufw may run there. */
  privateUfw?: boolean;
  /** Its IPv6 address on the lab bridge (fd00:198:18::/64), when labUp's ipv6 is on. */
  address6?: string;
  /**
   * Its own /etc/hosts and /etc/resolv.conf (bind-mounted), when labUp's
   * resolver chose it: the file (`<dir>/etc-hosts`) names every lab host as
   * `hN.<prefix>.test`; nothing else resolves (the only nameserver is the
   * host's own loopback). Rewrite the file in place to take a name away.
   */
  hostsFile?: string;
}

/** What labUp made; also the content of `<dir>/lab.json`. */
export interface LabInfo {
  prefix: string;
  dir: string;
  bridge: string;
  /** The controller's (root namespace's) address on the lab net. */
  controllerAddress: string;
  /** The data network, when some hosts have one (dataNet): its bridge and the controller's address there. */
  dataNet?: { bridge: string; subnet: string; controllerAddress: string };
  subnet: string;
  /** The lab's IPv6 /64 and the controller's address on it, when labUp's ipv6 is on. */
  ipv6?: { subnet: string; controllerAddress: string };
  keyFile: string;
  knownHostsFile: string;
  sshConfigFile: string;
  inventoryFile: string;
  hosts: LabHost[];
  createdAt: string;
  /** How long labUp took, ms. */
  upMs: number;
  /** The non-root user with sudo on every host (lab-user.ts). */
  user?: LabUser;
  /** One login timed at labUp (login-cost.ts). */
  login?: LoginCost;
}

/** What one login to a lab host costs (measured by login-cost.ts; kept here, with the lab.json it is saved in). */
export interface LoginCost {
  host: string;
  user: string;
  /** Fastest of `samples` timed `ssh host true` runs (OpenSSH client, curve25519 key exchange), ms. */
  ms: number;
  /**
   * When `ms` is over the limit: what the host's bash spends on its rc files,
   * ms (`bash -c true` as sshd starts it, minus `bash --norc -c true`).
   */
  rcMs?: number;
  /** A plain sentence when `ms` is over the limit, naming the likely cause. */
  warning?: string;
}

/**
 * Roles per host. With `spec`, entry i ("director,coordinator") is host i+1's
 * roles (hosts past the list get allocator). Without it: one host holds all
 * four roles (ECE's first host does); two hosts split into a first host
 * without allocator and an allocator; from three on, up to three
 * director+coordinator hosts (one per three hosts), then a third of the rest
 * proxies and the remainder allocators.
 */
export function assignRoles(count: number, spec?: readonly string[]): Role[][] {
  if (spec && spec.length) {
    return Array.from({ length: count }, (_, i) => {
      const entry = spec[i];
      if (entry === undefined) return ['allocator'];
      const roles = entry
        .split(/[,+\s]+/)
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean);
      const bad = roles.filter((r) => !isRole(r));
      if (bad.length) throw new Error(`lab roles for h${i + 1}: unknown role ${bad.join(', ')} (known: ${ROLES.join(', ')})`);
      return sortRoles(roles as Role[]);
    });
  }
  if (count === 1) return [[...ROLES]];
  if (count === 2) return [['director', 'coordinator', 'proxy'], ['allocator']];
  const coordinators = Math.min(3, Math.floor(count / 3));
  const rest = count - coordinators;
  const proxies = Math.max(1, Math.round(rest / 3));
  return Array.from({ length: count }, (_, i): Role[] => {
    if (i < coordinators) return ['director', 'coordinator'];
    if (i < coordinators + proxies) return ['proxy'];
    return ['allocator'];
  });
}

export function renderKnownHosts(hosts: readonly LabHost[]): string {
  return hosts.map((h) => `${h.address} ${h.hostKey.split(/\s+/).slice(0, 2).join(' ')}\n`).join('');
}

export function renderSshConfig(info: Pick<LabInfo, 'keyFile' | 'knownHostsFile' | 'prefix'>, hosts: readonly LabHost[]): string {
  const blocks = hosts.map((h) =>
    [
      `Host ${h.name}`,
      `  HostName ${h.address}`,
      '  User root',
      '  Port 22',
      `  IdentityFile ${info.keyFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${info.knownHostsFile}`,
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  );
  return `# ece-preflight lab '${info.prefix}': ssh -F <this file> h1\n${blocks.join('\n')}`;
}

/** Ansible YAML inventory: hosts h1..hN, one group per role, registry on h1 (never an outside host). */
export function renderInventory(
  info: Pick<LabInfo, 'keyFile' | 'knownHostsFile' | 'prefix'>,
  hosts: readonly LabHost[],
): string {
  const first = hosts[0];
  const hostVars = (h: LabHost): Record<string, unknown> => ({
    ansible_host: h.address,
    ece_lab_namespace: h.namespace,
  });
  const children: Record<string, { hosts: Record<string, null> }> = {};
  for (const role of ROLES) {
    const members = hosts.filter((h) => h.roles.includes(role));
    if (members.length) children[role] = { hosts: Object.fromEntries(members.map((h) => [h.name, null])) };
  }
  const doc = {
    all: {
      vars: {
        ansible_user: 'root',
        ansible_port: 22,
        ansible_ssh_private_key_file: info.keyFile,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${info.knownHostsFile} -o StrictHostKeyChecking=yes`,
        // The registry stand-in serves the install script's host too: no check leaves the lab.
        ...(first ? { ece_registry: `${first.address}:443`, ece_install_script_host: `${first.address}:443` } : {}),
      },
      hosts: Object.fromEntries(hosts.map((h) => [h.name, hostVars(h)])),
      children,
    },
  };
  return `# ece-preflight lab '${info.prefix}' (network namespaces on 198.18.0.0/24)\n${yaml.dump(doc, { lineWidth: -1 })}`;
}

/** A lab host's DNS-style name, what a host with labUp's resolver resolves: `h2.ecep.test` (.test: RFC 6761, never a real name). */
export function labHostName(info: Pick<LabInfo, 'prefix'>, h: Pick<LabHost, 'name'>): string {
  return `${h.name}.${info.prefix}.test`;
}

/** /etc/hosts of a host with a private resolver: loopback names, then `address name` per lab host (both families when the lab has IPv6). */
export function renderEtcHosts(info: Pick<LabInfo, 'prefix'>, self: Pick<LabHost, 'name'>, hosts: readonly Pick<LabHost, 'name' | 'address' | 'address6'>[]): string {
  const lines = [`# ece-preflight lab host ${self.name}: its own /etc/hosts (labUp's resolver option)`, '127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback'];
  for (const h of hosts) {
    lines.push(`${h.address} ${labHostName(info, h)}`);
    if (h.address6) lines.push(`${h.address6} ${labHostName(info, h)}`);
  }
  return lines.join('\n') + '\n';
}

/** resolv.conf of a host with a private resolver: its own loopback only (nothing answers: a name not in /etc/hosts fails at once, no query leaves the host). */
export function renderResolvConf(self: Pick<LabHost, 'name'>): string {
  return `# ece-preflight lab host ${self.name}: no nameserver but the host's own loopback (nothing leaves the lab)\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n`;
}
