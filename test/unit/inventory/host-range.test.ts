import { describe, expect, it } from 'vitest';
import { expandHostKey, expandHostRange } from '../../../src/inventory/host-range.js';
import { parsePythonLiteral } from '../../../src/inventory/python-literal.js';
import { shlexSplit } from '../../../src/inventory/shlex.js';

describe('host keys', () => {
  it('expands several ranges, leftmost first, keeping zero padding', () => {
    expect(expandHostRange('r[1:2]n[08:10:2]')).toEqual(['r1n08', 'r1n10', 'r2n08', 'r2n10']);
    expect(expandHostRange('x[:2]')).toEqual(['x0', 'x1', 'x2']);
    expect(expandHostRange('z[a:e:2]')).toEqual(['za', 'zc', 'ze']);
  });

  it('splits ports off names, IPv4 and bracketed IPv6, not off bare IPv6', () => {
    expect(expandHostKey('h.example.com:2222')).toEqual({ hosts: ['h.example.com'], port: 2222 });
    expect(expandHostKey('198.18.0.1:2200')).toEqual({ hosts: ['198.18.0.1'], port: 2200 });
    expect(expandHostKey('[2001:db8::1]:2200')).toEqual({ hosts: ['2001:db8::1'], port: 2200 });
    expect(expandHostKey('2001:db8::1')).toEqual({ hosts: ['2001:db8::1'], port: undefined });
    expect(expandHostKey('a[1:2]:22')).toEqual({ hosts: ['a1', 'a2'], port: 22 });
  });
});

describe('INI value helpers', () => {
  it('shlexSplit follows POSIX shlex with comments', () => {
    expect(shlexSplit(`h a='x y' b="q\\"z" c=d\\ e f#g h`)).toEqual(['h', 'a=x y', 'b=q"z', 'c=d e', 'f']);
    expect(shlexSplit(`h e=''`)).toEqual(['h', 'e=']);
    expect(() => shlexSplit(`h a='x`)).toThrow('No closing quotation');
  });

  it('parsePythonLiteral evaluates literals and leaves the rest as text', () => {
    expect(parsePythonLiteral('0x1F')).toBe(31);
    expect(parsePythonLiteral('-3')).toBe(-3);
    expect(parsePythonLiteral("{'a': [1, (2, 3)], 'b': None}")).toEqual({ a: [1, [2, 3]], b: null });
    expect(parsePythonLiteral("'a' 'b'")).toBe('ab');
    expect(parsePythonLiteral('(1)')).toBe(1);
    expect(parsePythonLiteral('1.2.3')).toBe('1.2.3');
    expect(parsePythonLiteral('198.18.0.0/24')).toBe('198.18.0.0/24');
    expect(parsePythonLiteral('1j')).toBe('1j');
  });
});

describe('hostile ranges', () => {
  it('refuses a range that names more than 100,000 hosts, nested ones by their product, in one line', async () => {
    const { expandHostRange } = await import('../../../src/inventory/host-range.js');
    expect(() => expandHostRange('h[1:10000000]')).toThrow(/names more than 100,000 hosts/);
    expect(() => expandHostRange('a[1:1000]b[1:1000]')).toThrow(/names more than 100,000 hosts/);
    expect(expandHostRange('a[1:100]b[1:1000]')).toHaveLength(100_000);
  });
});
