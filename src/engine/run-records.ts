import type { PlanWarning } from '../plan/types.js';
import type { OutboundRecord, ProbeRecord } from './result.js';

/**
 * What the checks of a run found, kept apart from the task results: the
 * probe and outbound records, how many checks were planned (a task plans
 * its whole matrix before any host runs, so a host that fails later leaves
 * its share counted as planned and not run), and warnings. The RunResult is
 * folded from this.
 */
export interface RunRecords {
  probes: ProbeRecord[];
  outbound: OutboundRecord[];
  planned: { probes: number; outbound: number };
  warnings: PlanWarning[];
}

export function emptyRecords(): RunRecords {
  return { probes: [], outbound: [], planned: { probes: 0, outbound: 0 }, warnings: [] };
}
