import { describe, expect, it } from 'vitest';
import { iptablesBackend, iptablesRuleText, iptablesWords, parseIptablesRule } from '../../../src/firewall/iptables.js';
import { stepToShell } from '../../../src/firewall/shell-words.js';
import type { Rule, Step } from '../../../src/firewall/types.js';
import { fixture } from './fixture-fleet.js';

const desired: Rule[] = JSON.parse(fixture('desired-h2.json'));
const b = iptablesBackend;
const script = (steps: Step[]) => steps.map(stepToShell).join('\n') + '\n';

describe('iptables on captured iptables-save output', () => {
  for (const name of ['ipt-drop', 'ipt-none']) {
    it(`${name}: the restore input we load is what render gives for the captured host (golden)`, () => {
      expect(script(b.render(desired, b.parse(fixture(`${name}.before.txt`))).steps)).toBe(fixture(`${name}.render.txt`));
    });

    it(`${name}: parse(capture after load) is the desired rules; the second render changes nothing`, () => {
      const current = b.parse(fixture(`${name}.loaded.txt`));
      expect(current.ours).toEqual(desired);
      expect(b.render(desired, current).steps).toEqual([]);
    });

    it(`${name}: render(parse(capture)) reproduces the captured -A lines of our chain`, () => {
      const text = fixture(`${name}.loaded.txt`);
      const captured = text.split('\n').filter((l) => l.startsWith('-A ECE_PREFLIGHT '));
      const current = b.parse(text);
      expect(current.placements.flatMap((p) => p.rules.map(iptablesRuleText)).map((l) => iptablesWords(l))).toEqual(captured.map((l) => iptablesWords(l)));
    });

    it(`${name}: removal deletes the jump by position and our chain (golden), nothing of ours after`, () => {
      expect(script(b.removeAll(b.parse(fixture(`${name}.loaded.txt`))).steps)).toBe(fixture(`${name}.remove.txt`));
      const after = b.parse(fixture(`${name}.removed.txt`));
      expect(after.ours).toEqual([]);
      expect(after.placements).toEqual([]);
    });
  }

  it('the jump is INPUT position 1, above the host\'s own accepts and its DROP policy', () => {
    const current = b.parse(fixture('ipt-drop.loaded.txt'));
    expect(current.foreign.defaultDeny).toBe(true);
    expect(current.placements.map((p) => [p.family, p.jumpPosition])).toEqual([['ipv4', 1], ['ipv6', 1]]);
  });

  it('only the family that differs is reloaded; a second jump is removed', () => {
    const loaded = fixture('ipt-drop.loaded.txt');
    const v6 = desired.filter((r) => r.family === 'ipv6');
    const lessV6 = desired.filter((r) => r !== v6[0]);
    const change = b.render(lessV6, b.parse(loaded));
    expect(change.steps.map((s) => s.argv)).toEqual([['ip6tables-restore', '--noflush']]);
    expect(change.diff.remove).toEqual([v6[0]]);
    const twice = loaded.replace('-A INPUT -m comment --comment "ece-preflight jump" -j ECE_PREFLIGHT\n', (l) => l + l);
    const fixed = b.render(desired, b.parse(twice));
    expect(fixed.steps[0]!.stdin).toContain('-D INPUT 2\n');
    expect(fixed.steps[0]!.stdin).not.toContain('-I INPUT');
  });

  it('parses quoted and unquoted comments, and ignores rules that are not ours', () => {
    expect(iptablesWords('-A X -m comment --comment "a \\"b\\" c" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'ACCEPT']);
    expect(parseIptablesRule(iptablesWords('-s 10.0.0.1/32 -p tcp -m tcp --dport 22 -m comment --comment other -j ACCEPT'), 'ipv4')).toBeUndefined();
    expect(parseIptablesRule(iptablesWords('-p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m comment --comment "ece-preflight ssh" -j ACCEPT'), 'ipv4')).toBeUndefined();
    for (const r of desired) expect(parseIptablesRule(iptablesWords(iptablesRuleText(r)).slice(2), r.family)).toEqual(r);
  });

  it('a host without ip6tables gets IPv4 rules only, and says why', () => {
    const v4only = fixture('ipt-none.before.txt').replace(/##ipv6[\s\S]*$/, '##ipv6\n');
    const current = b.parse(v4only);
    expect(current.foreign.notes).toEqual(['ip6tables-save is not installed: no ipv6 rules']);
    const change = b.render(desired, current);
    expect(change.steps.map((s) => s.argv[0])).toEqual(['iptables-restore']);
    expect(change.diff.add.every((r) => r.family === 'ipv4')).toBe(true);
  });
});
