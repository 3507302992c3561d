import { createHash } from 'node:crypto';
import type { FirewallBackend, HostFacts, PortInUse } from './facts-types.js';

/**
 * Facts, pyinfra style: one command gathers everything in sections, and a
 * pure parser turns the output into data (tested on captured output).
 * Every probe is read-only and tolerates a missing tool.
 */
/**
 * Sets $P to the python3 the host agent runs with: /usr/bin/python3 first (a
 * version manager's shim on PATH costs a process tree per call), then RHEL 8's
 * platform-python (there even when a minimal install has no python3), then PATH.
 */
export const PICK_PYTHON =
  'P=/usr/bin/python3; [ -x "$P" ] || P=/usr/libexec/platform-python; [ -x "$P" ] || P=python3';

// `id -u` once. /proc values stay with cat: dash's `read` takes a byte per
// read(2), and /proc/sys/net files answer a read at offset 1 with EOF.
const UID_LINE = 'U_=$(id -u); echo "##uid"; echo "$U_"';

/** The firewall's sections (backend, managers, rules), also read again after the firewall module changed them. */
const FIREWALL_LINES = [
  'echo "##firewalld"; command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state 2>&1',
  // Only whether ufw is installed: `ufw status` is a Python program (~40 ms of
  // CPU per host) whose "active" means iptables holds its ufw-user-* chains,
  // which the iptables section below already shows (see ufwChainsLoaded).
  'echo "##ufw"; command -v ufw >/dev/null 2>&1 && echo present',
  'echo "##nft"; command -v nft >/dev/null 2>&1 && echo present && nft list ruleset 2>/dev/null',
  'echo "##iptables"; command -v iptables >/dev/null 2>&1 && echo present && iptables -S 2>/dev/null',
];

/** The firewall facts alone (`##uid` too: whether the rules were visible): parseFacts(...).firewall. */
export const FIREWALL_FACTS_COMMAND = [UID_LINE, ...FIREWALL_LINES, 'true'].join('\n');

export const FACTS_COMMAND = [
  'echo "##os"; (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")',
  UID_LINE,
  // Who would run the installer: the login user, also under sudo (SUDO_*); name uid gid.
  'echo "##installuser"; echo "${SUDO_USER:-$(id -un)} ${SUDO_UID:-$U_} ${SUDO_GID:-$(id -g)}"',
  'echo "##kernel"; uname -sr',
  'echo "##ipv6"; cat /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null',
  'echo "##docker"; command -v docker 2>/dev/null; [ -S /var/run/docker.sock ] && echo socket',
  ...FIREWALL_LINES,
  'echo "##listening"; ss -ltnpH 2>/dev/null',
  'echo "##portrange"; cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null',
  `echo "##python"; ${PICK_PYTHON}; "$P" --version 2>&1`,
  // The host's own addresses: ece_host_ip must be one of them. `hostname -I` where iproute2 is missing.
  'echo "##addrs"; ip -o addr show 2>/dev/null || hostname -I 2>/dev/null',
  'true',
].join('\n');

/**
 * What `ufw status` calls active (ufw's backend_iptables.get_status): iptables
 * has its ufw-user-input, -output and -forward chains. Read from `iptables -S`
 * (`-N <chain>` lines) instead of running ufw; needs root, as ufw status does.
 */
export function ufwChainsLoaded(iptablesS: string[]): boolean {
  const chains = new Set(iptablesS.filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim()));
  return ['input', 'output', 'forward'].every((d) => chains.has(`ufw-user-${d}`));
}

/** Split `##name` sections. */
function sections(output: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^##([a-z0-9-]+)$/.exec(line);
    if (m) map.set(m[1]!, (current = []));
    else if (current && line.trim()) current.push(line);
  }
  return map;
}

/** `ss -ltnpH` lines -> ports in use with the process when ss tells. */
export function parseListening(lines: string[]): PortInUse[] {
  const seen = new Map<number, PortInUse>();
  for (const line of lines) {
    const cols = line.trim().split(/\s+/);
    // State Recv-Q Send-Q Local:Port Peer:Port [Process]
    const local = cols[3];
    if (!local) continue;
    const port = Number(local.slice(local.lastIndexOf(':') + 1));
    if (!Number.isInteger(port) || port <= 0) continue;
    const proc = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
    if (!seen.has(port)) seen.set(port, proc ? { port, process: `${proc[1]}(${proc[2]})` } : { port });
  }
  return [...seen.values()].sort((a, b) => a.port - b.port);
}

/**
 * `ip -o addr show` lines (`2: eth0    inet 10.0.0.5/24 brd ... scope global eth0`)
 * or `hostname -I`'s one line of addresses -> the addresses, without prefix
 * length or zone, in order, once each.
 */
export function parseAddresses(lines: string[]): string[] {
  const out = new Set<string>();
  for (const line of lines) {
    const m = /\binet6?\s+([0-9A-Fa-f.:]+)(?:\/\d+)?/.exec(line);
    if (m?.[1]) {
      out.add(m[1].toLowerCase());
      continue;
    }
    if (/^\d+:\s/.test(line)) continue; // an `ip -o` line without an address
    for (const word of line.trim().split(/\s+/)) {
      if (/^[0-9A-Fa-f.:]+$/.test(word) && (word.includes('.') || word.includes(':'))) out.add(word.toLowerCase());
    }
  }
  return [...out];
}

/**
 * Global IPv6 addresses from the same lines: `ip -o addr`'s `inet6 ... scope
 * global` (ULA fdxx:: is global scope too), or from `hostname -I` every IPv6
 * address that is not loopback or link-local. Deprecated and tentative
 * addresses are left out: nothing can connect to them yet (or any more).
 */
export function parseGlobalIpv6(lines: string[]): string[] {
  const out = new Set<string>();
  for (const line of lines) {
    const m = /\binet6\s+([0-9A-Fa-f:]+)(?:\/\d+)?/.exec(line);
    if (m?.[1]) {
      if (/\bscope global\b/.test(line) && !/\b(tentative|deprecated|dadfailed)\b/.test(line)) out.add(m[1].toLowerCase());
      continue;
    }
    if (/^\d+:\s/.test(line)) continue;
    for (const word of line.trim().split(/\s+/)) {
      const w = word.toLowerCase();
      if (/^[0-9a-f:]+$/.test(w) && w.includes(':') && w !== '::1' && !/^fe[89ab][0-9a-f]:/.test(w)) out.add(w);
    }
  }
  return [...out];
}

/** A host's global IPv6 addresses when IPv6 is on: what an IPv6 probe can go to or come from. */
export function usableIpv6(facts: HostFacts | undefined): string[] | undefined {
  return facts?.ipv6?.enabled ? facts.ipv6.addresses : undefined;
}

function countNftRules(lines: string[]): number {
  // A rule is a statement line inside a chain: not a table/chain/type/policy/brace line.
  return lines.filter((l) => {
    const t = l.trim();
    return t && !/^(table|chain|type|policy|set|map|elements|flags|}|\{)/.test(t) && !t.endsWith('{');
  }).length;
}

/**
 * The rules in force (nft's and iptables'), as 16 hex digits of their
 * SHA-256, counters and set-element timeouts left out: two reads of an
 * unchanged firewall agree, and a rule changed in place (same count, other
 * port) does not. `--changed` compares it with the last run's.
 */
export function rulesFingerprint(nft: readonly string[], iptables: readonly string[]): string {
  const norm = (l: string) => l.trim().replace(/\bcounter packets \d+ bytes \d+/g, 'counter').replace(/ expires \S+/g, '');
  const h = createHash('sha256');
  for (const l of nft) h.update(`${norm(l)}\n`);
  h.update('\0');
  for (const l of iptables) h.update(`${norm(l)}\n`);
  return h.digest('hex').slice(0, 16);
}

export function parseFacts(output: string): HostFacts {
  const s = sections(output);
  const first = (name: string) => s.get(name)?.[0]?.trim();
  const facts: HostFacts = {};
  const os = first('os');
  if (os) facts.os = os;
  const kernel = first('kernel');
  if (kernel) facts.kernel = kernel;
  const v6 = first('ipv6');
  const v6global = parseGlobalIpv6(s.get('addrs') ?? []);
  facts.ipv6 = { enabled: v6 !== undefined && v6 === '0', ...(v6global.length ? { addresses: v6global } : {}) };
  const docker = s.get('docker') ?? [];
  facts.docker = { present: docker.some((l) => l.includes('/')), socket: docker.includes('socket') };
  const firewalldActive = first('firewalld') === 'running';
  const nft = s.get('nft') ?? [];
  const ipt = s.get('iptables') ?? [];
  const ufwActive = first('ufw') === 'present' && ufwChainsLoaded(ipt);
  const nftRules = countNftRules(nft.filter((l) => l !== 'present'));
  const iptablesRules = ipt.filter((l) => l.startsWith('-A ')).length;
  // The backend is where rules would be written: a firewall manager when one
  // runs, else whichever raw tool already holds rules, else whichever exists.
  const backend: FirewallBackend = firewalldActive
    ? 'firewalld'
    : ufwActive
      ? 'ufw'
      : nftRules > 0
        ? 'nftables'
        : iptablesRules > 0
          ? 'iptables'
          : nft[0] === 'present'
            ? 'nftables'
            : ipt[0] === 'present'
              ? 'iptables'
              : 'none';
  // nft and iptables need root to list rules: without become, zero rules means "not seen", not "none".
  const uid = first('uid');
  const rulesVisible = uid === undefined || uid === '0';
  facts.firewall = {
    backend,
    firewalldActive,
    ufwActive,
    nftRules,
    iptablesRules,
    ...(rulesVisible ? { rulesHash: rulesFingerprint(nft.filter((l) => l !== 'present'), ipt.filter((l) => l !== 'present')) } : { rulesVisible: false }),
  };
  facts.listening = parseListening(s.get('listening') ?? []);
  const range = first('portrange')?.split(/\s+/).map(Number);
  if (range && range.length === 2 && range.every(Number.isFinite)) facts.localPortRange = [range[0]!, range[1]!];
  const addrs = parseAddresses(s.get('addrs') ?? []);
  if (addrs.length) facts.addresses = addrs;
  const iu = first('installuser')?.split(/\s+/);
  if (iu && iu.length === 3 && /^\d+$/.test(iu[1]!) && /^\d+$/.test(iu[2]!)) facts.installUser = { name: iu[0]!, uid: Number(iu[1]), gid: Number(iu[2]) };
  const py = first('python');
  if (py && /^Python \d/.test(py)) facts.python = py.replace(/^Python /, '');
  return facts;
}
