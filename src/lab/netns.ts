import { readFileSync } from 'node:fs';
import { run, inChunks } from './run.js';

/**
 * The lab's network: one bridge in the root namespace (the controller's side,
 * 198.18.0.1/24) and one namespace per host, joined by a veth pair. Addresses
 * stay in 198.18.0.0/24 (RFC 2544 benchmark range); there is no default route,
 * no NAT and ip_forward is left alone, so nothing can leave the machine.
 */
export const LAB_SUBNET = '198.18.0.0/24';
export const CONTROLLER_ADDRESS = '198.18.0.1';
export const MAX_HOSTS = 244;

export function bridgeName(prefix: string): string {
  return `${prefix}-br0`;
}
export function namespaceName(prefix: string, n: number): string {
  return `${prefix}-h${n}`;
}
/** Root-side end of host n's veth pair; the namespace side is always eth0. */
export function vethName(prefix: string, n: number): string {
  return `${prefix}-v${n}`;
}
/**
 * The optional data network (labUp's `dataNet`): a second bridge with the
 * upper half of the lab range, 198.18.0.128/25, as fleets with a management
 * and a data network have (ECE installed with --host-ip on the data one).
 * Still inside 198.18.0.0/24: no default route, no NAT. The main network's
 * host addresses must stay below it, so a lab with a data network has at
 * most DATA_NET_MAX_HOSTS hosts.
 */
export const DATA_SUBNET = '198.18.0.128/25';
export const DATA_CONTROLLER_ADDRESS = '198.18.0.129';
export const DATA_NET_MAX_HOSTS = 117;

export function dataBridgeName(prefix: string): string {
  return `${prefix}-br1`;
}
/** Root-side end of host n's data veth; the namespace side is eth1. */
export function dataVethName(prefix: string, n: number): string {
  return `${prefix}-d${n}`;
}
export function dataAddress(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > DATA_NET_MAX_HOSTS) throw new Error(`lab data-network host index ${n} out of range 1..${DATA_NET_MAX_HOSTS}`);
  return `198.18.0.${129 + n}`;
}

/** The data bridge (controller 198.18.0.129/25) and an eth1 on it for each host index in `hosts`. */
export async function createDataNetwork(prefix: string, hosts: readonly number[]): Promise<void> {
  const br = dataBridgeName(prefix);
  const lines = [`link add ${br} type bridge`, `addr add ${DATA_CONTROLLER_ADDRESS}/25 dev ${br}`, `link set ${br} up`];
  for (const n of hosts) {
    const veth = dataVethName(prefix, n);
    lines.push(`link add ${veth} type veth peer name eth1 netns ${namespaceName(prefix, n)}`);
    lines.push(`link set ${veth} master ${br}`, `link set ${veth} up`);
  }
  await run(['ip', '-batch', '-'], { stdin: lines.join('\n') + '\n' });
  for (const n of hosts) {
    await run(['ip', '-n', namespaceName(prefix, n), '-batch', '-'], { stdin: `addr add ${dataAddress(n)}/25 dev eth1\nlink set eth1 up\n` });
  }
}

/**
 * The lab's optional IPv6 (labUp's `ipv6`): a unique local /64 (RFC 4193,
 * fd00::/8, never routed) on the same bridge, the controller at ::1 and host
 * N at ::(10+N), the IPv4 address's last octet in hex digits' clothing. No
 * default route, no other prefix: only the bridge's link is reachable.
 */
export const LAB_SUBNET6 = 'fd00:198:18::/64';
export const CONTROLLER_ADDRESS6 = 'fd00:198:18::1';
export function hostAddress6(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOSTS) throw new Error(`lab host index ${n} out of range 1..${MAX_HOSTS}`);
  return `fd00:198:18::${10 + n}`;
}

/**
 * IPv6 on the bridge and every host's eth0 (nodad: usable at once, the lab
 * assigns unique addresses itself), with permanent neighbour entries as for
 * IPv4 (one shared neighbour table: see neighbourLines).
 */
export async function addIpv6(prefix: string, count: number, parallel = 16): Promise<void> {
  const br = bridgeName(prefix);
  const lines = [`addr add ${CONTROLLER_ADDRESS6}/64 dev ${br} nodad`];
  for (let n = 1; n <= count; n++) lines.push(`neigh replace ${hostAddress6(n)} lladdr ${labMac(n)} dev ${br} nud permanent`);
  await run(['ip', '-batch', '-'], { stdin: lines.join('\n') + '\n' });
  const indexes = Array.from({ length: count }, (_, i) => i + 1);
  await inChunks(indexes, parallel, async (n) => {
    const own = [`addr add ${hostAddress6(n)}/64 dev eth0 nodad`];
    for (let m = 0; m <= count; m++) {
      if (m !== n) own.push(`neigh replace ${m === 0 ? CONTROLLER_ADDRESS6 : hostAddress6(m)} lladdr ${labMac(m)} dev eth0 nud permanent`);
    }
    await run(['ip', '-n', namespaceName(prefix, n), '-batch', '-'], { stdin: own.join('\n') + '\n' });
  });
}

export function hostAddress(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOSTS) throw new Error(`lab host index ${n} out of range 1..${MAX_HOSTS}`);
  return `198.18.0.${10 + n}`;
}

/**
 * A fixed MAC per lab host (n >= 1) and for the bridge (n = 0), so every
 * namespace can hold permanent neighbour entries for the others (see
 * configureNamespaces).
 */
export function labMac(n: number): string {
  return `02:ec:c6:12:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
}

/** Interface names are limited to 15 bytes; `${prefix}-v244` must fit. */
export function checkPrefix(prefix: string): void {
  if (!/^[a-z][a-z0-9]{0,9}$/.test(prefix)) {
    throw new Error(`lab prefix '${prefix}' must be 1-10 lowercase letters or digits, starting with a letter`);
  }
}

/** Root-namespace side, in one `ip -batch` call: bridge, namespaces, veths. */
export async function createNetwork(prefix: string, count: number): Promise<void> {
  const br = bridgeName(prefix);
  const lines = [
    `link add ${br} address ${labMac(0)} type bridge`,
    `addr add ${CONTROLLER_ADDRESS}/24 dev ${br}`,
    `link set ${br} up`,
  ];
  for (let n = 1; n <= count; n++) {
    const ns = namespaceName(prefix, n);
    const veth = vethName(prefix, n);
    lines.push(`netns add ${ns}`);
    lines.push(`link add ${veth} type veth peer name eth0 address ${labMac(n)} netns ${ns}`);
    lines.push(`link set ${veth} master ${br}`);
    lines.push(`link set ${veth} up`);
  }
  lines.push(...neighbourLines(count, 0, br));
  await run(['ip', '-batch', '-'], { stdin: lines.join('\n') + '\n' });
}

/**
 * Permanent neighbour entries from host `self` (0: the controller's bridge) to
 * every other lab address. Linux keeps one ARP table for all namespaces with
 * one global limit (gc_thresh3, 1024 by default): at 50 hosts a full mesh
 * needs ~2,500 entries, the table overflows and SYNs are dropped ("neighbor
 * table overflow"), which a sweep would report as filtered. Separate machines
 * have no such shared limit, and permanent entries are exempt from it.
 */
function neighbourLines(count: number, self: number, dev: string): string[] {
  const lines: string[] = [];
  for (let n = 0; n <= count; n++) {
    if (n === self) continue;
    const addr = n === 0 ? CONTROLLER_ADDRESS : hostAddress(n);
    lines.push(`neigh replace ${addr} lladdr ${labMac(n)} dev ${dev} nud permanent`);
  }
  return lines;
}

/** Inside each namespace: lo up, eth0 addressed and up, static neighbours, empty nftables ruleset. */
export async function configureNamespaces(prefix: string, count: number, parallel = 16): Promise<void> {
  const indexes = Array.from({ length: count }, (_, i) => i + 1);
  await inChunks(indexes, parallel, async (n) => {
    const ns = namespaceName(prefix, n);
    const lines = ['link set lo up', `addr add ${hostAddress(n)}/24 dev eth0`, 'link set eth0 up', ...neighbourLines(count, n, 'eth0')];
    await run(['ip', '-n', ns, '-batch', '-'], { stdin: lines.join('\n') + '\n' });
    await run(['ip', 'netns', 'exec', ns, 'nft', 'flush', 'ruleset']);
  });
}

export async function listNamespaces(): Promise<string[]> {
  const res = await run(['ip', 'netns', 'list'], { check: false });
  return res.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Names of root-namespace links whose name starts with `${prefix}-`. */
export async function listLinks(prefix: string): Promise<string[]> {
  const res = await run(['ip', '-o', 'link', 'show'], { check: false });
  const names: string[] = [];
  for (const line of res.stdout.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (m?.[1] && m[1].startsWith(`${prefix}-`)) names.push(m[1]);
  }
  return names;
}

/** Root-namespace interfaces other than `exceptDev` holding an address in the lab subnet. */
export async function subnetHolders(exceptDev?: string): Promise<string[]> {
  const res = await run(['ip', '-4', '-o', 'addr', 'show'], { check: false });
  const holders: string[] = [];
  for (const line of res.stdout.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+198\.18\.0\.\d+\//.exec(line);
    if (m?.[1] && m[1] !== exceptDev) holders.push(m[1]);
  }
  return holders;
}

/** PIDs of every process whose network namespace is `ns`. */
export async function namespacePids(ns: string): Promise<number[]> {
  const res = await run(['ip', 'netns', 'pids', ns], { check: false });
  return res.stdout
    .split('\n')
    .map((l) => Number.parseInt(l.trim(), 10))
    .filter((p) => Number.isInteger(p) && p > 1);
}

/**
 * A zombie counts as gone: detached sshds outlive the process that spawned
 * them, and the container's init may reap orphans late.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGTERM each pid, wait up to `graceMs`, then SIGKILL whatever is left. */
export async function killPids(pids: readonly number[], graceMs = 2000): Promise<void> {
  const live = pids.filter((p) => p > 1 && p !== process.pid);
  for (const p of live) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && live.some(isAlive)) await sleep(25);
  for (const p of live.filter(isAlive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const killDeadline = Date.now() + 1000;
  while (Date.now() < killDeadline && live.some(isAlive)) await sleep(25);
}

/**
 * Remove namespaces (after ending every process inside them), veths and the
 * bridge for `prefix`. Works from what exists, so it also cleans a lab whose
 * lab.json was lost.
 */
export async function destroyNetwork(prefix: string): Promise<void> {
  const nsRe = new RegExp(`^${prefix}-h\\d+$`);
  const namespaces = (await listNamespaces()).filter((n) => nsRe.test(n));
  await inChunks(namespaces, 16, async (ns) => {
    await killPids(await namespacePids(ns));
  });
  const linkRe = new RegExp(`^${prefix}-(v\\d+|d\\d+|br0|br1)$`);
  const isBridge = (l: string): boolean => /-br[01]$/.test(l);
  const links = (await listLinks(prefix)).filter((l) => linkRe.test(l));
  const lines = [
    ...links.filter((l) => !isBridge(l)).map((l) => `link del ${l}`),
    ...namespaces.map((ns) => `netns del ${ns}`),
    ...links.filter(isBridge).map((l) => `link del ${l}`),
  ];
  if (lines.length === 0) return;
  // -force: keep going when a veth already vanished with its namespace.
  await run(['ip', '-force', '-batch', '-'], { stdin: lines.join('\n') + '\n', check: false });
  const left = (await listLinks(prefix)).filter((l) => linkRe.test(l));
  const leftNs = (await listNamespaces()).filter((n) => nsRe.test(n));
  if (left.length || leftNs.length) {
    throw new Error(`lab ${prefix}: could not remove ${[...leftNs, ...left].join(', ')}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
