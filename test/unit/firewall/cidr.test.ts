import { describe, expect, it } from 'vitest';
import { controllerAddressFromSshClient } from '../../../src/firewall/address.js';
import { canonicalCidr, cidrContains } from '../../../src/firewall/cidr.js';
import { ruleComment } from '../../../src/firewall/comment.js';

describe('CIDRs in one canonical text', () => {
  it('adds the prefix, lowercases and compresses IPv6 as RFC 5952', () => {
    expect(canonicalCidr('10.0.0.1')).toBe('10.0.0.1/32');
    expect(canonicalCidr('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1/128');
    expect(canonicalCidr('2001:db8:0:0:1:0:0:0/80')).toBe('2001:db8:0:0:1::/80'); // the longer zero run wins
    expect(canonicalCidr('::ffff:10.0.0.1')).toBe('::ffff:a00:1/128');
    expect(canonicalCidr('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it('refuses what is not a CIDR, with the reason', () => {
    expect(() => canonicalCidr('10.0.0.256')).toThrow(/not an IP address or CIDR/);
    expect(() => canonicalCidr('fe80::1%eth0')).toThrow(/not an IP address or CIDR/);
    expect(() => canonicalCidr('10.0.0.0/8 ')).not.toThrow();
    expect(() => canonicalCidr('10.0.0.0/-1')).toThrow(/prefix length/);
    expect(() => canonicalCidr('2001:db8::1/64')).toThrow(/host bits set \(the network is 2001:db8::\/64\)/);
  });

  it('containment', () => {
    expect(cidrContains('198.18.0.0/24', '198.18.0.3/32')).toBe(true);
    expect(cidrContains('198.18.0.0/24', '198.18.1.3/32')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::/48')).toBe(true);
    expect(cidrContains('2001:db8::/32', '10.0.0.0/8')).toBe(false);
  });

  it('SSH_CLIENT gives the controller address the host sees', () => {
    expect(controllerAddressFromSshClient('198.18.0.250 53422 22')).toBe('198.18.0.250/32');
    expect(controllerAddressFromSshClient('::ffff:198.18.0.250 53422 22')).toBe('198.18.0.250/32');
    expect(controllerAddressFromSshClient('2001:db8::9 1 22\n')).toBe('2001:db8::9/128');
    expect(() => controllerAddressFromSshClient('')).toThrow(/SSH_CLIENT/);
  });

  it('comments: ids first, safe characters, cut at 120', () => {
    expect(ruleComment(['ssh'], 'SSH "quoted"; $(x)')).toBe('ece-preflight ssh: SSH quoted (x)');
    const many = ruleComment(Array.from({ length: 12 }, (_, i) => `allocator-rule-number-${i}`));
    expect(many.length).toBeLessThanOrEqual(120);
    expect(many).toMatch(/^ece-preflight allocator-rule-number-0,.*,\+\d+$/);
  });
});
