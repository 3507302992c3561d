import type { HostRecap, OutboundRecord, ProbeRecord, RunResult } from '../engine/result.js';
import type { Verdict } from '../tasks/probe-outcome.js';

/**
 * Verdict arithmetic shared by the live UI store and every report, so the
 * terminal, the plain lines and the files always agree on a count.
 */

export const VERDICTS: readonly Verdict[] = ['ok', 'blocked', 'exposed', 'error'];

export type VerdictCounts = Record<Verdict, number>;

/**
 * Which verdict colours a cell holding several. Blocked ranks first because it
 * stops the ECE install; exposed (an open Docker API) next; error only says
 * "could not tell" and must not hide a real finding.
 */
export const VERDICT_RANK: Record<Verdict, number> = { ok: 0, error: 1, exposed: 2, blocked: 3 };

export function worse(a: Verdict | null, b: Verdict): Verdict {
  return a === null || VERDICT_RANK[b] > VERDICT_RANK[a] ? b : a;
}

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

/** Cyclonus' one-line summary: what was wrong, skipped on purpose, and right. */
export interface Tally {
  wrong: number;
  ignored: number;
  correct: number;
}

export function tallyOf(totals: VerdictCounts & { skipped?: number }): Tally {
  return {
    wrong: totals.blocked + totals.exposed + totals.error,
    ignored: totals.skipped ?? 0,
    correct: totals.ok,
  };
}

export function formatTally(t: Tally): string {
  return `${t.wrong} wrong, ${t.ignored} ignored, ${t.correct} correct`;
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

export type RecapTone = 'ok' | 'bad' | 'warn' | 'dim';

/** The fields of one PLAY RECAP line with how to colour them; renderers only paint. */
export function recapFields(r: HostRecap): { label: string; value: number; tone: RecapTone }[] {
  const tone = (n: number, t: RecapTone): RecapTone => (n > 0 ? t : 'dim');
  const unreachable = r.unreachable ? 1 : 0;
  const failed = r.failed ? 1 : 0;
  return [
    { label: 'ok', value: r.ok, tone: tone(r.ok, 'ok') },
    { label: 'blocked', value: r.blocked, tone: tone(r.blocked, 'bad') },
    { label: 'exposed', value: r.exposed, tone: tone(r.exposed, 'warn') },
    { label: 'error', value: r.error, tone: tone(r.error, 'bad') },
    { label: 'unreachable', value: unreachable, tone: tone(unreachable, 'bad') },
    { label: 'failed', value: failed, tone: tone(failed, 'bad') },
  ];
}

/** A host needs attention in the recap when anything but ok happened to it. */
export function recapIsClean(r: HostRecap): boolean {
  return r.blocked === 0 && r.exposed === 0 && r.error === 0 && !r.unreachable && !r.failed;
}
