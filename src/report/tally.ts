import type { HostRecap } from '../engine/result.js';
import type { TaskCounts } from '../engine/task-counts.js';
import type { VerdictCounts } from '../engine/verdict-counts.js';
import type { Verdict } from '../tasks/probe-outcome.js';

/** Display arithmetic over verdicts; the counting itself is in engine/verdict-counts.ts. */
export * from '../engine/verdict-counts.js';

/**
 * Which verdict colours a cell holding several. Blocked ranks first because it
 * stops the ECE install; exposed (an open Docker API) next; error only says
 * "could not tell" and must not hide a real finding.
 */
export const VERDICT_RANK: Record<Verdict, number> = { ok: 0, error: 1, exposed: 2, blocked: 3 };

export function worse(a: Verdict | null, b: Verdict): Verdict {
  return a === null || VERDICT_RANK[b] > VERDICT_RANK[a] ? b : a;
}

/**
 * Cyclonus' one-line summary, with two corrections learned the hard way:
 * exposures are counted apart from failures (they fail the run only with
 * --fail-on-exposed), and what was not checked is called that, not
 * "ignored": a path that never ran is not a path that was waved through.
 */
export interface Tally {
  failed: number;
  /** Of `failed`: names a source host could not resolve (when any). */
  unresolved?: number;
  exposed: number;
  notChecked: number;
  ok: number;
}

export function tallyOf(totals: VerdictCounts & { skipped?: number; unresolved?: number }): Tally {
  return {
    failed: totals.blocked + totals.error,
    ...(totals.unresolved ? { unresolved: totals.unresolved } : {}),
    exposed: totals.exposed,
    notChecked: totals.skipped ?? 0,
    ok: totals.ok,
  };
}

export function formatTally(t: Tally): string {
  // Checks, not names: one name a host cannot resolve fails every path to it.
  const unresolved = t.unresolved ? ` (${t.unresolved} with an unresolved name)` : '';
  return `${t.failed} failed${unresolved}, ${t.exposed} exposed, ${t.notChecked} not checked, ${t.ok} ok`;
}

/** How a tally line is coloured: anything failed or unchecked is bad, an exposure warns. */
export function tallyTone(t: Tally): 'ok' | 'bad' | 'warn' {
  return t.failed > 0 || t.notChecked > 0 ? 'bad' : t.exposed > 0 ? 'warn' : 'ok';
}

export type RecapTone = 'ok' | 'bad' | 'warn' | 'dim';

/**
 * The fields of one PLAY RECAP line with how to colour them; renderers only
 * paint. With task counts (a play ran): Ansible's seven fields, then the
 * path verdicts when the run probed anything. Without (an older record):
 * the path verdicts with unreachable and failed.
 */
export function recapFields(r: HostRecap, tasks?: TaskCounts, paths = true): { label: string; value: number; tone: RecapTone }[] {
  const tone = (n: number, t: RecapTone): RecapTone => (n > 0 ? t : 'dim');
  const verdicts = [
    { label: 'blocked', value: r.blocked, tone: tone(r.blocked, 'bad') },
    { label: 'exposed', value: r.exposed, tone: tone(r.exposed, 'warn') },
    { label: 'error', value: r.error, tone: tone(r.error, 'bad') },
  ];
  if (tasks) {
    return [
      { label: 'ok', value: tasks.ok, tone: tone(tasks.ok, 'ok') },
      { label: 'changed', value: tasks.changed, tone: tone(tasks.changed, 'warn') },
      { label: 'unreachable', value: tasks.unreachable, tone: tone(tasks.unreachable, 'bad') },
      { label: 'failed', value: tasks.failed, tone: tone(tasks.failed, 'bad') },
      { label: 'skipped', value: tasks.skipped, tone: tone(tasks.skipped, 'dim') },
      { label: 'rescued', value: tasks.rescued, tone: tone(tasks.rescued, 'dim') },
      { label: 'ignored', value: tasks.ignored, tone: tone(tasks.ignored, 'dim') },
      ...(paths ? verdicts : []),
    ];
  }
  const unreachable = r.unreachable ? 1 : 0;
  const failed = r.failed ? 1 : 0;
  return [
    { label: 'ok', value: r.ok, tone: tone(r.ok, 'ok') },
    ...verdicts,
    { label: 'unreachable', value: unreachable, tone: tone(unreachable, 'bad') },
    { label: 'failed', value: failed, tone: tone(failed, 'bad') },
  ];
}

/** A host needs attention in the recap when anything but ok happened to it. */
export function recapIsClean(r: HostRecap): boolean {
  return r.blocked === 0 && r.exposed === 0 && r.error === 0 && !r.unreachable && !r.failed;
}
