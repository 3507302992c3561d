import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFacts, parseGlobalIpv6, usableIpv6 } from '../../../src/tasks/facts.js';

const addrs = readFileSync(new URL('../../fixtures/facts/ip-addr-ipv6.txt', import.meta.url), 'utf8');

describe('IPv6 facts', () => {
  it('global addresses from `ip -o addr show` (ULA included; loopback, link-local, tentative left out)', () => {
    expect(parseGlobalIpv6(addrs.trim().split('\n'))).toEqual(['2001:db8:20::5', 'fd00:ece::5']);
  });
  it('from `hostname -I` when ip is missing', () => {
    expect(parseGlobalIpv6(['10.0.0.5 2001:DB8::7 fe80::1 ::1'])).toEqual(['2001:db8::7']);
  });
  it('state and addresses together; usable only when enabled', () => {
    const on = parseFacts(`##ipv6\n0\n##addrs\n${addrs}`);
    expect(on.ipv6).toEqual({ enabled: true, addresses: ['2001:db8:20::5', 'fd00:ece::5'] });
    expect(usableIpv6(on)).toEqual(['2001:db8:20::5', 'fd00:ece::5']);
    const off = parseFacts('##ipv6\n1\n##addrs\n2: eth0    inet 10.0.0.5/24 scope global eth0\n');
    expect(off.ipv6).toEqual({ enabled: false });
    expect(usableIpv6(off)).toBeUndefined();
    // No /proc/sys/net/ipv6: IPv6 is not in the kernel.
    expect(parseFacts('##ipv6\n##addrs\n').ipv6).toEqual({ enabled: false });
  });
});
