import type { PlanWarning } from '../plan/types.js';
import type { CheckRecord } from './check-record.js';
import type { HostCheckRecord, PlannedHostCheck } from './host-check.js';
import type { PlannedCheck } from './not-checked.js';
import { addVerdicts, emptyCounts, type VerdictCounts } from './verdict-counts.js';

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
  /**
   * Earlier rounds of the same checks that a later task planned again (a
   * playbook that sweeps, changes the firewall and sweeps again): their
   * results were replaced by the later round's, and are summed up here.
   */
  superseded: SupersededRound[];
}

/** What an earlier round of checks found before a later task probed the same paths again. */
export interface SupersededRound {
  /** The play and task that planned the checks again. */
  play: string;
  task: string;
  /** How many earlier results were replaced, and their verdicts. */
  checks: number;
  verdicts: VerdictCounts;
}

export function emptyRecords(): RunRecords {
  return { checks: [], planned: { probes: 0, outbound: 0 }, plannedChecks: [], warnings: [], hostChecks: [], plannedHostChecks: [], superseded: [] };
}

/** Count a task's checks as planned, and keep who they are (a loop: a fleet's matrix is too long for push(...)). */
export function addPlanned(records: RunRecords, checks: readonly PlannedCheck[]): void {
  for (const c of checks) {
    records.plannedChecks.push(c);
    if (c.kind === 'probe') records.planned.probes++;
    else records.planned.outbound++;
  }
}

/**
 * A task about to plan checks that an earlier task of the run already
 * planned (same ids): the earlier planned entries and results leave the
 * records, so each path counts once and the later round's verdict is the
 * run's. Returns the round replaced (undefined when nothing overlapped), for
 * the caller to announce. Host checks planned again are replaced alike,
 * without a round (they are judged again from the same facts).
 */
export function supersede(
  records: RunRecords,
  ids: ReadonlySet<string>,
  by: { play: string; task: string },
  hostCheckKeys: ReadonlySet<string> = new Set(),
): SupersededRound | undefined {
  const again = (c: { id: string }) => ids.has(c.id);
  const againHost = (c: PlannedHostCheck) => hostCheckKeys.has(hostCheckKey(c));
  if (records.plannedHostChecks.some(againHost)) {
    records.hostChecks = records.hostChecks.filter((c) => !againHost(c));
    records.plannedHostChecks = records.plannedHostChecks.filter((c) => !againHost(c));
  }
  if (!records.plannedChecks.some(again)) return undefined;
  const replaced = records.checks.filter(again);
  records.checks = records.checks.filter((c) => !again(c));
  records.plannedChecks = records.plannedChecks.filter((c) => !again(c));
  records.planned = { probes: 0, outbound: 0 };
  for (const c of records.plannedChecks) records.planned[c.kind === 'probe' ? 'probes' : 'outbound']++;
  const round: SupersededRound = { ...by, checks: replaced.length, verdicts: addVerdicts(emptyCounts(), replaced) };
  records.superseded.push(round);
  return round;
}

/** One key per planned host check: kind, id and host (a fleet-level check has none). */
export function hostCheckKey(c: PlannedHostCheck): string {
  return `${c.kind}:${c.id}@${c.host ?? ''}`;
}
