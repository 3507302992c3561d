import type { OutboundCheck, Probe } from '../plan/types.js';
import type { ProbeResult, Verdict } from '../tasks/probe-outcome.js';

/**
 * One check and what it found: a probe between hosts (or from the
 * controller), or an outbound check from a host to an endpoint (registry,
 * snapshot repository). One record type, so the engine, the store, the
 * renderers and the reports have one path for every check (and the next
 * kinds, latency and bandwidth, join it instead of adding a parallel type).
 */
export type CheckKind = 'probe' | 'outbound';

export interface CheckRecord {
  kind: CheckKind;
  /** Stable across runs: `<from>><to>:<port>`. */
  id: string;
  /** Source host name, or `@controller` (standing in for external clients). */
  from: string;
  /** Destination: a host name (probe) or an endpoint's host (outbound). */
  to: string;
  /** What was connected to. */
  address: string;
  port: number;
  /** `closed` for ports that must not answer from another host (Docker's 2375). */
  expect: 'open' | 'closed';
  /** Catalog rule ids that require the path. */
  rules: string[];
  result: ProbeResult;
  verdict: Verdict;
  /** One line: which rule, which firewall, which side to fix. */
  hint?: string;
  /** 'ipv6': the path probed over IPv6 (id ends `/ipv6`, address the destination's global IPv6 address). */
  family?: 'ipv6';
  /** `sweep --changed`: not probed again, taken from the run that started then (nothing on either end changed since). */
  carriedFrom?: string;
}

export function probeRecord(p: Probe, result: ProbeResult, verdict: Verdict, hint?: string): CheckRecord {
  return { kind: 'probe', id: p.id, from: p.from, to: p.to, address: p.address, port: p.port, expect: p.expect, rules: p.rules, result, verdict, ...(p.family ? { family: p.family } : {}), ...(hint ? { hint } : {}) };
}

export function outboundRecord(c: OutboundCheck, result: ProbeResult, verdict: Verdict, hint?: string): CheckRecord {
  return { kind: 'outbound', id: c.id, from: c.from, to: c.host, address: c.host, port: c.port, expect: 'open', rules: [c.rule, ...(c.alsoRules ?? [])], result, verdict, ...(hint ? { hint } : {}) };
}

/**
 * The host a check counts against in PLAY RECAP: a probe's destination (its
 * firewall is where the fix goes), an outbound check's source (its egress is
 * its to fix).
 */
export function recapHostOf(c: Pick<CheckRecord, 'kind' | 'from' | 'to'>): string {
  return c.kind === 'probe' ? c.to : c.from;
}

export function probesOf<T extends Pick<CheckRecord, 'kind'>>(checks: readonly T[]): T[] {
  return checks.filter((c) => c.kind === 'probe');
}

export function outboundOf<T extends Pick<CheckRecord, 'kind'>>(checks: readonly T[]): T[] {
  return checks.filter((c) => c.kind === 'outbound');
}
