import { EXIT } from '../errors.js';
import type { HostRun } from './host-run.js';
import { RESULT_SCHEMA, type OutboundRecord, type ProbeRecord, type RunResult } from './result.js';
import { recapOf, totalsOf } from './verdict-counts.js';
import type { SweepInput } from './sweep.js';

/** Fold what the run saw into the RunResult every report renders. */
export function buildResult(args: {
  input: SweepInput;
  runs: HostRun[];
  probes: ProbeRecord[];
  outbound: OutboundRecord[];
  skipped: number;
  startedAt: Date;
  interrupted: boolean;
}): RunResult {
  const { input, runs, probes, outbound, startedAt, interrupted } = args;
  const endedAt = new Date();
  const recap = recapOf(runs.map((r) => ({ name: r.name, state: r.state })), probes, outbound);
  const totals = totalsOf(probes, outbound, args.skipped);
  const anyUnreachable = runs.some((r) => r.state === 'unreachable');
  const anyFailed =
    runs.some((r) => r.state === 'failed') ||
    totals.blocked > 0 ||
    totals.error > 0 ||
    (input.options.failOnExposed && totals.exposed > 0);
  const exitCode = interrupted ? EXIT.interrupted : anyUnreachable ? EXIT.unreachable : anyFailed ? EXIT.failed : EXIT.ok;

  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'ece-preflight', version: input.toolVersion },
    catalogVersion: input.plan.catalogVersion,
    inventory: input.inventory,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    interrupted,
    exitCode,
    listenerPath: 'host-network',
    hosts: runs.map((run) => ({
      name: run.name,
      address: run.host.address,
      roles: run.planned.roles,
      rolesSource: run.host.rolesSource,
      state: run.state,
      error: run.error,
      errorKind: run.errorKind,
      facts: run.facts,
      listeners: run.listeners,
      cleanup: run.cleanup,
    })),
    probes,
    outbound,
    warnings: input.plan.warnings,
    recap,
    totals,
  };
}
