import { isIP } from 'node:net';
import type { Family } from './types.js';

/**
 * CIDRs in one canonical text, so that what we render and what nft or
 * iptables-save print back compare equal: IPv4 dotted quad, IPv6 as RFC 5952
 * (lower case, longest zero run as ::), always with the prefix length.
 */
export interface Cidr {
  family: Family;
  /** 4 or 16 bytes, host bits zero. */
  bytes: number[];
  prefix: number;
}

/** Parses an address or CIDR; throws Error with a reason (callers add host and variable). */
export function parseCidr(text: string): Cidr {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const v = isIP(addr);
  // An IPv6 zone (fe80::1%eth0) means nothing in a firewall rule.
  if (v === 0 || addr.includes('%')) throw new Error(`not an IP address or CIDR: ${JSON.stringify(text)}`);
  const family: Family = v === 4 ? 'ipv4' : 'ipv6';
  const bits = v === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) throw new Error(`prefix length must be 0..${bits}: ${JSON.stringify(text)}`);
    prefix = Number(p);
  }
  const bytes = v === 4 ? addr.split('.').map(Number) : ipv6Bytes(addr);
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i]! & ~maskByte(prefix, i) & 0xff) !== 0) {
      const net = formatCidr({ family, bytes: bytes.map((b, j) => b & maskByte(prefix, j)), prefix });
      throw new Error(`${JSON.stringify(text)} has host bits set (the network is ${net})`);
    }
  }
  return { family, bytes, prefix };
}

/** The netmask's byte i for a prefix length. */
function maskByte(prefix: number, i: number): number {
  const keep = Math.max(0, Math.min(8, prefix - i * 8));
  return keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
}

function ipv6Bytes(addr: string): number[] {
  let text = addr.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, quad.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

export function formatCidr(c: Cidr): string {
  return `${formatAddress(c)}/${c.prefix}`;
}

/** The address part alone. */
export function formatAddress(c: Pick<Cidr, 'family' | 'bytes'>): string {
  if (c.family === 'ipv4') return c.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((c.bytes[i]! << 8) | c.bytes[i + 1]!);
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes ::.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical text of an address or CIDR (throws as parseCidr). */
export function canonicalCidr(text: string): string {
  return formatCidr(parseCidr(text));
}

/** Family of a canonical CIDR text. */
export function cidrFamily(cidr: string): Family {
  return cidr.includes(':') ? 'ipv6' : 'ipv4';
}

/** A single address (/32, /128): nft prints these without the prefix. */
export function isHostCidr(c: Cidr): boolean {
  return c.prefix === (c.family === 'ipv4' ? 32 : 128);
}

/** Byte-wise order of canonical CIDRs (then by prefix), for stable rule order. */
export function compareCidrs(a: string, b: string): number {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (x.family !== y.family) return x.family === 'ipv4' ? -1 : 1;
  for (let i = 0; i < x.bytes.length; i++) if (x.bytes[i] !== y.bytes[i]) return x.bytes[i]! - y.bytes[i]!;
  return x.prefix - y.prefix;
}

/** Does network `outer` hold every address of `inner` (both canonical, same family)? */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (o.family !== i.family || o.prefix > i.prefix) return false;
  return o.bytes.every((b, k) => (i.bytes[k]! & maskByte(o.prefix, k)) === b);
}
