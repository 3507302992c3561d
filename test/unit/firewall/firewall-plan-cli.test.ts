import { describe, expect, it } from 'vitest';
import { runMain } from '../cli/run-main.js';

describe('ece-preflight firewall plan', () => {
  it('prints each host\'s rules and the nft script, without connecting', async () => {
    const r = await runMain(['firewall', 'plan', '-i', 'inventories/example.ini', '--controller', '203.0.113.9']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^FIREWALL PLAN inventories\/example.ini: 11 host\(s\), backend nftables/);
    expect(r.stdout).toContain('nft -f - <<\'ECE_PREFLIGHT_EOF\'');
    expect(r.stdout).toMatch(/accept tcp 2222 +from 203.0.113.9\/32/);
  });

  it('--limit chooses the hosts shown, never the sources: a limited host still allows every peer outside the limit', async () => {
    const all = JSON.parse((await runMain(['firewall', 'plan', '-i', 'inventories/example.ini', '--json'])).stdout);
    const one = all.hosts[3].host as string;
    const limited = await runMain(['firewall', 'plan', '-i', 'inventories/example.ini', '--json', '--limit', one]);
    expect(limited.code, limited.stderr).toBe(0);
    const plan = JSON.parse(limited.stdout);
    expect(plan.hosts.map((h: { host: string }) => h.host)).toEqual([one]);
    expect(plan.hosts[0].rules).toEqual(all.hosts[3].rules);
  });

  it('--json with another backend; a second run is byte-identical', async () => {
    const a = await runMain(['firewall', 'plan', '-i', 'inventories/example.ini', '--backend', 'iptables', '--json']);
    const b = await runMain(['firewall', 'plan', '-i', 'inventories/example.ini', '--backend', 'iptables', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const plan = JSON.parse(a.stdout);
    expect(plan.backend).toBe('iptables');
    expect(plan.hosts[0].steps.map((s: { argv: string[] }) => s.argv[0])).toEqual(['iptables-restore', 'ip6tables-restore']);
    expect(plan.hosts[0].warnings.join('\n')).toMatch(/SSH \(22\) from the controller: added at apply time/);
  });

  it('bad input is one line and the right exit code', async () => {
    const name = await runMain(['firewall', 'plan', '-i', 'db1.example.com,']);
    expect(name.code).toBe(4);
    expect(name.stderr).toMatch(/^ERROR: host db1.example.com: ansible_host: "db1.example.com" is a name/);
    const zone = await runMain(['firewall', 'plan', '-i', '10.0.0.1,', '--backend', 'firewalld', '--zone', 'a;b']);
    expect(zone.code).toBe(5);
    const controller = await runMain(['firewall', 'plan', '-i', '10.0.0.1,', '--controller', 'me']);
    expect(controller.stderr).toMatch(/--controller: not an IP address/);
    const none = await runMain(['firewall']);
    expect(none.code).toBe(5);
  });
});
