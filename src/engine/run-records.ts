import type { PlanWarning } from '../plan/types.js';
import type { CheckRecord } from './check-record.js';
import type { HostCheckRecord, PlannedHostCheck } from './host-check.js';
import type { PlannedCheck } from './not-checked.js';

/**
 * What the checks of a run found, kept apart from the task results: the
 * check records (probes and outbound checks), how many checks were planned (a task plans
 * its whole matrix before any host runs, so a host that fails later leaves
 * its share counted as planned and not run), and warnings. The RunResult is
 * folded from this.
 */
export interface RunRecords {
  checks: CheckRecord[];
  planned: { probes: number; outbound: number };
  /** Each planned check, so the result can name those that did not run (`planned` counts them). */
  plannedChecks: PlannedCheck[];
  warnings: PlanWarning[];
  /** Requirements and installer preconditions judged (host-checks module). */
  hostChecks: HostCheckRecord[];
  /** Each host check planned, so one a host never ran shows as 'not checked'. */
  plannedHostChecks: PlannedHostCheck[];
}

export function emptyRecords(): RunRecords {
  return { checks: [], planned: { probes: 0, outbound: 0 }, plannedChecks: [], warnings: [], hostChecks: [], plannedHostChecks: [] };
}

/** Count a task's checks as planned, and keep who they are (a loop: a fleet's matrix is too long for push(...)). */
export function addPlanned(records: RunRecords, checks: readonly PlannedCheck[]): void {
  for (const c of checks) {
    records.plannedChecks.push(c);
    if (c.kind === 'probe') records.planned.probes++;
    else records.planned.outbound++;
  }
}
