import { canonicalCidr, cidrContains } from '../firewall/cidr.js';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { SshTarget } from '../transport/ssh-options.js';

/**
 * ECE_PREFLIGHT_ALLOWED_TARGETS (comma-separated CIDRs): every address a
 * play's plan would connect to (hosts and their SSH targets, the outbound
 * checks' endpoints or their HTTPS proxy, the SSH bastions on the way) must be
 * inside one of them, or a name that only the lab resolves (`localhost`,
 * `*.test`); a ProxyCommand other than `ssh -W` cannot be checked and is
 * refused too. Otherwise the run is refused
 * before anything connects. The test suites set it to loopback and the lab's
 * networks, so a test can never send traffic elsewhere (a default such as
 * download.elastic.co left in an inventory once did). Unset: no limit.
 */
export function checkAllowedTargets(
  plan: Pick<Plan, 'hosts' | 'outbound'>,
  allowed: string | undefined,
  sshTargets?: ReadonlyMap<string, SshTarget | Error>,
): void {
  if (!allowed) return;
  const nets = allowed.split(',').map((c) => canonicalCidr(c.trim()));
  const outside = new Set<string>();
  const check = (target: string | undefined, who: string) => {
    if (target && !allowedTarget(target, nets)) outside.add(`${target} (${who})`);
  };
  for (const { host: h } of plan.hosts) {
    check(h.address, h.name);
    // Where SSH really goes, after ssh_config.
    if (h.connection !== 'ssh') continue;
    check(h.ssh?.hostname ?? h.sshAddress ?? h.address, `${h.name}, SSH`);
    // The hops before it: a bastion named by an ssh_config alias is only resolved
    // when connecting, so here it is a name, refused unless lab-only.
    const t = sshTargets?.get(h.name);
    if (!t || t instanceof Error) continue;
    for (const hop of t.jumps) check(hop.host, `${h.name}, SSH bastion`);
    if (t.proxyCommand) outside.add(`ProxyCommand ${t.proxyCommand} (${h.name}, SSH: where it connects cannot be checked)`);
  }
  // Only the outbound checks the plan holds (--skip outbound leaves a default registry unreached).
  for (const o of plan.outbound) {
    check(o.proxy ? o.proxy.host : o.host, `${o.from}, ${o.rule}${o.proxy ? ' via its proxy' : ''}`);
  }
  if (outside.size) {
    const list = [...outside];
    throw new UsageError(`ECE_PREFLIGHT_ALLOWED_TARGETS=${allowed}: refusing to connect to ${list.slice(0, 3).join(', ')}${list.length > 3 ? ` and ${list.length - 3} more` : ''}`);
  }
}

function allowedTarget(target: string, nets: readonly string[]): boolean {
  // A registry left empty (the lab's default before its stand-in) is not a target.
  if (target === '') return true;
  if (!isIP(target)) return target === 'localhost' || /\.test$/i.test(target);
  const host = canonicalCidr(target);
  return nets.some((n) => {
    try {
      return cidrContains(n, host);
    } catch {
      return false;
    }
  });
}
