import type { InboundRule } from '../catalog/types.js';
import type { OutboundCheck, Probe } from '../plan/types.js';
import { CONTROLLER } from '../plan/types.js';
import type { FirewallBackend } from './facts-types.js';
import { proxyStatusCode, type ProbeResult, type ProxyResult, type Verdict } from './probe-outcome.js';

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
  const varName = check.rule.includes('snapshot') ? 'ece_snapshot_repos' : check.rule.includes('install-script') ? 'ece_install_script_host' : 'ece_registry';
  if (result.proxy) return proxyHint(check, result, result.proxy);
  if (result.outcome === 'unresolved') {
    return `${check.from} cannot resolve ${check.host} (${resolverMeaning(result.detail)}): fix ${check.from}'s DNS (/etc/resolv.conf) or /etc/hosts, or point ${varName} at a name it resolves (${check.rule})`;
  }
  if (result.outcome === 'error') return `${what}: ${result.detail ?? 'error'} (set ${varName} to a reachable host, or --skip outbound)`;
  return `${what} ${result.outcome}: allow outbound tcp/${check.port} from ${check.from} (${check.rule}) in its firewall and any egress proxy or firewall`;
}

/**
 * A check through the host's HTTPS proxy: whether the proxy itself was out of
 * reach (nothing was asked for the target), or the proxy answered and refused
 * or could not reach the target (which it resolves itself).
 */
function proxyHint(check: OutboundCheck, result: ProbeResult, proxy: ProxyResult): string {
  const target = `${check.host}:${check.port}`;
  const px = proxy.address;
  if (proxy.at === 'proxy') {
    if (result.outcome === 'unresolved') {
      return `proxy unreachable: ${check.from} cannot resolve its HTTPS proxy's name ${px} (${resolverMeaning(result.detail)}), so ${target} was never asked for: fix ${check.from}'s DNS or /etc/hosts, or give ece_https_proxy as an address (${check.rule})`;
    }
    const how = result.outcome === 'refused' ? 'refused the connection (nothing listening, or a REJECT)' : result.outcome === 'filtered' ? 'did not answer within the timeout (a DROP, or the proxy is down)' : result.outcome === 'unreachable' ? 'is unreachable (no route, or ICMP prohibited)' : `could not be connected to (${result.detail ?? 'error'})`;
    return `proxy unreachable: ${check.from}'s HTTPS proxy ${px} ${how}, so ${target} was never asked for: start the proxy or allow outbound tcp to ${px} from ${check.from}, or fix ece_https_proxy (${check.rule})`;
  }
  const code = proxyStatusCode(proxy.status);
  if (code === 407) {
    return `could not tell: ${px} wants proxy authentication ("${proxy.status}") for CONNECT ${target} from ${check.from}, and ece-preflight sends no credentials: check it from ${check.from} with them (curl -x http://USER@${px} https://${target}), or let the proxy allow it without (${check.rule})`;
  }
  if (result.outcome === 'refused' && code === 403) {
    return `proxy refused the target: ${px} answered "${proxy.status}" to CONNECT ${target} from ${check.from} (its access rules deny it): allow CONNECT to ${target} in the proxy's rules (${check.rule})`;
  }
  if (result.outcome === 'refused') {
    return `proxy could not reach the target: ${px} answered "${proxy.status ?? result.detail ?? '?'}" to CONNECT ${target} from ${check.from}: the proxy resolves ${check.host} itself, so check the proxy's DNS and its own egress to ${target}, or the proxy's rules (${check.rule})`;
  }
  if (result.outcome === 'filtered') {
    return `proxy gave no answer: ${px} accepted ${check.from}'s connection but did not answer CONNECT ${target} within the timeout: the proxy's own connection to ${target} hangs (a DROP beyond the proxy) (${check.rule})`;
  }
  return `proxy answer unusable: ${px} did not give an HTTP status to CONNECT ${target} from ${check.from} (${result.detail ?? 'error'}): is ece_https_proxy an HTTP proxy? (${check.rule})`;
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
