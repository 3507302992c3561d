import { canonicalRules, ruleKey } from './rule-order.js';
import type { Rule, RuleDiff } from './types.js';

/**
 * Desired against current (our rules only: foreign rules are never in
 * `current`). A rule is kept only if it is there exactly, comment included:
 * a changed comment is a remove and an add, so what the host holds always
 * says which seed rule it serves.
 */
export function diffRules(desired: Rule[], current: Rule[]): RuleDiff {
  const want = canonicalRules(desired);
  const have = canonicalRules(current);
  const haveKeys = new Set(have.map(ruleKey));
  const wantKeys = new Set(want.map(ruleKey));
  return {
    add: want.filter((r) => !haveKeys.has(ruleKey(r))),
    remove: have.filter((r) => !wantKeys.has(ruleKey(r))),
    keep: want.filter((r) => haveKeys.has(ruleKey(r))),
  };
}

export function diffIsEmpty(d: RuleDiff): boolean {
  return d.add.length === 0 && d.remove.length === 0;
}

/** Same rules in the same order (a chain's order is part of its meaning). */
export function sameRuleList(a: Rule[], b: Rule[]): boolean {
  return a.length === b.length && a.every((r, i) => ruleKey(r) === ruleKey(b[i]!));
}
