import type { HostCheckRecord } from '../engine/host-check.js';
import type { PlannedHost, PlannedRequirement, Probe } from '../plan/types.js';
import { CONTROLLER } from '../plan/types.js';
import { PICK_PYTHON } from './facts.js';
import { PYTHON_FLAGS } from './host-agent-script.js';
import { outcomeOfErrno, type ProbeOutcome } from './probe-outcome.js';

/**
 * Bandwidth between data centers (the seed: "A network bandwidth of at least
 * 10 Gigabit"), with --bandwidth only: one pair per pair of zones, one TCP
 * stream from the source host to one of the destination's listeners (the
 * host agent reads and discards what a connection sends), bounded in time
 * and bytes, one pair at a time across the fleet so pairs do not share a
 * link. The figure is bytes over the time until the destination has read
 * them all (the sender shuts its side and waits for the sink to close), so
 * socket buffers do not inflate it. Pure here: which pairs, the command,
 * reading its line, and the judgement.
 */
export const BANDWIDTH_REQUIREMENT_KIND = 'min-bandwidth-gbit';

export interface BandwidthPair {
  requirement: string;
  from: string;
  to: string;
  fromZone: string;
  toZone: string;
  /** Where to send: the destination's probe address. */
  address: string;
  /** Ports of the destination the plan has a listener on and the source must reach, in plan order: the first that probed ok is used. */
  ports: number[];
  minGbit: number;
}

/**
 * One pair per pair of zones: the first source host (fleet order) of one zone
 * with a planned open path to a listener of a host of the other; a pair of
 * zones with no such path gets none (its record says so).
 */
export function bandwidthPairs(reqs: readonly PlannedRequirement[], hosts: readonly PlannedHost[], probes: readonly Probe[]): { pairs: BandwidthPair[]; unpaired: { requirement: string; zones: [string, string] }[] } {
  const pairs: BandwidthPair[] = [];
  const unpaired: { requirement: string; zones: [string, string] }[] = [];
  const byName = new Map(hosts.map((h) => [h.host.name, h]));
  for (const r of reqs) {
    if (r.kind !== BANDWIDTH_REQUIREMENT_KIND || !r.measure || typeof r.value !== 'number') continue;
    const members = r.hosts.map((n) => byName.get(n)).filter((h): h is PlannedHost => !!h && !!h.host.zone);
    const zones = [...new Set(members.map((h) => h.host.zone!))].sort();
    for (let i = 0; i < zones.length; i++) {
      for (let j = i + 1; j < zones.length; j++) {
        const [za, zb] = [zones[i]!, zones[j]!];
        const found = pairBetween(members, za, zb, probes) ?? pairBetween(members, zb, za, probes);
        if (found) pairs.push({ requirement: r.requirement, ...found, minGbit: r.value });
        else unpaired.push({ requirement: r.requirement, zones: [za, zb] });
      }
    }
  }
  return { pairs, unpaired };
}

function pairBetween(members: readonly PlannedHost[], fromZone: string, toZone: string, probes: readonly Probe[]): Omit<BandwidthPair, 'requirement' | 'minGbit'> | undefined {
  for (const a of members.filter((h) => h.host.zone === fromZone)) {
    for (const b of members.filter((h) => h.host.zone === toZone)) {
      const listening = new Set(b.listeners.map((l) => l.port));
      const ports = probes
        .filter((p) => p.from === a.host.name && p.to === b.host.name && p.from !== CONTROLLER && p.expect === 'open' && !p.family && listening.has(p.port))
        .map((p) => p.port);
      if (ports.length) return { from: a.host.name, to: b.host.name, fromZone, toZone, address: b.host.address, ports: [...new Set(ports)] };
    }
  }
  return undefined;
}

/** The bounds of one transfer. */
export interface TransferBounds {
  seconds: number;
  maxBytes: number;
}

export const DEFAULT_BANDWIDTH_SECONDS = 2;
export const DEFAULT_BANDWIDTH_MB = 1024;

/**
 * The sender: connect, send zeros until `seconds` or `maxBytes`, shut the
 * write side, wait (bounded) for the sink to close, print
 * `BW <bytes> <ms> <outcome> <detail>`. The target comes over stdin
 * (`address port ms bytes`), so only digits and base64 reach the shell.
 */
const SENDER_PY = String.raw`
import errno, os, select, sys, time
import _socket as so
a, p, ms, mx = sys.stdin.readline().split()
p = int(p); limit = int(ms) / 1000.0; mx = int(mx)
def done(sent, t, outcome, detail):
    os.write(1, ('BW %d %d %s %s\n' % (sent, int(t * 1000), outcome, detail)).encode())
    sys.exit(0)
try:
    ai = so.getaddrinfo(a, p, 0, so.SOCK_STREAM)
    fam, addr = ai[0][0], ai[0][4]
    v4 = [x for x in ai if x[0] == so.AF_INET]
    if v4:
        fam, addr = v4[0][0], v4[0][4]
except so.gaierror as e:
    done(0, 0, 'unresolved', 'EAI_%s' % (e.args[0] if e.args else '?'))
s = so.socket(fam, so.SOCK_STREAM)
s.settimeout(5.0)
try:
    s.connect(addr)
except OSError as e:
    done(0, 0, 'connect', errno.errorcode.get(e.errno or 0, 'ETIMEDOUT' if e.errno is None else str(e.errno)))
buf = bytes(262144)
view = memoryview(buf)
sent = 0
t0 = time.time()
end = t0 + limit
s.setblocking(False)
while sent < mx:
    now = time.time()
    if now >= end:
        break
    r, w, x = select.select([], [s], [], end - now)
    if not w:
        break
    try:
        sent += s.send(view[:min(len(buf), mx - sent)])
    except BlockingIOError:
        continue
    except OSError as e:
        done(sent, time.time() - t0, 'reset', errno.errorcode.get(e.errno or 0, str(e.errno)))
try:
    s.shutdown(so.SHUT_WR)
except OSError:
    pass
# Until the sink has read everything and closed: what was buffered is counted in the time.
drain = time.time() + max(2.0, limit * 2)
while True:
    now = time.time()
    if now >= drain:
        done(sent, now - t0, 'drain', 'timeout')
    r, w, x = select.select([s], [], [], drain - now)
    if not r:
        continue
    try:
        if not s.recv(65536):
            break
    except BlockingIOError:
        continue
    except OSError:
        break
done(sent, time.time() - t0, 'ok', '-')
`;

const SENDER_B64 = Buffer.from(SENDER_PY, 'utf8').toString('base64');

/** The sender's command (digits and base64 only) and its stdin. */
export function bandwidthCommand(address: string, port: number, bounds: TransferBounds): { command: string; stdin: string } {
  if (/\s/.test(address) || !address) throw new Error(`bandwidth: bad address ${JSON.stringify(address)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bandwidth: bad port ${port}`);
  const ms = Math.max(100, Math.round(bounds.seconds * 1000));
  const bytes = Math.max(1, Math.floor(bounds.maxBytes));
  return {
    command: [PICK_PYTHON, `exec "$P" ${PYTHON_FLAGS} -c "import binascii;exec(binascii.a2b_base64('${SENDER_B64}'))"`].join('\n'),
    stdin: `${address} ${port} ${ms} ${bytes}\n`,
  };
}

export interface TransferResult {
  bytes: number;
  ms: number;
  /** ok; connect / unresolved (nothing sent); reset (the peer closed mid-way); drain (the sink never finished reading). */
  outcome: 'ok' | 'connect' | 'unresolved' | 'reset' | 'drain';
  detail?: string;
}

/** The sender's one line; undefined when it printed none (python3 missing, killed). */
export function parseTransferLine(stdout: string): TransferResult | undefined {
  const m = /^BW (\d+) (\d+) (ok|connect|unresolved|reset|drain) (\S+)$/m.exec(stdout);
  if (!m) return undefined;
  return { bytes: Number(m[1]), ms: Number(m[2]), outcome: m[3] as TransferResult['outcome'], ...(m[4] !== '-' ? { detail: m[4] } : {}) };
}

/** Gbit/s, two significant decimals (0 when no time passed). */
export function gbitPerSecond(bytes: number, ms: number): number {
  return ms > 0 ? (bytes * 8) / (ms * 1e6) : 0;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;

/** One record per pair: pass at or over the minimum, warn under it; not checked when nothing could be measured. */
export function judgeBandwidth(p: BandwidthPair, port: number, r: TransferResult | undefined, bounds: TransferBounds, why?: string): HostCheckRecord {
  const base = { kind: 'requirement' as const, id: p.requirement, host: p.from };
  const path = `${p.from} (${p.fromZone}) -> ${p.to} (${p.toZone}) ${p.address}:${port}`;
  if (!r) return { ...base, status: 'not-checked', message: `${path}: could not measure (${why ?? 'no answer from the sender'})` };
  if (r.outcome === 'connect' || r.outcome === 'unresolved') {
    const outcome: ProbeOutcome = r.outcome === 'unresolved' ? 'unresolved' : outcomeOfErrno(r.detail);
    return { ...base, status: 'not-checked', message: `${path}: could not connect (${outcome}${r.detail ? `, ${r.detail}` : ''}); the port checks say why` };
  }
  if (r.outcome === 'reset') return { ...base, status: 'not-checked', message: `${path}: the connection was closed after ${mb(r.bytes)} (${r.detail ?? 'reset'}): not our listener, or something in between cut it` };
  if (r.outcome === 'drain') return { ...base, status: 'not-checked', message: `${path}: the receiver did not finish reading ${mb(r.bytes)} in time` };
  const gbit = gbitPerSecond(r.bytes, r.ms);
  const capped = `capped at ${bounds.seconds} s or ${Math.round(bounds.maxBytes / 2 ** 20)} MiB`;
  const text = `${path}: ${gbit.toFixed(gbit < 1 ? 3 : 2)} Gbit/s over one TCP stream (${mb(r.bytes)} in ${(r.ms / 1000).toFixed(2)} s, ${capped})`;
  if (gbit >= p.minGbit) return { ...base, status: 'pass', message: text };
  return {
    ...base,
    status: 'warn',
    message: `${text}: under the ${p.minGbit} Gbit/s the seed asks between data centers (one stream is a floor, not the link's capacity: check the link and any shaping in between)`,
  };
}

/** A pair of zones without a host pair to measure: named, never passed. */
export function unpairedRecord(u: { requirement: string; zones: [string, string] }): HostCheckRecord {
  return { kind: 'requirement', id: u.requirement, status: 'not-checked', message: `zones ${u.zones[0]} and ${u.zones[1]}: no planned open path to a listener between their hosts to measure over` };
}
