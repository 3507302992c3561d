import { z } from 'zod';
import { firewallInputsOf } from '../engine/build-result.js';
import { changesByHost, diffOfHost, diffRuns, formatDiff, sideOfRun, type RunDiff } from '../state/run-diff.js';
import type { Module } from './types.js';

const args = z.strictObject({});

interface Shared {
  /** The last saved run's start, or undefined when there is none. */
  since?: string;
  byHost: Map<string, string[]>;
  diff?: RunDiff;
}

/**
 * What changed since the last saved run, per host: roles gained and lost,
 * address, new host, and the firewall rules `firewall apply` would add and
 * remove (as `ece-preflight diff -i`). Reads nothing from the hosts: the
 * inventory as it is now against the run history, so it opens a change
 * window (playbooks/role-change.yml). A host removed since is a warning.
 */
export const runDiffModule: Module<z.infer<typeof args>, Shared> = {
  name: 'run_diff',
  description: 'What changed since the last saved run: roles, addresses and firewall rules per host',
  args,
  checkMode: 'full',
  phase: 'task',
  prepare(task) {
    const last = task.run.previous;
    if (!last) return { byHost: new Map() };
    // The whole inventory (--limit ignored, as for the firewall): a host outside the limit is not a host removed.
    const plan = task.play.fullPlan();
    const now = { label: 'inventory now', hosts: plan.hosts.map((h) => ({ name: h.host.name, address: h.host.address, roles: h.roles, firewallInputs: firewallInputsOf(h.host) })) };
    const diff = diffRuns(sideOfRun('last run', last), now, { catalog: task.run.catalog, options: plan.options });
    for (const h of diff.hostsRemoved) {
      task.run.emit({ kind: 'warning', host: h, code: 'host-removed', message: `${h} was in the last run and is not in the inventory now: firewall apply removes the rules that let it in elsewhere` });
    }
    return { since: last.startedAt, byHost: changesByHost(diff), diff };
  },
  async run(ctx, _a, shared) {
    if (shared.since === undefined) return { status: 'ok', msg: 'no saved run to compare with: every path is new' };
    const changes = shared.byHost.get(ctx.name);
    if (!changes) return { status: 'ok', msg: `no change since the last run (${shared.since})`, data: { changes: [] } };
    const detail = ctx.task.diff && shared.diff ? { diff: { before: '', after: formatDiff(diffOfHost(shared.diff, ctx.name)) } } : {};
    return { status: 'ok', msg: `since the last run: ${changes.join('; ')}`, data: { changes }, ...detail };
  },
};
