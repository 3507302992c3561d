import { EXIT } from '../errors.js';
import type { Plan, PlanWarning } from '../plan/types.js';
import type { HostRun } from './host-run.js';
import type { EngineOptions } from './options.js';
import { RESULT_SCHEMA, type OutboundRecord, type ProbeRecord, type RunResult } from './result.js';
import { summarizeRun, type RunSummary } from './run-summary.js';
import { recapOf, totalsOf } from './verdict-counts.js';

/**
 * The exit code follows the summary, so the code and the headline never
 * disagree: interrupted 99, an unreachable host 3, a failure or anything left
 * unchecked 2 (an incomplete run never exits 0), else 0.
 */
export function exitCodeOf(summary: RunSummary): number {
  if (summary.interrupted) return EXIT.interrupted;
  if (summary.hostsNotChecked.some((h) => h.state === 'unreachable')) return EXIT.unreachable;
  return summary.status === 'passed' ? EXIT.ok : EXIT.failed;
}

/** Fold what the run saw into the RunResult every report renders. */
export function buildResult(args: {
  /** The parts of the SweepInput read here (typed apart: sweep.ts imports this file). */
  input: {
    plan: Pick<Plan, 'probes' | 'outbound' | 'catalogVersion'>;
    inventory: string;
    toolVersion: string;
    options: Pick<EngineOptions, 'failOnExposed'>;
  };
  runs: HostRun[];
  probes: ProbeRecord[];
  outbound: OutboundRecord[];
  warnings: PlanWarning[];
  startedAt: Date;
  interrupted: boolean;
}): RunResult {
  const { input, runs, probes, outbound, startedAt, interrupted } = args;
  const endedAt = new Date();
  const recap = recapOf(runs.map((r) => ({ name: r.name, state: r.state })), probes, outbound);
  const planned = { probes: input.plan.probes.length, outbound: input.plan.outbound.length };
  // Planned but never run, whatever the reason (a host down, a batch cut short, Ctrl-C).
  const notRun = planned.probes - probes.length + planned.outbound - outbound.length;
  const totals = totalsOf(probes, outbound, notRun);
  const summary = summarizeRun({
    hosts: runs.map((r) => ({ name: r.name, state: r.state, error: r.error, phase: r.phase })),
    planned,
    checked: { probes: probes.length, outbound: outbound.length },
    totals,
    interrupted,
    exposuresFail: input.options.failOnExposed,
    warnings: args.warnings.length,
  });

  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'ece-preflight', version: input.toolVersion },
    catalogVersion: input.plan.catalogVersion,
    inventory: input.inventory,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    interrupted,
    exitCode: exitCodeOf(summary),
    summary,
    listenerPath: 'host-network',
    hosts: runs.map((run) => ({
      name: run.name,
      address: run.host.address,
      roles: run.planned.roles,
      rolesSource: run.host.rolesSource,
      state: run.state,
      error: run.error,
      errorKind: run.errorKind,
      phase: run.phase,
      facts: run.facts,
      listeners: run.listeners,
      cleanup: run.cleanup,
    })),
    probes,
    outbound,
    warnings: args.warnings,
    recap,
    totals,
  };
}
