import type { HostRecap, OutboundRecord, ProbeRecord, RunResult } from './result.js';
import type { Verdict } from '../tasks/probe-outcome.js';

/**
 * Verdict arithmetic: RunResult.totals and .recap are computed here, and the
 * live UI store and every report reuse the same steps, so the terminal, the
 * plain lines and the files always agree on a count.
 */

export const VERDICTS: readonly Verdict[] = ['ok', 'blocked', 'exposed', 'error'];

export type VerdictCounts = Record<Verdict, number>;

export function emptyCounts(): VerdictCounts {
  return { ok: 0, blocked: 0, exposed: 0, error: 0 };
}

/** Copy-on-write so the UI store can keep old states untouched. */
export function addVerdict(counts: VerdictCounts, v: Verdict): VerdictCounts {
  return { ...counts, [v]: counts[v] + 1 };
}

export function totalOf(counts: VerdictCounts): number {
  return counts.ok + counts.blocked + counts.exposed + counts.error;
}

/** RunResult.totals from the records; the engine may use it to fill the result. */
export function totalsOf(
  probes: readonly { verdict: Verdict }[],
  outbound: readonly { verdict: Verdict }[],
  skipped: number,
): RunResult['totals'] {
  let counts = emptyCounts();
  for (const r of probes) counts = addVerdict(counts, r.verdict);
  for (const r of outbound) counts = addVerdict(counts, r.verdict);
  return { ...counts, skipped };
}

// ---- PLAY RECAP: per host, verdicts of probes where the host is the
// destination, plus its own outbound checks (its egress is its to fix).

export function emptyRecap(): HostRecap {
  return { ok: 0, blocked: 0, exposed: 0, error: 0, unreachable: false, failed: false };
}

export function addProbeToRecap(
  recap: Readonly<Record<string, HostRecap>>,
  record: { probe: { to: string }; verdict: Verdict },
): Record<string, HostRecap> {
  const host = record.probe.to;
  const before = recap[host] ?? emptyRecap();
  return { ...recap, [host]: { ...before, [record.verdict]: before[record.verdict] + 1 } };
}

export function addOutboundToRecap(
  recap: Readonly<Record<string, HostRecap>>,
  record: Pick<OutboundRecord, 'check' | 'verdict'>,
): Record<string, HostRecap> {
  return addProbeToRecap(recap, { probe: { to: record.check.from }, verdict: record.verdict });
}

/** RunResult.recap from hosts, probes and outbound checks; the same steps the live store takes. */
export function recapOf(
  hosts: readonly { name: string; state: string }[],
  probes: readonly Pick<ProbeRecord, 'probe' | 'verdict'>[],
  outbound: readonly Pick<OutboundRecord, 'check' | 'verdict'>[] = [],
): Record<string, HostRecap> {
  let recap: Record<string, HostRecap> = {};
  for (const h of hosts) {
    recap[h.name] = { ...emptyRecap(), unreachable: h.state === 'unreachable', failed: h.state === 'failed' };
  }
  for (const p of probes) recap = addProbeToRecap(recap, p);
  for (const o of outbound) recap = addOutboundToRecap(recap, o);
  return recap;
}

