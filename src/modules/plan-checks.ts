import type { CheckRecord } from '../engine/check-record.js';
import type { PlannedCheck } from '../engine/not-checked.js';
import { addPlanned, hostCheckKey, supersede } from '../engine/run-records.js';
import type { PlannedHostCheck } from '../engine/host-check.js';
import { splitByChange } from './carry-over.js';
import type { TaskContext } from './types.js';

/**
 * What the probe and outbound modules do with their planned checks before
 * any host runs: a path an earlier task of the run already checked (a
 * playbook that sweeps, changes the firewall and sweeps again) is replaced,
 * not counted twice; every path counts as planned (so one a host never runs
 * shows as not checked); under `--changed` the paths between unchanged hosts
 * keep the last run's result. Returns the checks to run now.
 */
export function planChecks<T extends { id: string; from: string; to: string }>(task: TaskContext, planned: readonly T[], asPlanned: (c: T) => PlannedCheck): T[] {
  replaceEarlierRound(task, new Set(planned.map((c) => c.id)));
  addPlanned(task.run.records, planned.map(asPlanned));
  const { run, carried } = splitByChange(task, planned);
  for (const check of carried) task.run.records.checks.push(check);
  if (carried.length > 0) task.run.emit({ kind: 'checks', checks: carried });
  return run;
}

/** Host checks planned again by a later task replace the earlier round's, as paths do. */
export function planHostChecks(task: TaskContext, planned: readonly PlannedHostCheck[]): void {
  replaceEarlierRound(task, new Set(), new Set(planned.map(hostCheckKey)));
  task.run.records.plannedHostChecks.push(...planned);
}

function replaceEarlierRound(task: TaskContext, ids: ReadonlySet<string>, hostKeys?: ReadonlySet<string>): void {
  const records = task.run.records;
  const round = supersede(records, ids, { play: task.play.name, task: task.name }, hostKeys);
  if (!round) return;
  // The renderers drop what they counted and take the records as they now are.
  const remaining: CheckRecord[] = [...records.checks];
  task.run.emit({ kind: 'checks-replaced', round, checks: remaining, planned: { ...records.planned } });
}
