import { existsSync } from 'node:fs';
import { access, mkdir, readFile, rm, rmdir, writeFile, appendFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';
import { assignRoles, renderEtcHosts, renderInventory, renderKnownHosts, renderResolvConf, renderSshConfig, type LabHost, type LabInfo } from './lab-files.js';
import {
  CONTROLLER_ADDRESS,
  CONTROLLER_ADDRESS6,
  LAB_SUBNET,
  LAB_SUBNET6,
  addIpv6,
  hostAddress6,
  MAX_HOSTS,
  bridgeName,
  checkPrefix,
  configureNamespaces,
  createDataNetwork,
  createNetwork,
  DATA_CONTROLLER_ADDRESS,
  DATA_NET_MAX_HOSTS,
  DATA_SUBNET,
  dataAddress,
  dataBridgeName,
  destroyNetwork,
  hostAddress,
  isAlive,
  listLinks,
  listNamespaces,
  namespaceName,
  subnetHolders,
  vethName,
} from './netns.js';
import { inChunks, run, type RunResult } from './run.js';
import * as sshd from './sshd.js';
import { startRegistryStandIn } from './registry-stand-in.js';
import { isHostInit, nsenterArgv, startHostInit } from './host-init.js';
import { mountHostFiles, mountResolverFiles, mountUfwFiles, resolverFiles, writeHostFiles, writeResolverFiles, writeUfwFiles } from './host-mounts.js';
import { DEFAULT_LAB_USER, ensureLabUser, lockLabUser } from './lab-user.js';
import { measureLogin } from './login-cost.js';

export type { LabHost, LabInfo, LoginCost } from './lab-files.js';
export { assignRoles, labHostName } from './lab-files.js';
export type { LabUser } from './lab-user.js';
export { DEFAULT_LAB_USER } from './lab-user.js';
export { LOGIN_COST_LIMIT_MS, measureLogin } from './login-cost.js';

export interface LabUpOptions {
  hosts: number;
  /** Roles per host, e.g. ['director,coordinator', 'proxy', 'allocator']. */
  roles?: string[];
  /** Lab folder, default `<cwd>/.lab`. */
  dir?: string;
  /** Names namespaces, veths and bridge; default 'ecep'. */
  prefix?: string;
  /** Hosts (by name) whose sshd starts with AllowTcpForwarding no. */
  noForwarding?: string[];
  /** How many hosts are set up at once (default 16). */
  parallel?: number;
  /** The non-root lab user's name (default 'ecep'). */
  user?: string;
  /** Hosts (by name) where sudo asks the lab user for its password; NOPASSWD elsewhere. */
  sudoPassword?: string[];
  /** Hosts (by name) that also get eth1 on a data network (198.18.0.128/25, a second bridge); at most 117 hosts then. */
  dataNet?: string[];
  /**
   * Hosts (by name) that get a private /etc/ufw and /etc/default/ufw (the ufw
   * package's defaults, bind-mounted in the host only), so `ufw` can run there
   * without touching this machine's. Needs the ufw package installed.
   */
  ufw?: string[];
  /**
   * IPv6 on the lab bridge too: the controller fd00:198:18::1/64, host N
   * fd00:198:18::(10+N) (a unique local address: lab-only, never routed; no
   * default route). Proxies are then probed over IPv6 as well.
   */
  ipv6?: boolean;
  /**
   * Hosts (by name) that get their own /etc/hosts (every lab host as
   * `hN.<prefix>.test`, LabHost.hostsFile) and /etc/resolv.conf (no nameserver
   * but their own loopback), so a test can take a name away from one host.
   */
  resolver?: string[];
}

export interface LabHostStatus {
  name: string;
  address: string;
  namespace: boolean;
  sshdPid?: number;
  sshdRunning: boolean;
  /** The host's init (pid 1 of its PID namespace) is running. */
  initRunning: boolean;
}

export interface LabStatus {
  dir: string;
  up: boolean;
  info?: LabInfo;
  hosts: LabHostStatus[];
}

export const DEFAULT_PREFIX = 'ecep';
export function defaultLabDir(): string {
  return path.join(process.cwd(), '.lab');
}

const LAB_FILES = ['id_ed25519', 'id_ed25519.pub', 'known_hosts', 'ssh_config', 'inventory.yml', 'lab.json'];
/** Binary -> the Debian package that has it. */
const BINARIES: Record<string, string> = {
  ip: 'iproute2',
  nft: 'nftables',
  'ssh-keygen': 'openssh-client',
  ssh: 'openssh-client',
  sshd: 'openssh-server',
  // A host's own mount and PID namespaces, and entering them.
  unshare: 'util-linux',
  nsenter: 'util-linux',
  // The lab user's sudo (become) and its account.
  sudo: 'sudo',
  useradd: 'passwd',
  chpasswd: 'passwd',
};
const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Root, and the tools the lab drives; says which apt packages to install. */
export async function checkLabEnvironment(): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new EnvironmentError('the lab needs root (network namespaces, veths, a bridge): run it as root');
  }
  const dirs = [...new Set([...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH])];
  const missing: string[] = [];
  for (const bin of Object.keys(BINARIES)) {
    let found = false;
    for (const d of dirs) {
      try {
        await access(path.join(d, bin), constants.X_OK);
        found = true;
        break;
      } catch {
        /* next */
      }
    }
    if (!found) missing.push(bin);
  }
  if (missing.length) {
    const packages = [...new Set(missing.map((b) => BINARIES[b]))];
    throw new EnvironmentError(
      `the lab needs ${missing.join(', ')}: apt-get install -y ${packages.join(' ')} ` +
        '(all of it: openssh-server openssh-client nftables iptables iproute2 util-linux sudo passwd)',
    );
  }
  // sshd's privilege separation directory; normally made by its init script.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
}

function labFile(dir: string): string {
  return path.join(dir, 'lab.json');
}

export async function readLab(dir = defaultLabDir()): Promise<LabInfo | undefined> {
  try {
    return JSON.parse(await readFile(labFile(dir), 'utf8')) as LabInfo;
  } catch {
    return undefined;
  }
}

async function writeLab(info: LabInfo): Promise<void> {
  await writeFile(labFile(info.dir), JSON.stringify(info, null, 2) + '\n');
}

function sshdHost(h: LabHost): sshd.SshdHost {
  return {
    name: h.name,
    namespace: h.namespace,
    address: h.address,
    dir: h.dir,
    allowTcpForwarding: h.allowTcpForwarding,
    ...(h.initPid ? { initPid: h.initPid } : {}),
  };
}

/**
 * Bring up `opts.hosts` lab hosts. An existing lab in the same folder, or
 * leftovers with the same prefix, are torn down first. Resolves when every
 * host's sshd accepts on port 22.
 */
export async function labUp(opts: LabUpOptions): Promise<LabInfo> {
  const started = Date.now();
  const count = opts.hosts;
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) {
    throw new EnvironmentError(`lab hosts must be 1..${MAX_HOSTS}, got ${count}`);
  }
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  checkPrefix(prefix);
  const dir = path.resolve(opts.dir ?? defaultLabDir());
  const parallel = opts.parallel ?? 16;
  await checkLabEnvironment();

  const previous = await readLab(dir);
  if (previous) await labDown(dir);
  await destroyNetwork(prefix);

  const holders = (await subnetHolders(bridgeName(prefix))).filter((d) => d !== dataBridgeName(prefix));
  if (holders.length) {
    throw new EnvironmentError(
      `another interface already holds an address on ${LAB_SUBNET} (${holders.join(', ')}): ` +
        `another lab is probably up; take it down (labDown with its dir, or ip link del ${holders[0]}) and retry`,
    );
  }

  const roles = assignRoles(count, opts.roles);
  const noFwd = new Set(opts.noForwarding ?? []);
  const passwordHosts = [...new Set(opts.sudoPassword ?? [])];
  const unknown = passwordHosts.filter((n) => !/^h\d+$/.test(n) || Number(n.slice(1)) < 1 || Number(n.slice(1)) > count);
  if (unknown.length) throw new EnvironmentError(`lab sudoPassword: no host ${unknown.join(', ')} in a lab of ${count}`);
  const dataHosts = [...new Set(opts.dataNet ?? [])];
  const badData = dataHosts.filter((n) => !/^h\d+$/.test(n) || Number(n.slice(1)) < 1 || Number(n.slice(1)) > count);
  if (badData.length) throw new EnvironmentError(`lab dataNet: no host ${badData.join(', ')} in a lab of ${count}`);
  if (dataHosts.length && count > DATA_NET_MAX_HOSTS) {
    throw new EnvironmentError(`lab dataNet: at most ${DATA_NET_MAX_HOSTS} hosts (the main network must stay below ${DATA_SUBNET}), got ${count}`);
  }
  const ufwHosts = [...new Set(opts.ufw ?? [])];
  const badUfw = ufwHosts.filter((n) => !/^h\d+$/.test(n) || Number(n.slice(1)) < 1 || Number(n.slice(1)) > count);
  if (badUfw.length) throw new EnvironmentError(`lab ufw: no host ${badUfw.join(', ')} in a lab of ${count}`);
  if (ufwHosts.length && !existsSync('/usr/sbin/ufw')) throw new EnvironmentError('lab ufw: the ufw package is not installed: apt-get install -y ufw');
  const resolverHosts = [...new Set(opts.resolver ?? [])];
  const badResolver = resolverHosts.filter((n) => !/^h\d+$/.test(n) || Number(n.slice(1)) < 1 || Number(n.slice(1)) > count);
  if (badResolver.length) throw new EnvironmentError(`lab resolver: no host ${badResolver.join(', ')} in a lab of ${count}`);
  const user = await ensureLabUser(opts.user ?? DEFAULT_LAB_USER, passwordHosts);
  const hostsDir = path.join(dir, 'hosts');
  await mkdir(hostsDir, { recursive: true });
  const keyFile = path.join(dir, 'id_ed25519');
  const info: LabInfo = {
    prefix,
    dir,
    bridge: bridgeName(prefix),
    controllerAddress: CONTROLLER_ADDRESS,
    subnet: LAB_SUBNET,
    ...(opts.ipv6 ? { ipv6: { subnet: LAB_SUBNET6, controllerAddress: CONTROLLER_ADDRESS6 } } : {}),
    ...(dataHosts.length ? { dataNet: { bridge: dataBridgeName(prefix), subnet: DATA_SUBNET, controllerAddress: DATA_CONTROLLER_ADDRESS } } : {}),
    keyFile,
    knownHostsFile: path.join(dir, 'known_hosts'),
    sshConfigFile: path.join(dir, 'ssh_config'),
    inventoryFile: path.join(dir, 'inventory.yml'),
    hosts: Array.from({ length: count }, (_, i): LabHost => {
      const n = i + 1;
      const name = `h${n}`;
      return {
        name,
        index: n,
        namespace: namespaceName(prefix, n),
        address: hostAddress(n),
        veth: vethName(prefix, n),
        dir: path.join(hostsDir, name),
        roles: roles[i] ?? ['allocator'],
        allowTcpForwarding: !noFwd.has(name),
        hostKey: '',
        sudoNeedsPassword: passwordHosts.includes(name),
        ...(dataHosts.includes(name) ? { dataAddress: dataAddress(n) } : {}),
        ...(ufwHosts.includes(name) ? { privateUfw: true } : {}),
        ...(opts.ipv6 ? { address6: hostAddress6(n) } : {}),
        ...(resolverHosts.includes(name) ? { hostsFile: resolverFiles({ name, dir: path.join(hostsDir, name) }).hosts } : {}),
      };
    }),
    createdAt: new Date().toISOString(),
    upMs: 0,
    user: { name: user.name, uid: user.uid, home: user.home, password: user.password, passwordHosts },
  };

  try {
    // Keys and network setup do not depend on each other: run them side by side.
    const keys = (async () => {
      const controllerKey = await sshd.generateKey(keyFile, `ece-preflight-lab-${prefix}`);
      await inChunks(info.hosts, parallel, async (h) => {
        await mkdir(h.dir, { recursive: true });
        h.hostKey = await sshd.generateKey(sshd.hostKeyPath(h), `${h.name}@${prefix}`);
        await writeFile(path.join(h.dir, 'authorized_keys'), `${controllerKey}\n`, { mode: 0o600 });
        await writeHostFiles(h, user, controllerKey);
        if (h.privateUfw) await writeUfwFiles(h);
        if (h.hostsFile) await writeResolverFiles(h, renderEtcHosts(info, h, info.hosts), renderResolvConf(h));
        await sshd.writeSshdConfig(sshdHost(h));
      });
    })();
    const network = (async () => {
      await createNetwork(prefix, count);
      await configureNamespaces(prefix, count, parallel);
      if (dataHosts.length) await createDataNetwork(prefix, dataHosts.map((n) => Number(n.slice(1))));
      if (opts.ipv6) await addIpv6(prefix, count, parallel);
    })();
    await Promise.all([keys, network]);

    await writeFile(info.knownHostsFile, renderKnownHosts(info.hosts));
    await writeFile(info.sshConfigFile, renderSshConfig(info, info.hosts));
    await writeFile(info.inventoryFile, renderInventory(info, info.hosts));
    await writeLab(info);

    await inChunks(info.hosts, parallel, async (h) => {
      h.initPid = (await startHostInit(h.namespace)).initPid;
      await mountHostFiles(h, h.initPid, user);
      if (h.privateUfw) await mountUfwFiles(h, h.initPid);
      if (h.hostsFile) await mountResolverFiles(h, h.initPid);
      h.sshdPid = await sshd.startSshd(sshdHost(h));
    });
    if (info.hosts[0]) await startRegistryStandIn(info.hosts[0]);
    info.upMs = Date.now() - started;
    await writeLab(info);
    info.login = await measureLogin(info, labExec);
    await writeLab(info);
    return info;
  } catch (e) {
    await writeLab(info).catch(() => undefined);
    await labDown(dir).catch(() => undefined);
    throw e;
  }
}

/**
 * Tear a lab down: end every process in its namespaces (by pid), remove the
 * namespaces, veths and bridge, and the files labUp wrote. Without lab.json,
 * cleans what exists for `prefix` (default 'ecep').
 */
export async function labDown(dir = defaultLabDir(), opts: { prefix?: string } = {}): Promise<void> {
  dir = path.resolve(dir);
  const info = await readLab(dir);
  const prefix = info?.prefix ?? opts.prefix ?? DEFAULT_PREFIX;
  checkPrefix(prefix);
  if (info) {
    await inChunks(info.hosts, 16, (h) => sshd.stopSshd(sshdHost(h)));
  }
  // Every process of the lab is in its network namespaces, inits included:
  // their PID namespaces and mounts (sudoers, homes) end with them.
  await destroyNetwork(prefix);
  if (info?.user) await lockLabUser(info.user.name);
  if (info) {
    await rm(path.join(dir, 'hosts'), { recursive: true, force: true });
    for (const f of LAB_FILES) await rm(path.join(dir, f), { force: true });
    await rmdir(dir).catch(() => undefined);
  }
}

export async function labStatus(dir = defaultLabDir()): Promise<LabStatus> {
  dir = path.resolve(dir);
  const info = await readLab(dir);
  if (!info) return { dir, up: false, hosts: [] };
  const namespaces = new Set(await listNamespaces());
  const hosts: LabHostStatus[] = [];
  for (const h of info.hosts) {
    const pid = await sshd.readPid(h);
    hosts.push({
      name: h.name,
      address: h.address,
      namespace: namespaces.has(h.namespace),
      ...(pid ? { sshdPid: pid } : {}),
      sshdRunning: pid !== undefined && isAlive(pid),
      initRunning: h.initPid !== undefined && (await isHostInit(h.initPid)),
    });
  }
  const bridgeUp = (await listLinks(info.prefix)).includes(info.bridge);
  return { dir, up: bridgeUp && hosts.every((h) => h.namespace), info, hosts };
}

/** Look a host up by name (h1) in a lab. */
export function labHost(info: LabInfo, name: string): LabHost {
  const h = info.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`lab ${info.prefix} has no host ${name} (has ${info.hosts.map((x) => x.name).join(', ')})`);
  return h;
}

/**
 * Run a command inside the host, as its sshd's sessions are: its network,
 * mount and PID namespaces (nsenter into its init), so it sees the host's rc
 * files, sudoers and processes. A string goes through `sh -c`. A host without
 * an init (a lab.json from before hosts had one) gets `ip netns exec`.
 */
export function labExec(host: LabHost, cmd: string | readonly string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const argv = typeof cmd === 'string' ? ['sh', '-c', cmd] : [...cmd];
  const enter = host.initPid ? nsenterArgv(host.initPid) : ['ip', 'netns', 'exec', host.namespace];
  return run([...enter, ...argv], { ...opts, check: false });
}

/** Is `pid` (as the host's PID namespace numbers it) alive on the host? */
export async function labPidAlive(host: LabHost, pid: number): Promise<boolean> {
  const r = await labExec(host, ['sh', '-c', `[ -d /proc/${Math.trunc(pid)} ] && ! grep -q '^State:.*[ZX]' /proc/${Math.trunc(pid)}/status`]);
  return r.code === 0;
}

export async function stopSshd(host: LabHost): Promise<void> {
  await sshd.stopSshd(sshdHost(host));
  delete host.sshdPid;
}

export async function startSshd(host: LabHost): Promise<number> {
  await sshd.writeSshdConfig(sshdHost(host));
  host.sshdPid = await sshd.startSshd(sshdHost(host));
  return host.sshdPid;
}

export async function restartSshd(host: LabHost): Promise<number> {
  await stopSshd(host);
  return startSshd(host);
}

/** Rewrite AllowTcpForwarding and restart the host's sshd (open sessions stay). */
export async function setForwarding(host: LabHost, allowed: boolean): Promise<void> {
  host.allowTcpForwarding = allowed;
  await restartSshd(host);
}

/**
 * Give the host a new ed25519 key and restart its sshd. known_hosts is NOT
 * updated: clients that remember the old key must see it as changed.
 * Returns the new public key line.
 */
export async function regenerateHostKey(host: LabHost): Promise<string> {
  host.hostKey = await sshd.generateKey(sshd.hostKeyPath(host), `${host.name}@regenerated`);
  await restartSshd(host);
  return host.hostKey;
}

/** Append a line to the lab's known_hosts (e.g. to re-trust a regenerated key). */
export async function trustHostKey(info: LabInfo, host: LabHost): Promise<void> {
  await appendFile(info.knownHostsFile, renderKnownHosts([host]));
}

export function labExists(dir = defaultLabDir()): boolean {
  return existsSync(labFile(path.resolve(dir)));
}
