import { isIP } from 'node:net';
import { canonicalCidr, cidrContains } from '../firewall/cidr.js';

/**
 * ece_no_proxy: the endpoints a host reaches directly although it has an
 * ece_https_proxy, as curl and Docker read NO_PROXY (ECE's hosts pull through
 * Docker): `*` is every endpoint; a name matches itself and its subdomains
 * (`example.com`, `.example.com` and `*.example.com` alike); an address or a
 * CIDR matches an endpoint given as an address inside it. Names are never
 * resolved to compare them with addresses, as curl does not. No ports.
 * (Docker's Go reading differs in one case: there `.example.com` does not
 * match example.com itself. Here it does, as in curl 7.86 and later.)
 */
export type NoProxyEntry = { kind: 'all' } | { kind: 'domain'; name: string } | { kind: 'cidr'; cidr: string };

/** One entry, or the reason it is not one (the inventory names the host and variable). */
export function parseNoProxyEntry(text: string): NoProxyEntry | string {
  const t = text.trim().toLowerCase();
  if (t === '*') return { kind: 'all' };
  const bare = t.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare.split('/')[0]!) !== 0) {
    try {
      return { kind: 'cidr', cidr: canonicalCidr(bare) };
    } catch (e) {
      return (e as Error).message;
    }
  }
  const name = t.replace(/^\*?\./, '');
  if (/:\d+$/.test(name)) return `ports are not supported (as in curl's NO_PROXY), got ${JSON.stringify(text)}`;
  if (!/^[\p{L}\p{M}\p{N}_-]+(\.[\p{L}\p{M}\p{N}_-]+)*$/u.test(name)) return `expected *, a domain, an address or a CIDR, got ${JSON.stringify(text)}`;
  return { kind: 'domain', name };
}

/** Does this endpoint host skip the proxy? */
export function bypassesProxy(host: string, entries: readonly NoProxyEntry[]): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  const address = isIP(h) !== 0 ? canonicalCidr(h) : undefined;
  return entries.some((e) => {
    if (e.kind === 'all') return true;
    if (e.kind === 'domain') return address === undefined && (h === e.name || h.endsWith(`.${e.name}`));
    // an address of the other family is simply not inside
    return address !== undefined && cidrContains(e.cidr, address);
  });
}
