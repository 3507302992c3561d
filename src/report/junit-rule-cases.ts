import type { CheckRecord } from '../engine/check-record.js';
import type { NotCheckedRecord } from '../engine/not-checked.js';
import { VERDICT_RANK } from './tally.js';
import { pathName } from './failures.js';
import type { Case } from './junit-case.js';

/**
 * `--junit-per rule`: one case per rule and destination (a host for probes,
 * an endpoint for outbound checks) instead of one per path, so a 200-host
 * fleet gives CI a few thousand cases, not 40,000. A case fails when any of
 * its paths fails and lists every failing path in its body; it is skipped
 * when nothing failed but part of it was not checked (a rule is not known
 * to hold on a host until all its paths ran).
 */
export interface RuleGroup {
  rule: string;
  /** Destination host (probes) or `host:port` endpoint (outbound). */
  destination: string;
  checks: CheckRecord[];
  notChecked: NotCheckedRecord[];
}

/** Group checks under each of their rules, in first-seen order (a path required by two rules counts in both). */
export function groupByRule(
  checks: readonly CheckRecord[],
  notChecked: readonly NotCheckedRecord[],
  destinationOf: (c: { to: string; port: number }) => string,
): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  const groupOf = (rule: string, destination: string): RuleGroup => {
    const key = `${rule}\u0000${destination}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rule, destination, checks: [], notChecked: [] }));
    return g;
  };
  for (const c of checks) for (const r of c.rules) groupOf(r, destinationOf(c)).checks.push(c);
  for (const n of notChecked) for (const r of n.rules) groupOf(r, destinationOf(n)).notChecked.push(n);
  return [...groups.values()];
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

function pathLine(c: CheckRecord): string {
  const seen = `${c.result.outcome}${c.result.detail ? ` (${c.result.detail})` : ''}, ${c.result.ms} ms${c.result.retried ? ', retried' : ''}`;
  return `${c.verdict.toUpperCase()} ${pathName(c.from, c.to, c.port)} ${seen}${c.hint ? `; hint: ${c.hint}` : ''}`;
}

const notCheckedLine = (n: NotCheckedRecord): string => `NOT CHECKED ${pathName(n.from, n.to, n.port)}: ${n.reason}`;

/** The distinct reasons, the first three: enough to say why without a wall of text in an attribute. */
function reasons(list: readonly NotCheckedRecord[]): string {
  const distinct = [...new Set(list.map((n) => n.reason))];
  return distinct.slice(0, 3).join('; ') + (distinct.length > 3 ? `; +${distinct.length - 3} more` : '');
}

export function ruleCase(g: RuleGroup, classname: string, name: string, exposuresFail: boolean): Case {
  const total = g.checks.length + g.notChecked.length;
  const bad = g.checks.filter((c) => c.verdict !== 'ok').sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict]);
  const failing = bad.filter((c) => c.verdict !== 'exposed' || exposuresFail);
  const count = (v: CheckRecord['verdict']): number => bad.filter((c) => c.verdict === v).length;
  const tallies = [
    count('blocked') && `${count('blocked')} blocked`,
    count('exposed') && `${count('exposed')} exposed${exposuresFail ? '' : ' (warning)'}`,
    count('error') && `${count('error')} error`,
    g.notChecked.length && `${g.notChecked.length} not checked`,
  ].filter(Boolean);
  const summary = `${tallies.join(', ')} of ${plural(total, 'path')}`;
  // Every path that is not ok is in the body, worst first; then what did not run.
  const body = [...bad.map(pathLine), ...g.notChecked.map(notCheckedLine)].join('\n');
  const seconds = g.checks.reduce((t, c) => t + c.result.ms, 0) / 1000;
  const base = { name, classname, seconds, body };
  if (failing.length > 0) {
    const worst = failing[0]!;
    const type = [...new Set(failing.map((c) => c.result.outcome))].join(',');
    return { ...base, verdict: worst.verdict, type, message: summary };
  }
  if (g.notChecked.length > 0) return { ...base, verdict: 'skipped', type: 'not-checked', message: `${summary}: ${reasons(g.notChecked)}` };
  if (bad.length > 0) return { ...base, verdict: 'warning', type: 'exposed', message: summary };
  return { ...base, verdict: 'ok', type: 'ok', message: '' };
}
