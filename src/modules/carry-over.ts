import type { CheckRecord } from '../engine/check-record.js';
import { endpointText, type Endpoint } from '../model/fleet.js';
import { changedHosts } from '../state/run-diff.js';
import type { HostFacts } from '../tasks/facts-types.js';
import type { TaskContext } from './types.js';

/**
 * `sweep --changed`: which planned checks must run again and which keep the
 * last run's result. A check runs again when either end is a host whose
 * roles, address or firewall changed (or that is new), or when the last run
 * has no result for it; every other one is carried over, marked with the run
 * it came from, so the verdicts equal a full sweep's without its cost.
 */
export function splitByChange<T extends { id: string; from: string; to: string }>(task: TaskContext, planned: readonly T[]): { run: T[]; carried: CheckRecord[] } {
  const baseline = task.run.baseline;
  if (!baseline) return { run: [...planned], carried: [] };
  const changed = changedHosts(
    baseline.hosts,
    task.play.plan().hosts.map((h) => ({ name: h.host.name, address: h.host.address, roles: h.roles })),
  );
  // A firewall that changed since (its facts, read in this run's first task) changes every path to and from its host.
  for (const h of baseline.hosts) {
    const now = task.session(h.name)?.facts?.firewall;
    if (now && firewallChanged(h.facts?.firewall, now)) changed.add(h.name);
  }
  const before = new Map(baseline.checks.map((c) => [c.id, c]));
  const run: T[] = [];
  const carried: CheckRecord[] = [];
  for (const c of planned) {
    const old = before.get(c.id);
    // An outbound check through another proxy than last time (or none) is another path.
    const via = (c as { proxy?: Endpoint }).proxy;
    const viaChanged = old !== undefined && old.kind === 'outbound' && old.result.proxy?.address !== (via ? endpointText(via) : undefined);
    if (!old || changed.has(c.from) || changed.has(c.to) || viaChanged) run.push(c);
    else carried.push({ ...old, carriedFrom: old.carriedFrom ?? baseline.startedAt });
  }
  return { run, carried };
}

/** Exported for tests. Runs saved before rulesHash compare by the counts alone. */
export function firewallChanged(a: HostFacts['firewall'], b: NonNullable<HostFacts['firewall']>): boolean {
  if (!a) return true;
  if (a.rulesHash !== undefined && b.rulesHash !== undefined && a.rulesHash !== b.rulesHash) return true;
  return a.backend !== b.backend || a.nftRules !== b.nftRules || a.iptablesRules !== b.iptablesRules || a.firewalldActive !== b.firewalldActive || a.ufwActive !== b.ufwActive;
}
