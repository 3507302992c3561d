import type { HostRecap, RunResult } from './result.js';
import { recapHostOf, type CheckRecord } from './check-record.js';
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
export function totalsOf(checks: readonly { verdict: Verdict }[], skipped: number): RunResult['totals'] {
  let counts = emptyCounts();
  for (const r of checks) counts = addVerdict(counts, r.verdict);
  return { ...counts, skipped };
}

// ---- PLAY RECAP: per host, verdicts of probes where the host is the
// destination, plus its own outbound checks (its egress is its to fix).

export function emptyRecap(): HostRecap {
  return { ok: 0, blocked: 0, exposed: 0, error: 0, unreachable: false, failed: false };
}

export function addCheckToRecap(
  recap: Readonly<Record<string, HostRecap>>,
  record: Pick<CheckRecord, 'kind' | 'from' | 'to' | 'verdict'>,
): Record<string, HostRecap> {
  const host = recapHostOf(record);
  const before = recap[host] ?? emptyRecap();
  return { ...recap, [host]: { ...before, [record.verdict]: before[record.verdict] + 1 } };
}

/** RunResult.recap from hosts and checks; the same steps the live store takes. */
export function recapOf(
  hosts: readonly { name: string; state: string }[],
  checks: readonly Pick<CheckRecord, 'kind' | 'from' | 'to' | 'verdict'>[],
): Record<string, HostRecap> {
  let recap: Record<string, HostRecap> = {};
  for (const h of hosts) {
    recap[h.name] = { ...emptyRecap(), unreachable: h.state === 'unreachable', failed: h.state === 'failed' };
  }
  for (const c of checks) recap = addCheckToRecap(recap, c);
  return recap;
}
