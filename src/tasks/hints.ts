import type { InboundRule } from '../catalog/types.js';
import type { OutboundCheck, Probe } from '../plan/types.js';
import { CONTROLLER } from '../plan/types.js';
import type { FirewallBackend } from './facts-types.js';
import type { ProbeResult, Verdict } from './probe-outcome.js';

/**
 * One line that tells the operator which rule, which firewall and which side
 * to fix. Pure: everything it needs is passed in.
 */
export function probeHint(
  probe: Probe,
  result: ProbeResult,
  verdict: Verdict,
  ctx: { rules: InboundRule[]; destFirewall?: FirewallBackend; listenerBound: boolean },
): string | undefined {
  if (verdict === 'ok') return undefined;
  const src = probe.from === CONTROLLER ? 'the controller (external clients)' : probe.from;
  const why = ctx.rules.map((r) => `${r.id}: ${r.purpose}`).join('; ') || 'no catalog rule';
  const fw = ctx.destFirewall && ctx.destFirewall !== 'none' ? ` (${ctx.destFirewall})` : '';
  const path = `${src} -> ${probe.to}:${probe.port}`;
  if (verdict === 'exposed') {
    return `${path} connects but must not: block tcp/${probe.port} from other hosts in ${probe.to}'s firewall${fw} [${why}]`;
  }
  switch (result.outcome) {
    case 'filtered':
      return `no answer from ${probe.to}:${probe.port} within the timeout (tried twice): a DROP rule on ${probe.to}${fw} or a firewall in between; allow tcp/${probe.port} from ${src} [${why}]`;
    case 'refused':
      return ctx.listenerBound
        ? `${probe.to} refused ${probe.port} although our listener was up: a REJECT rule on ${probe.to}${fw} (tcp-reset) or in between; allow tcp/${probe.port} from ${src} [${why}]`
        : `${probe.to} refused ${probe.port} and no listener of ours held it (port in use by another process or listener failed): see ${probe.to}'s facts [${why}]`;
    case 'unreachable':
      return `no route from ${src} to ${probe.address} (ICMP unreachable or admin-prohibited: a REJECT with icmp on ${probe.to}${fw} or routing) [${why}]`;
    case 'unresolved':
      return `${src} cannot resolve ${probe.to}'s address ${probe.address} (${resolverMeaning(result.detail)}), so nothing was probed and ECE there could not connect either: add ${probe.address} to ${probe.from === CONTROLLER ? "the controller's" : `${probe.from}'s`} DNS or /etc/hosts, or give ${probe.to} an address (ansible_host, ece_host_ip) [${why}]`;
    case 'error':
      return `probe could not run (${result.detail ?? 'unknown error'}): check python3 on ${src === probe.from ? probe.from : 'the controller'}`;
    case 'open':
      return undefined;
  }
}

export function outboundHint(check: OutboundCheck, result: ProbeResult, verdict: Verdict): string | undefined {
  if (verdict === 'ok') return undefined;
  const what = `${check.from} -> ${check.host}:${check.port}`;
  if (result.outcome === 'unresolved') {
    return `${check.from} cannot resolve ${check.host} (${resolverMeaning(result.detail)}): fix ${check.from}'s DNS (/etc/resolv.conf) or /etc/hosts, or point ${check.rule.includes('snapshot') ? 'ece_snapshot_repos' : 'ece_registry'} at a name it resolves (${check.rule})`;
  }
  if (result.outcome === 'error') return `${what}: ${result.detail ?? 'error'} (set ece_registry to a reachable host, or --skip outbound)`;
  return `${what} ${result.outcome}: allow outbound tcp/${check.port} from ${check.from} (${check.rule}) in its firewall and any egress proxy or firewall`;
}

/** What getaddrinfo's answer means, in a few words (the agent sends EAI_*; Node says ENOTFOUND). */
export function resolverMeaning(code: string | undefined): string {
  switch (code) {
    case 'EAI_NONAME':
    case 'ENOTFOUND':
      return 'no such name';
    case 'EAI_NODATA':
    case 'EAI_ADDRFAMILY':
      return 'the name has no address';
    case 'EAI_AGAIN':
      return 'no answer from its resolver';
    case 'EAI_FAIL':
      return 'its resolver failed';
    default:
      return code ? `resolver: ${code}` : 'resolver error';
  }
}
