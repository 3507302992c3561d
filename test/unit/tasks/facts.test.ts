import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFacts, parseListening, rulesFingerprint, ufwChainsLoaded } from '../../../src/tasks/facts.js';
import { firewallChanged } from '../../../src/modules/carry-over.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/facts/${name}`, import.meta.url), 'utf8');

describe('parseFacts', () => {
  it('reads a Debian host with nftables rules and Docker', () => {
    const f = parseFacts(fixture('debian-nft.txt'));
    expect(f.os).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(f.kernel).toBe('Linux 6.1.0-28-amd64');
    expect(f.ipv6).toEqual({ enabled: true });
    expect(f.docker).toEqual({ present: true, socket: true });
    expect(f.firewall).toEqual({ backend: 'nftables', firewalldActive: false, ufwActive: false, nftRules: 2, iptablesRules: 0, rulesHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(f.listening).toEqual([
      { port: 22, process: 'sshd(812)' },
      { port: 2375, process: 'dockerd(990)' },
      { port: 20000 },
    ]);
    expect(f.localPortRange).toEqual([32768, 60999]);
    expect(f.python).toBe('3.11.2');
  });

  it('reads a RHEL host with firewalld running and no python3', () => {
    const f = parseFacts(fixture('rhel-firewalld.txt'));
    expect(f.firewall?.backend).toBe('firewalld');
    expect(f.firewall?.firewalldActive).toBe(true);
    expect(f.ipv6).toEqual({ enabled: false });
    expect(f.docker).toEqual({ present: false, socket: false });
    expect(f.python).toBeUndefined();
    expect(f.localPortRange).toEqual([1024, 65000]);
  });

  it('falls back to iptables when only iptables holds rules', () => {
    const out = '##nft\npresent\n##iptables\npresent\n-P INPUT ACCEPT\n-A INPUT -p tcp --dport 2112 -j DROP\n';
    expect(parseFacts(out).firewall?.backend).toBe('iptables');
  });

  it('says none when no firewall tool exists', () => {
    expect(parseFacts('##nft\n##iptables\n').firewall?.backend).toBe('none');
  });

  // Captured in a lab host with its own /etc/ufw (FACTS_COMMAND, before and after `ufw --force enable`).
  it('reads ufw as active from its chains in `iptables -S`, as `ufw status` decides it', () => {
    const on = parseFacts(fixture('lab-ufw-active.txt'));
    expect(on.firewall).toMatchObject({ backend: 'ufw', ufwActive: true, firewalldActive: false });
    const off = parseFacts(fixture('lab-ufw-inactive.txt'));
    expect(off.firewall).toMatchObject({ backend: 'nftables', ufwActive: false });
  });

  it('needs ufw installed and all three ufw-user chains', () => {
    const chains = ['-P INPUT ACCEPT', '-N ufw-user-input', '-N ufw-user-output', '-N ufw-user-forward'];
    expect(ufwChainsLoaded(chains)).toBe(true);
    expect(ufwChainsLoaded(chains.slice(0, 3))).toBe(false);
    expect(ufwChainsLoaded(['-A INPUT -j ufw-user-input'])).toBe(false);
    const withChains = `##ufw\n##iptables\npresent\n${chains.join('\n')}\n`;
    expect(parseFacts(withChains).firewall?.ufwActive).toBe(false);
    expect(parseFacts(withChains.replace('##ufw\n', '##ufw\npresent\n')).firewall).toMatchObject({ backend: 'ufw', ufwActive: true });
  });

  describe('the rules fingerprint (--changed: a rule changed in place is a change)', () => {
    const captured = fixture('lab-ufw-active.txt');
    const fw = (text: string) => parseFacts(text).firewall!;
    it('is the same for the same rules read again with other counters, and differs for one port changed, at the same count', () => {
      expect(captured).toMatch(/counter packets \d+ bytes \d+/);
      const recounted = captured.replace(/counter packets \d+ bytes \d+/g, 'counter packets 987 bytes 65432');
      expect(fw(recounted).rulesHash).toBe(fw(captured).rulesHash);
      const moved = captured.replace('dport 22 ', 'dport 2222 ');
      expect(moved).not.toBe(captured);
      expect(fw(moved).nftRules).toBe(fw(captured).nftRules);
      expect(fw(moved).rulesHash).not.toBe(fw(captured).rulesHash);
      expect(firewallChanged(fw(captured), fw(moved))).toBe(true);
      expect(firewallChanged(fw(captured), fw(recounted))).toBe(false);
    });
    it('nft and iptables are told apart; a set element\'s timeout is not a change', () => {
      expect(rulesFingerprint(['a'], [])).not.toBe(rulesFingerprint([], ['a']));
      expect(rulesFingerprint(['elements = { 10.0.0.1 expires 12s }'], [])).toBe(rulesFingerprint(['elements = { 10.0.0.1 expires 3s }'], []));
    });
    it('absent without root (nothing seen), and a run saved before it compares by the counts', () => {
      expect(fw(captured.replace(/##uid\n0\n/, '##uid\n1000\n')).rulesHash).toBeUndefined();
      const { rulesHash: _, ...old } = fw(captured);
      expect(firewallChanged(old, fw(captured.replace('dport 22 ', 'dport 2222 ')))).toBe(false);
    });
  });

  it('parses ss lines without a process column', () => {
    expect(parseListening(['LISTEN 0 128 [::1]:9200 [::]:*'])).toEqual([{ port: 9200 }]);
  });
});
