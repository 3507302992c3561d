import { SELF, type Rule } from './types.js';

/**
 * firewalld and ufw accept loopback traffic before any rule of ours
 * (firewalld's filter_INPUT `iifname "lo" accept`, ufw's before.rules
 * `-i lo -j ACCEPT`), and a host's traffic to its own addresses travels over
 * loopback: the accept-from-self rules need no rule there, and neither
 * backend can express "from my own addresses" anyway.
 */
export function withoutSelfAccepts(rules: Rule[]): Rule[] {
  return rules.filter((r) => !(r.source === SELF && r.action === 'accept'));
}
