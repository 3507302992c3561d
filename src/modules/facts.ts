import { z } from 'zod';
import { parseFacts } from '../tasks/facts.js';
import type { FleetHost } from '../model/fleet.js';
import type { HostFacts } from '../tasks/facts-types.js';
import { TIMED_OUT, withTimeout } from '../engine/with-timeout.js';
import { agentFailure, agentOf } from './agent-session.js';
import type { Module } from './types.js';

/** One line of what the facts say, for the per-host output. */
export function factsSummary(f: HostFacts): string {
  const fw = f.firewall;
  return [
    f.os,
    f.kernel && `kernel ${f.kernel}`,
    fw && `firewall ${fw.backend}${fw.firewalldActive ? ' (firewalld active)' : ''}${fw.rulesVisible === false ? ' (rules not visible without become)' : ''}`,
    f.docker && `docker ${f.docker.present ? 'yes' : 'no'}`,
    f.ipv6 && `ipv6 ${f.ipv6.enabled ? 'on' : 'off'}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Why ece_host_ip cannot be this host's ECE address (not one of its own), or undefined. */
export function eceHostIpProblem(host: Pick<FleetHost, 'name' | 'eceHostIp'>, facts: HostFacts): string | undefined {
  const ip = host.eceHostIp;
  // No list (neither ip nor hostname -I): nothing to compare with; the probes will tell.
  if (ip === undefined || !facts.addresses?.length) return undefined;
  if (facts.addresses.includes(ip.toLowerCase())) return undefined;
  const own = facts.addresses.filter((a) => a !== '127.0.0.1' && a !== '::1' && !a.startsWith('fe80:'));
  return `ece_host_ip ${ip} is not an address of ${host.name} (it has ${own.join(', ') || 'only loopback'}): other hosts would probe another machine; fix ece_host_ip`;
}

/**
 * Host facts: OS, kernel, IPv6, Docker, firewall backend and rules,
 * listening sockets, port range, python. They come first in the host's agent
 * session (the same exec that later holds listeners and runs probes).
 */
export const factsModule: Module<Record<string, never>> = {
  name: 'facts',
  description: 'Gather host facts (OS, kernel, IPv6, Docker, firewall, listening sockets)',
  args: z.strictObject({}),
  checkMode: 'full',
  phase: 'facts',
  async run(ctx) {
    const agent = agentOf(ctx);
    const step = ctx.task.run.options.stepTimeoutMs;
    const lines = await withTimeout(agent.facts, step);
    if (lines === TIMED_OUT) return { status: 'failed', msg: `no facts within ${step} ms` };
    // undefined: the session ended before the facts were out, and its stderr says why
    if (lines === undefined) return { status: 'failed', msg: await agentFailure(agent) };
    const first = ctx.session.facts === undefined;
    // The agent's lines are its first exchange's: a later facts task keeps the
    // session's facts, which a firewall change since has read again.
    const facts = ctx.session.facts ?? parseFacts(lines.join('\n'));
    const wrongIp = eceHostIpProblem(ctx.host, facts);
    ctx.session.facts = facts;
    const emit = ctx.task.run.emit;
    if (first) {
      emit({ kind: 'facts', host: ctx.name, facts });
      if (facts.firewall?.firewalldActive) {
        emit({ kind: 'warning', host: ctx.name, code: 'firewalld-active', message: `${ctx.name}: firewalld is running; the ECE installer fails (3.5) or warns (4.0) on it` });
      }
    }
    // Before any probe: probing an address the host does not have checks another machine, or nothing.
    if (wrongIp) return { status: 'failed', msg: wrongIp, data: { ansible_facts: facts } };
    return { status: 'ok', msg: `facts: ${factsSummary(facts)}`, data: { ansible_facts: facts } };
  },
};
