import { describe, expect, it } from 'vitest';
import { defaultRouteInterface, pickLocalAddress } from '../../../src/inventory/local-address.js';
import { withLocalAddress } from '../../../src/cli/local-address.js';
import { loadEmbeddedDefault } from '../../../src/inventory/load.js';

const ifaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  br0: [{ address: '10.9.0.1', family: 'IPv4', internal: false }],
  eth0: [
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '169.254.3.3', family: 'IPv4', internal: false },
    { address: '10.1.2.3', family: 'IPv4', internal: false },
  ],
};

describe('the address other hosts would use to reach this machine', () => {
  it("is the default route's interface's IPv4 address", () => {
    expect(pickLocalAddress(ifaces, 'eth0')).toBe('10.1.2.3');
  });

  it('else the first IPv4 address that is neither loopback nor link-local; loopback only: none', () => {
    expect(pickLocalAddress(ifaces, undefined)).toBe('10.9.0.1');
    expect(pickLocalAddress(ifaces, 'wlan0')).toBe('10.9.0.1');
    expect(pickLocalAddress({ lo: ifaces.lo }, undefined)).toBeUndefined();
  });

  it('reads the default route from /proc/net/route (destination and mask 0)', () => {
    const route = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'br0\t00120AC6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
      'eth0\t00000000\t0102000A\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    ].join('\n');
    expect(defaultRouteInterface(route)).toBe('eth0');
    expect(defaultRouteInterface(route.split('\n').slice(0, 2).join('\n'))).toBeUndefined();
  });

  it('applies to the embedded default only, as its ece_host_ip; ECE_PREFLIGHT_LOCAL_ADDRESS chooses', () => {
    const { fleet } = loadEmbeddedDefault();
    const pinned = withLocalAddress(fleet, { env: { ECE_PREFLIGHT_LOCAL_ADDRESS: '198.18.0.99' } });
    expect(pinned.hosts[0]).toMatchObject({ name: 'localhost', address: '198.18.0.99', addressSource: 'ece_host_ip', eceHostIp: '198.18.0.99' });
    const other = { ...fleet, source: 'hosts.ini' };
    expect(withLocalAddress(other, { env: { ECE_PREFLIGHT_LOCAL_ADDRESS: '198.18.0.99' } })).toBe(other);
  });
});
