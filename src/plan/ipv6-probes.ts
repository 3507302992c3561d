import type { InboundRule } from '../catalog/types.js';
import type { Role } from '../model/roles.js';
import { CONTROLLER, type Probe } from './types.js';

/** What an IPv6 probe's id ends with: `h5>h4:9200/ipv6`, apart from the IPv4 path's id. */
export const IPV6_ID_SUFFIX = '/ipv6';

/**
 * The proxy paths again over IPv6 (the seed: proxies need IPv6 on 2.4.0 and
 * 2.4.1): a twin of every probe between hosts whose destination is planned as
 * a proxy and whose port a proxy rule requires. Its address is not known
 * before facts (the destination's global IPv6 address), so it is left empty
 * here and filled by `resolveIpv6Probes` once facts are in. The controller's
 * probes get no twin (nor a host's probes of itself): whether this machine has IPv6 to the fleet is not a
 * fact we gather. Ordered by destination, port, source like the IPv4 probes.
 */
export function ipv6Twins(probes: readonly Probe[], plannedRoles: ReadonlyMap<string, readonly Role[]>, rules: readonly InboundRule[]): Probe[] {
  const proxyRules = new Set(rules.filter((r) => r.dest !== 'all' && r.dest.includes('proxy') && r.expect === 'open').map((r) => r.id));
  const out: Probe[] = [];
  for (const p of probes) {
    // A host probing itself over IPv6 only tests its loopback path.
    if (p.from === CONTROLLER || p.from === p.to || p.expect !== 'open') continue;
    if (!plannedRoles.get(p.to)?.includes('proxy')) continue;
    const rulesHere = p.rules.filter((id) => proxyRules.has(id));
    if (rulesHere.length === 0) continue;
    out.push({ ...p, id: p.id + IPV6_ID_SUFFIX, address: '', family: 'ipv6', rules: rulesHere });
  }
  return out;
}

/**
 * IPv6 probes made runnable: each gets the destination's first global IPv6
 * address; one whose source or destination has none (IPv6 off, or no global
 * address) is dropped: there is no IPv6 path to check between them. Other
 * probes pass unchanged. Pure: `ipv6Of` gives a host's usable global IPv6
 * addresses (empty or undefined: none).
 */
export function resolveIpv6Probes(probes: readonly Probe[], ipv6Of: (host: string) => readonly string[] | undefined): Probe[] {
  const out: Probe[] = [];
  for (const p of probes) {
    if (p.family !== 'ipv6') {
      out.push(p);
      continue;
    }
    const dst = ipv6Of(p.to)?.[0];
    if (!dst || !ipv6Of(p.from)?.length) continue;
    out.push({ ...p, address: dst });
  }
  return out;
}
