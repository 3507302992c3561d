import { describe, expect, it } from 'vitest';
import { nftablesBackend, nftRuleText, parseNftRule } from '../../../src/firewall/nftables.js';
import { stepToShell } from '../../../src/firewall/shell-words.js';
import { FirewallBackendError, type Rule, type Step } from '../../../src/firewall/types.js';
import { fixture } from './fixture-fleet.js';

const desired: Rule[] = JSON.parse(fixture('desired-h2.json'));
const b = nftablesBackend;
const script = (steps: Step[]) => steps.map(stepToShell).join('\n') + '\n';
/** Our chain's rule lines in a capture, without handles. */
const chainLines = (capture: string, chain: RegExp) => {
  const lines = capture.split('\n');
  const start = lines.findIndex((l) => chain.test(l));
  const end = lines.findIndex((l, i) => i > start && l.trim() === '}');
  return lines.slice(start + 1, end).map((l) => l.trim().replace(/ # handle \d+$/, '')).filter((l) => !l.startsWith('type '));
};

describe('nftables on captured rulesets', () => {
  for (const [name, chain] of [['nft-debian', /^\tchain ece_preflight \{/], ['nft-none', /^\tchain input \{/]] as const) {
    it(`${name}: the script we load is what render gives for the captured host (golden)`, () => {
      expect(script(b.render(desired, b.parse(fixture(`${name}.before.txt`))).steps)).toBe(fixture(`${name}.render.txt`));
    });

    it(`${name}: parse(capture after load) is the desired rules, and the second render changes nothing`, () => {
      const current = b.parse(fixture(`${name}.loaded.txt`));
      expect(current.ours).toEqual(desired);
      const again = b.render(desired, current);
      expect(again.steps).toEqual([]);
      expect(again.diff.add).toEqual([]);
      expect(again.diff.remove).toEqual([]);
      expect(again.diff.keep).toHaveLength(desired.length);
    });

    it(`${name}: render(parse(capture)) reproduces the captured rule lines`, () => {
      const current = b.parse(fixture(`${name}.loaded.txt`));
      const family = current.placements[0]!.family;
      expect(current.placements[0]!.rules.map((r) => nftRuleText(r, family))).toEqual(chainLines(fixture(`${name}.loaded.txt`), chain));
    });

    it(`${name}: removal is exact (golden) and leaves nothing of ours`, () => {
      expect(script(b.removeAll(b.parse(fixture(`${name}.loaded.txt`))).steps)).toBe(fixture(`${name}.remove.txt`));
      const after = b.parse(fixture(`${name}.removed.txt`));
      expect(after.ours).toEqual([]);
      expect(after.placements).toEqual([]);
      expect(after.foreign).toEqual(b.parse(fixture(`${name}.before.txt`)).foreign);
    });
  }

  it('Debian default-deny: our chain goes into inet filter with a jump at the top of its input chain', () => {
    const before = b.parse(fixture('nft-debian.before.txt'));
    expect(before.foreign.defaultDeny).toBe(true);
    expect(before.foreign.inputChains).toEqual([{ family: 'inet', table: 'filter', chain: 'input', policy: 'drop', hasDropRule: true, managedByIptables: false }]);
    const loaded = b.parse(fixture('nft-debian.loaded.txt'));
    expect(loaded.placements).toMatchObject([{ family: 'inet', table: 'filter', chain: 'ece_preflight', jumpFrom: 'input', jumpHandles: [68], ownTable: false }]);
    expect(fixture('nft-debian.loaded.txt')).toMatch(/policy drop;\n\t\tjump ece_preflight comment "ece-preflight jump"/);
  });

  it('no firewall: a table of our own with a policy-accept base chain', () => {
    expect(b.parse(fixture('nft-none.before.txt')).foreign).toEqual({ defaultDeny: false, inputChains: [], notes: [] });
    expect(b.parse(fixture('nft-none.loaded.txt')).placements).toMatchObject([{ family: 'inet', table: 'ece_preflight', chain: 'input', ownTable: true }]);
  });

  it('an input chain written by iptables-nft is refused with the backend to use', () => {
    const current = b.parse(fixture('ipt-drop.as-nft.txt'));
    expect(current.foreign.inputChains[0]).toMatchObject({ family: 'ip', table: 'filter', chain: 'INPUT', managedByIptables: true });
    expect(() => b.render(desired, current)).toThrow(FirewallBackendError);
    expect(() => b.render(desired, current)).toThrow(/iptables-nft's .*use --backend iptables/);
  });

  it('renders only when something differs: one rule fewer wanted, one foreign line in our chain', () => {
    const loaded = fixture('nft-debian.loaded.txt');
    const fewer = b.render(desired.slice(1), b.parse(loaded));
    expect(fewer.diff.remove).toEqual([desired[0]]);
    expect(fewer.diff.add).toEqual([]);
    // Our chain is rewritten in one transaction; the jump (handle 68) stays where it is.
    expect(fewer.steps[0]!.stdin).toContain('flush chain inet filter ece_preflight');
    expect(fewer.steps[0]!.stdin).not.toContain('insert rule');
    const stranger = loaded.replace('\tchain ece_preflight { # handle 10\n', '\tchain ece_preflight { # handle 10\n\t\ttcp dport 1 accept # handle 999\n');
    const parsed = b.parse(stranger);
    expect(parsed.ours).toEqual(desired);
    expect(parsed.foreign.notes.join()).toMatch(/1 rule\(s\) we did not write/);
    expect(b.render(desired, parsed).steps).toHaveLength(1);
  });

  it('moves our rules when the host gains a default-deny chain (own table removed, jump added, one transaction)', () => {
    const ownTable = fixture('nft-none.loaded.txt');
    const withDebian = fixture('nft-debian.before.txt') + ownTable;
    const change = b.render(desired, b.parse(withDebian));
    const text = change.steps[0]!.stdin!;
    expect(text.indexOf('delete table inet ece_preflight')).toBeGreaterThan(0);
    expect(text).toContain('insert rule inet filter input jump ece_preflight comment "ece-preflight jump"');
    expect(change.steps).toHaveLength(1);
  });

  it('an `ip` (IPv4-only) dropping table gets the IPv4 rules only, without meta nfproto', () => {
    const ipOnly = 'table ip fw { # handle 1\n\tchain in { # handle 1\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n';
    const change = b.render(desired, b.parse(ipOnly));
    expect(change.steps[0]!.stdin).not.toMatch(/ip6 saddr|nfproto/);
    expect(change.diff.add.every((r) => r.family === 'ipv4')).toBe(true);
  });

  it('rule text round-trips for every source kind, in inet and ip tables', () => {
    for (const r of desired) expect(parseNftRule(nftRuleText(r, 'inet'), 'inet')).toEqual(r);
    for (const r of desired.filter((x) => x.family === 'ipv4')) expect(parseNftRule(nftRuleText(r, 'ip'), 'ip')).toEqual(r);
    // Not ours without our comment.
    expect(parseNftRule('ip saddr 10.0.0.1 tcp dport 22 accept comment "someone else"', 'inet')).toBeUndefined();
  });

  it('snapshot restores the whole ruleset in one transaction, the path as an argument', () => {
    const step = b.snapshot[0]!.restore("/tmp/it's here");
    expect(step.argv).toEqual(['sh', '-c', '{ echo "flush ruleset"; cat "$1"; } | nft -f -', 'sh', "/tmp/it's here"]);
    expect(stepToShell(step)).toBe(`sh -c '{ echo "flush ruleset"; cat "$1"; } | nft -f -' sh '/tmp/it'\\''s here'`);
  });
});
