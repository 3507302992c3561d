import type { PlanWarning } from '../plan/types.js';
import type { CheckRecord } from './check-record.js';

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
  warnings: PlanWarning[];
}

export function emptyRecords(): RunRecords {
  return { checks: [], planned: { probes: 0, outbound: 0 }, warnings: [] };
}
