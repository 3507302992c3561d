import type { OutboundCheck, Probe } from '../plan/types.js';
import type { CheckKind, CheckRecord } from './check-record.js';
import type { HostGap } from './run-summary.js';

/**
 * A check the plan held that never ran, with why. Kept in the result so a
 * report can name each path that was not checked (JUnit `<skipped/>`), not
 * only count them: a path that vanishes from the report reads as a pass.
 */
export interface NotCheckedRecord {
  kind: CheckKind;
  /** As the CheckRecord it would have been: `<from>><to>:<port>`. */
  id: string;
  from: string;
  to: string;
  port: number;
  rules: string[];
  /** One line: which end was not checked and why (`h2 failed (facts): no facts within 30000 ms`), or `interrupted`. */
  reason: string;
}

/** What a task planned, before any host ran: the identity of each check. */
export type PlannedCheck = Omit<NotCheckedRecord, 'reason'>;

export function plannedProbe(p: Probe): PlannedCheck {
  return { kind: 'probe', id: p.id, from: p.from, to: p.to, port: p.port, rules: p.rules };
}

export function plannedOutbound(c: OutboundCheck): PlannedCheck {
  return { kind: 'outbound', id: c.id, from: c.from, to: c.host, port: c.port, rules: [c.rule, ...(c.alsoRules ?? [])] };
}

/**
 * The planned checks without a record, in plan order. A check id can be
 * planned twice (two probe tasks): each run record settles one plan entry.
 * The reason names the source's gap first (it never sent the probe), then
 * the destination's.
 */
export function notCheckedOf(
  planned: readonly PlannedCheck[],
  ran: readonly Pick<CheckRecord, 'kind' | 'id'>[],
  gaps: readonly HostGap[],
  interrupted: boolean,
): NotCheckedRecord[] {
  const key = (c: { kind: CheckKind; id: string }): string => `${c.kind}|${c.id}`;
  const runs = new Map<string, number>();
  for (const c of ran) runs.set(key(c), (runs.get(key(c)) ?? 0) + 1);
  const gapOf = new Map(gaps.map((g) => [g.name, g]));
  const out: NotCheckedRecord[] = [];
  for (const p of planned) {
    const left = runs.get(key(p)) ?? 0;
    if (left > 0) {
      runs.set(key(p), left - 1);
      continue;
    }
    const end = [p.from, ...(p.kind === 'probe' ? [p.to] : [])].find((h) => gapOf.has(h));
    const reason = end ? `${end} ${gapOf.get(end)!.reason}` : interrupted ? 'interrupted' : 'not run';
    out.push({ ...p, reason });
  }
  return out;
}
