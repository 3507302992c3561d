import { CONTROLLER, type Plan, type Probe } from '../plan/types.js';
import type { ProbeOutcome } from '../tasks/probe-outcome.js';

/**
 * The commit-confirmed check beyond a new SSH login: the host's required
 * inbound paths are probed before the change and again after it (before the
 * timer is disarmed), from the controller (the `external` rules and SSH) and
 * from the play's other hosts that have an agent session. A path that
 * answered before and no longer does is a regression: the change is undone
 * at once, as after a failed login. Pure: which paths, and how to judge.
 */

/** A path answers when a SYN gets an answer: open (something listens) or refused (nothing listens, the firewall let it through). */
export function answers(outcome: ProbeOutcome): boolean {
  return outcome === 'open' || outcome === 'refused';
}

/** Lost: answered before, filtered or unreachable now. An `error` (a probing agent died) proves nothing either way. */
export function lost(before: ProbeOutcome, after: ProbeOutcome): boolean {
  return answers(before) && (after === 'filtered' || after === 'unreachable');
}

/**
 * The paths to re-probe for `dest`: the plan's required (expect open) probes
 * to it, from the controller or from a source `canProbe` accepts, one port
 * per source and rule group (a rule is written for a whole range and a
 * source, so one port of it tells whether that rule lets the source in),
 * SSH from the controller always kept. Ordered as the plan orders them.
 */
export function pathsToVerify(plan: Pick<Plan, 'probes'>, dest: string, canProbe: (from: string) => boolean): Probe[] {
  const seen = new Set<string>();
  const out: Probe[] = [];
  for (const p of plan.probes) {
    if (p.to !== dest || p.expect !== 'open') continue;
    if (p.from !== CONTROLLER && !canProbe(p.from)) continue;
    const key = `${p.from}|${[...p.rules].sort().join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** One line naming the lost paths (at most `max`, then a count). */
export function describeLost(paths: { probe: Probe; before: ProbeOutcome; after: ProbeOutcome }[], max = 4): string {
  const shown = paths.slice(0, max).map(({ probe, before, after }) => `${probe.from === CONTROLLER ? 'controller' : probe.from} -> ${probe.to}:${probe.port} (${probe.rules.join(',')}) was ${before}, now ${after}`);
  const more = paths.length > max ? `, and ${paths.length - max} more` : '';
  return shown.join('; ') + more;
}
