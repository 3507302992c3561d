import { describe, expect, it } from 'vitest';
import { checkPersistPath, notPersisted, persistPlan, v6FileFor } from '../../../src/firewall/persist.js';
import { answers, describeLost, lost, pathsToVerify } from '../../../src/firewall/verify-paths.js';
import { CONTROLLER, type Probe } from '../../../src/plan/types.js';

describe('--persist steps', () => {
  it('nftables: one script, the file as argv (empty: detected on the host), checked with nft -c before it replaces the file', () => {
    const auto = persistPlan('nftables', {});
    expect(auto.steps).toHaveLength(1);
    const [sh, c, script, zero, file] = auto.steps[0]!.argv;
    expect([sh, c, zero, file]).toEqual(['sh', '-c', 'sh', '']);
    expect(script).toContain('if [ -f /etc/nftables.conf ]; then f=/etc/nftables.conf');
    expect(script).toContain('f=/etc/sysconfig/nftables.conf');
    expect(script).toContain('echo "flush ruleset"; nft list ruleset; } > "$tmp"');
    expect(script).toContain('nft -c -f "$tmp"');
    expect(script).toContain('cp -p "$f" "$f.ece-preflight.bak"');
    expect(script).toContain('mv "$tmp" "$f"');
    expect(auto.steps[0]!.stdin).toBeUndefined();
    expect(persistPlan('nftables', {}, '/tmp/x/nftables.conf').steps[0]!.argv.at(-1)).toBe('/tmp/x/nftables.conf');
  });

  it('iptables: iptables-save and ip6tables-save, tested with -restore --test, to rules.v4/v6 or /etc/sysconfig', () => {
    const auto = persistPlan('iptables', {});
    const argv = auto.steps[0]!.argv;
    expect(argv.slice(-2)).toEqual(['', '']);
    expect(argv[2]).toContain('f4=/etc/iptables/rules.v4; f6=/etc/iptables/rules.v6');
    expect(argv[2]).toContain('f4=/etc/sysconfig/iptables; f6=/etc/sysconfig/ip6tables');
    expect(argv[2]).toContain('save iptables-save iptables-restore "$f4"');
    expect(argv[2]).toContain('save ip6tables-save ip6tables-restore "$f6"');
    expect(argv[2]).toContain('"$2" --test < "$tmp"');
    expect(persistPlan('iptables', {}, '/t/rules.v4').steps[0]!.argv.slice(-2)).toEqual(['/t/rules.v4', '/t/rules.v6']);
    expect(v6FileFor('/etc/sysconfig/iptables')).toBe('/etc/sysconfig/ip6tables');
    expect(v6FileFor('/t/saved')).toBe('/t/saved6');
  });

  it("firewalld: the change's own --permanent steps; ufw: nothing (already permanent)", () => {
    const step = { description: 'add permanent rich rule', argv: ['firewall-cmd', '--permanent', '--add-rich-rule=rule family="ipv4" port port="22" protocol="tcp" accept'] };
    expect(persistPlan('firewalld', { persist: [step] }).steps).toEqual([step]);
    expect(persistPlan('ufw', {}).steps).toEqual([]);
    expect(notPersisted('nftables')).toMatch(/last until reboot/);
    expect(notPersisted('ufw')).toMatch(/across reboots/);
  });

  it('refuses a persist path that is not absolute and plain', () => {
    for (const bad of ['etc/nftables.conf', '/etc/$(id)', '/etc/a b', '/etc/../x']) expect(() => checkPersistPath(bad)).toThrow(/absolute path/);
    expect(() => persistPlan('nftables', {}, 'relative')).toThrow();
  });
});

describe('paths re-probed before disarming', () => {
  const p = (from: string, to: string, port: number, rules: string[], expect: 'open' | 'closed' = 'open'): Probe => ({ id: `${from}>${to}:${port}`, from, to, address: '198.18.0.2', port, expect, rules });
  const plan = {
    probes: [
      p(CONTROLLER, 'h2', 22, ['ssh']),
      p('h1', 'h2', 20000, ['install-check']),
      p('h1', 'h2', 21000, ['install-check']),
      p('h1', 'h2', 12191, ['director-zk-client']),
      p('h3', 'h2', 20000, ['install-check']),
      p('h1', 'h2', 2375, ['docker-2375'], 'closed'),
      p('h2', 'h1', 20000, ['install-check']),
    ],
  };

  it('one port per source and rule group, required paths only, sources with an agent, the controller always', () => {
    const got = pathsToVerify(plan, 'h2', (from) => from === 'h1');
    expect(got.map((x) => x.id)).toEqual(['@controller>h2:22', 'h1>h2:20000', 'h1>h2:12191']);
  });

  it('a path is lost when it answered (open or refused) and is now filtered or unreachable; an error proves nothing', () => {
    expect(answers('refused')).toBe(true);
    expect(lost('open', 'filtered')).toBe(true);
    expect(lost('refused', 'unreachable')).toBe(true);
    expect(lost('open', 'refused')).toBe(false);
    expect(lost('filtered', 'filtered')).toBe(false);
    expect(lost('open', 'error')).toBe(false);
    expect(describeLost([{ probe: plan.probes[1]!, before: 'open', after: 'filtered' }])).toBe('h1 -> h2:20000 (install-check) was open, now filtered');
  });
});
