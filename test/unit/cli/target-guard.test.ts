import { describe, expect, it } from 'vitest';
import { checkAllowedTargets } from '../../../src/cli/target-guard.js';
import { bareHost } from '../../../src/model/fleet.js';
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
