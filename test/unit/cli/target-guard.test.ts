import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAllowedTargets } from '../../../src/cli/target-guard.js';
import { bareHost } from '../../../src/model/fleet.js';
import type { SshTarget } from '../../../src/transport/ssh-options.js';
import { runMain } from './run-main.js';

const LAB = '127.0.0.0/8,198.18.0.0/24,::1/128,fd00:198:18::/64';
const planOf = (addresses: string[], outbound: { host: string; proxy?: string }[] = []) => ({
  hosts: addresses.map((a, i) => ({ host: bareHost(`h${i + 1}`, a), roles: [], firstHost: false, listeners: [] })),
  outbound: outbound.map((o, i) => ({ id: `o${i}`, from: 'h1', host: o.host, port: 443, rule: 'outbound-registry', ...(o.proxy ? { proxy: { host: o.proxy, port: 3128 } } : {}) })),
});

describe('ECE_PREFLIGHT_ALLOWED_TARGETS (what the test suites set)', () => {
  it('lets loopback, lab addresses and lab-only names through', () => {
    expect(() => checkAllowedTargets(planOf(['198.18.0.11', '127.0.0.1', 'fd00:198:18::11'], [{ host: 'h1.ecesd.test' }, { host: 'localhost' }]), LAB)).not.toThrow();
  });

  it('refuses anything else before the run connects: a host, its SSH target, an outbound endpoint, a proxy', () => {
    expect(() => checkAllowedTargets(planOf(['10.1.2.3']), LAB)).toThrow(/refusing to connect to 10\.1\.2\.3 \(h1\)/);
    const viaConfig = planOf(['198.18.0.11']);
    viaConfig.hosts[0]!.host.ssh = { target: 'root@203.0.113.5:22', hostname: '203.0.113.5', resolvedBy: 'ssh -G' };
    expect(() => checkAllowedTargets(viaConfig, LAB)).toThrow(/203\.0\.113\.5 \(h1, SSH\)/);
    expect(() => checkAllowedTargets(planOf(['198.18.0.11'], [{ host: 'download.elastic.co' }]), LAB)).toThrow(/download\.elastic\.co \(h1, outbound-registry\)/);
    expect(() => checkAllowedTargets(planOf(['198.18.0.11'], [{ host: 'h1.ecesd.test', proxy: 'proxy.example.com' }]), LAB)).toThrow(/proxy\.example\.com \(h1, outbound-registry via its proxy\)/);
  });

  it('checks the SSH bastions on the way and refuses a ProxyCommand it cannot follow', () => {
    const plan = planOf(['198.18.0.11']);
    const target = (t: Partial<SshTarget>) => new Map([['h1', { hostname: '198.18.0.11', port: 22, user: 'root', jumps: [], ...t } as SshTarget]]);
    expect(() => checkAllowedTargets(plan, LAB, target({ jumps: [{ host: '198.18.0.12' }, { host: 'bastion.ecesd.test', port: 2222 }] }))).not.toThrow();
    expect(() => checkAllowedTargets(plan, LAB, target({ jumps: [{ host: '198.18.0.12' }, { host: '203.0.113.9', user: 'ops' }] }))).toThrow(
      /refusing to connect to 203\.0\.113\.9 \(h1, SSH bastion\)$/,
    );
    // an ssh_config alias is resolved only when connecting: a name here
    expect(() => checkAllowedTargets(plan, LAB, target({ jumps: [{ host: 'jumpbox' }] }))).toThrow(/jumpbox \(h1, SSH bastion\)/);
    expect(() => checkAllowedTargets(plan, LAB, target({ proxyCommand: 'nc 203.0.113.9 22' }))).toThrow(
      /ProxyCommand nc 203\.0\.113\.9 22 \(h1, SSH: where it connects cannot be checked\)/,
    );
    // a host whose settings did not resolve fails on its own; the guard has nothing more to check
    expect(() => checkAllowedTargets(plan, LAB, new Map([['h1', new Error('bad -F')]]))).not.toThrow();
  });

  it('a sweep through a bastion outside the lab is refused before anything connects (ssh -G reads the ProxyJump)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecep-guard-'));
    try {
      const inv = path.join(dir, 'hosts.ini');
      writeFileSync(inv, "[allocators]\nh1 ansible_host=198.18.0.11 ansible_ssh_common_args='-o ProxyJump=ops@203.0.113.9'\n");
      const r = await runMain(['sweep', '-i', inv, '--no-tui', '--no-save', '--skip', 'outbound']);
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toMatch(/^ERROR: ECE_PREFLIGHT_ALLOWED_TARGETS=.*: refusing to connect to 203\.0\.113\.9 \(h1, SSH bastion\)$/m);
      expect(r.stdout).not.toMatch(/TASK \[/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unset: no limit', () => {
    expect(() => checkAllowedTargets(planOf(['10.1.2.3'], [{ host: 'download.elastic.co' }]), undefined)).not.toThrow();
  });

  it('a sweep whose plan reaches the default registry is refused in one line, exit 5, before anything runs', async () => {
    const r = await runMain(['sweep', '--no-tui', '--no-save']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^ERROR: ECE_PREFLIGHT_ALLOWED_TARGETS=.*: refusing to connect to docker\.elastic\.co \(localhost, outbound-registry-https\), .*download\.elastic\.co \(localhost, outbound-install-script\)/m);
    expect(r.stdout).not.toMatch(/TASK \[/);
  });
});
