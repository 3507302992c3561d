import { describe, expect, it } from 'vitest';
import { firewalldBackend, parseRichRule, richRuleText } from '../../../src/firewall/firewalld.js';
import { stepToShell } from '../../../src/firewall/shell-words.js';
import { SELF, type Rule, type Step } from '../../../src/firewall/types.js';
import { parseUfwLine, ufwBackend, ufwRuleWords } from '../../../src/firewall/ufw.js';
import { fixture, golden } from './fixture-fleet.js';

const desired: Rule[] = JSON.parse(fixture('desired-h2.json'));
const placed = desired.filter((r) => !(r.source === SELF && r.action === 'accept'));
const script = (steps: Step[] = []) => steps.map(stepToShell).join('\n') + '\n';
const empty = { ours: [], placements: [], foreign: { defaultDeny: true, inputChains: [], notes: [] } };

describe('firewalld (render, golden)', () => {
  const b = firewalldBackend('public');
  it('runtime rich rules first, then our record; --permanent apart, for after the check', () => {
    const change = b.render(desired, empty);
    expect(script(change.steps)).toBe(golden('firewalld-h2.render.txt', script(change.steps)));
    expect(script(change.persist)).toBe(golden('firewalld-h2.persist.txt', script(change.persist)));
    expect(change.steps.every((s) => !s.argv.includes('--permanent'))).toBe(true);
    expect(change.persist!.every((s) => s.argv.includes('--permanent'))).toBe(true);
  });

  it('parse: a recorded rule that firewalld holds is ours; the second render changes nothing', () => {
    const output = ['##rich', ...placed.map(richRuleText), 'rule family="ipv4" source address="192.0.2.1" port port="80" protocol="tcp" accept', '##ours', ...placed.map((r) => JSON.stringify(r))].join('\n');
    const current = b.parse(output);
    expect(current.ours).toEqual(placed);
    expect(b.render(desired, current).steps).toEqual([]);
    const removal = b.removeAll(current);
    expect(removal.steps.filter((s) => s.argv.some((a) => a.startsWith('--remove-rich-rule')))).toHaveLength(placed.length);
  });

  it('rich rule text round-trips; a zone name is checked before it reaches a command', () => {
    for (const r of placed) expect(parseRichRule(richRuleText(r), r.comment)).toEqual(r);
    expect(() => firewalldBackend('public; reboot')).toThrow(/not a firewalld zone name/);
    expect(b.readCommand.argv.slice(0, 2)).toEqual(['sh', '-c']);
  });
});

describe('ufw (render, golden; parse of `ufw show added`)', () => {
  it('one rule per command with our comment; the two halves of `from any` are one ufw rule', () => {
    const change = ufwBackend.render(desired, empty);
    expect(script(change.steps)).toBe(golden('ufw-h2.render.txt', script(change.steps)));
    const anyPairs = placed.filter((r) => r.source === 'any').length / 2;
    expect(change.steps).toHaveLength(placed.length - anyPairs);
  });

  it('parse(show added) gives the canonical rules back; the second render changes nothing', () => {
    const steps = ufwBackend.render(desired, empty).steps;
    const shown = ['Added user rules (see \'ufw status\' for running firewall):', ...steps.map((s) => `ufw ${s.argv.slice(1, -2).join(' ')} comment '${s.argv.at(-1)}'`), 'ufw allow 80/tcp'].join('\n');
    const current = ufwBackend.parse(shown);
    expect(current.ours).toEqual(placed);
    expect(ufwBackend.render(desired, current).steps).toEqual([]);
  });

  it('deleting one half of a `from any` pair deletes the ufw rule and adds nothing back if neither half is wanted', () => {
    const current = ufwBackend.parse(ufwRuleWords(placed.find((r) => r.source === 'any')!).join(' ').replace(/^/, 'ufw ') + ` comment '${placed.find((r) => r.source === 'any')!.comment}'`);
    expect(current.ours).toHaveLength(2);
    const change = ufwBackend.render([], current);
    expect(change.steps.map((s) => s.argv.slice(0, 2))).toEqual([['ufw', 'delete']]);
    expect(parseUfwLine("ufw allow from 10.0.0.1 to any port 22 proto tcp comment 'not ours'")).toEqual([]);
  });

  it('parse of real `ufw show added` (ufw 0.36.2, lab): a rule from anywhere comes back in its short form `ufw allow PORT/tcp`', () => {
    // Captured from a lab host after `firewall apply --backend ufw` (test/lab/firewall-ufw.test.ts).
    const shown = [
      "Added user rules (see 'ufw status' for running firewall):",
      'ufw allow 22/tcp',
      "ufw allow from 198.18.0.1 to any port 22 proto tcp comment 'ece-preflight ssh: SSH for installation and troubleshooting, and for this tool'",
      "ufw allow 9200/tcp comment 'ece-preflight proxy-es-rest: Elasticsearch REST API through the proxy (9200 plain, 9243 TLS)'",
      "ufw allow from 198.18.0.12 to any port 12191:12201 proto tcp comment 'ece-preflight director-zk-forwarder: Client forwarder to ZooKeeper, one port per director (TLS tunnels)'",
      "ufw deny 2191:2199/tcp comment 'ece-preflight container-only: same-host only: never from other hosts'",
    ].join('\n');
    const ours = ufwBackend.parse(shown).ours;
    const brief = ours.map((r) => `${r.action} ${r.family} ${r.ports.join('-')} ${r.source}`).sort();
    expect(brief).toEqual(
      [
        'accept ipv4 22-22 198.18.0.1/32',
        'accept ipv4 9200-9200 any',
        'accept ipv6 9200-9200 any',
        'accept ipv4 12191-12201 198.18.0.12/32',
        'drop ipv4 2191-2199 any',
        'drop ipv6 2191-2199 any',
      ].sort(),
    );
    // what render writes for those rules is what ufw shows back: nothing to do the second time
    expect(ufwBackend.render(ours, ufwBackend.parse(shown)).steps).toEqual([]);
    // the host's own `ufw allow 22/tcp` (no comment) is not ours
    expect(parseUfwLine('ufw allow 22/tcp')).toEqual([]);
  });
});
