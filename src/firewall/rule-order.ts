import { compareCidrs } from './cidr.js';
import { ANY, SELF, type Rule } from './types.js';

/** The identity of a rule: two rules with the same key are the same rule. */
export function ruleKey(r: Rule): string {
  return `${r.family} ${r.protocol} ${r.ports[0]}-${r.ports[1]} ${r.source} ${r.action} ${r.comment}`;
}

const sourceRank = (s: string): number => (s === SELF ? 0 : s === ANY ? 2 : 1);

/**
 * Canonical order. Accepts come before drops: the same-host-only ports are
 * accepted from the host itself and then dropped from everyone else, and in
 * a chain the first match wins. Then by port, family and source, so two
 * renders of the same rules are byte-identical.
 */
export function compareRules(a: Rule, b: Rule): number {
  if (a.action !== b.action) return a.action === 'accept' ? -1 : 1;
  if (a.ports[0] !== b.ports[0]) return a.ports[0] - b.ports[0];
  if (a.ports[1] !== b.ports[1]) return a.ports[1] - b.ports[1];
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  const ra = sourceRank(a.source);
  const rb = sourceRank(b.source);
  if (ra !== rb) return ra - rb;
  if (ra === 1 && a.source !== b.source) return compareCidrs(a.source, b.source);
  return a.comment < b.comment ? -1 : a.comment > b.comment ? 1 : 0;
}

/** Sorted, each rule once. */
export function canonicalRules(rules: Iterable<Rule>): Rule[] {
  const byKey = new Map<string, Rule>();
  for (const r of rules) if (!byKey.has(ruleKey(r))) byKey.set(ruleKey(r), r);
  return [...byKey.values()].sort(compareRules);
}
