import type { HostCheckRecord } from '../engine/host-check.js';
import type { FleetHost } from '../model/fleet.js';
import type { PlannedRequirement } from '../plan/types.js';
import type { ProbeResult } from './probe-outcome.js';

/**
 * Round trip between hosts, as the seed asks: under 10 ms among all
 * directors (and no loss), under 10 ms across data centers. Measured from
 * the host agents with repeated TCP connects to the peer's SSH port (a
 * connect is one round trip: SYN out, SYN-ACK back; no ICMP, no extra
 * software), `samples` each, one at a time so the figure is latency, not
 * queueing. Pure: which pairs, and the judgement of their samples.
 */
export interface RttPair {
  requirement: string;
  from: string;
  to: string;
  address: string;
  port: number;
  maxMs: number;
  /** Directors: a lost sample fails the pair (no packet loss). */
  lossFails: boolean;
}

/** Pairs to measure: every ordered pair of directors; across zones, up to `perZonePair` pairs per pair of zones. */
export function rttPairs(reqs: readonly PlannedRequirement[], hosts: readonly FleetHost[], perZonePair = 3): RttPair[] {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const out: RttPair[] = [];
  for (const r of reqs) {
    if (r.kind !== 'max-rtt-ms' || typeof r.value !== 'number') continue;
    const members = r.hosts.map((n) => byName.get(n)).filter((h): h is FleetHost => !!h);
    const pair = (a: FleetHost, b: FleetHost, lossFails: boolean): RttPair => ({ requirement: r.requirement, from: a.name, to: b.name, address: b.address, port: b.port, maxMs: r.value as number, lossFails });
    if (!r.acrossZones) {
      // Among all of them (directors): every ordered pair, and a lost connect fails.
      for (const a of members) for (const b of members) if (a !== b) out.push(pair(a, b, true));
      continue;
    }
    const seen = new Map<string, number>();
    for (const a of members) {
      for (const b of members) {
        if (a === b || !a.zone || !b.zone || a.zone === b.zone) continue;
        const key = [a.zone, b.zone].sort().join('|');
        if ((seen.get(key) ?? 0) >= perZonePair) continue;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        out.push(pair(a, b, false));
      }
    }
  }
  return out;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** One record per pair: median and p95 of the connects that answered, and how many were lost. */
export function judgeRtt(p: RttPair, samples: readonly ProbeResult[]): HostCheckRecord {
  const answered = samples.filter((s) => s.outcome === 'open' || s.outcome === 'refused').map((s) => s.ms).sort((a, b) => a - b);
  const lost = samples.length - answered.length;
  const base = { kind: 'requirement' as const, id: p.requirement, host: p.from };
  const path = `${p.from} -> ${p.to} (${p.address}:${p.port})`;
  if (answered.length === 0) return { ...base, status: 'fail', message: `${path}: no answer in ${samples.length} connects` };
  const median = percentile(answered, 50);
  const p95 = percentile(answered, 95);
  const text = `${path}: median ${median} ms, p95 ${p95} ms over ${answered.length} connects${lost ? `, ${lost} lost` : ''}`;
  // The typical round trip is the seed's measure ("during pings"): a median at or over the limit fails;
  // a p95 over it with a good median is jitter (one slow connect on a busy host), a warning.
  if (median >= p.maxMs) return { ...base, status: 'fail', message: `${text}: needs under ${p.maxMs} ms` };
  if (p95 >= p.maxMs) return { ...base, status: 'warn', message: `${text}: spikes over ${p.maxMs} ms` };
  if (lost && p.lossFails) return { ...base, status: 'fail', message: `${text}: directors need no packet loss` };
  if (lost) return { ...base, status: 'warn', message: text };
  return { ...base, status: 'pass', message: text };
}
