import { sshTargetText, type FleetHost } from '../model/fleet.js';
import type { Role } from '../model/roles.js';
import type { PlanOptions } from '../plan/types.js';
import { outboundOf, probesOf, type CheckRecord } from './check-record.js';
import type { HostSession } from './host-session.js';
import { RESULT_SCHEMA, type FirewallInputs, type RunResult } from './result.js';
import { hostCheckCounts, hostCheckLine, hostChecksNotRun } from './host-check.js';
import { notCheckedOf } from './not-checked.js';
import type { RunRecords } from './run-records.js';
import { gapOf, summarizeRun, type RunSummary } from './run-summary.js';
import type { TaskCounts } from './task-counts.js';
import { recapOf, totalsOf } from './verdict-counts.js';

/** Fold what the run saw into the RunResult every report renders. */
export function buildResult(args: {
  input: { inventory: string; toolVersion: string; catalogVersion: string; failOnExposed: boolean };
  sessions: HostSession[];
  roles: (h: FleetHost) => Role[];
  records: RunRecords;
  taskCounts: Record<string, TaskCounts>;
  startedAt: Date;
  interrupted: boolean;
  /** The CLI's exit-code policy (src/cli/exit-code.ts): the engine records the code, it does not decide it. */
  exitCodeOf: (summary: RunSummary) => number;
  planOptions?: PlanOptions;
}): RunResult {
  const { input, sessions, records, startedAt, interrupted } = args;
  const { planned } = records;
  const checks = withoutLostDestinations(records.checks, sessions);
  const probes = probesOf(checks).length;
  const outbound = outboundOf(checks).length;
  const endedAt = new Date();
  const recap = recapOf(sessions.map((r) => ({ name: r.name, state: r.state })), checks);
  // Planned but never run, whatever the reason (a host down, a batch cut short, Ctrl-C).
  const notRun = Math.max(0, planned.probes - probes) + Math.max(0, planned.outbound - outbound);
  const totals = totalsOf(checks, notRun);
  const hostGaps = sessions.map((r) => ({ name: r.name, state: r.state, error: r.error, phase: r.phase }));
  const gapReason = new Map(hostGaps.map((h) => [h.name, gapOf(h, interrupted)?.reason]));
  const hostChecks = [
    ...records.hostChecks,
    ...hostChecksNotRun(records.plannedHostChecks, records.hostChecks, (h) => gapReason.get(h), interrupted),
  ];
  const summary = summarizeRun({
    hosts: sessions.map((r) => ({ name: r.name, state: r.state, error: r.error, phase: r.phase })),
    planned,
    checked: { probes, outbound },
    totals,
    interrupted,
    exposuresFail: input.failOnExposed,
    warnings: records.warnings.length,
    carried: checks.filter((c) => c.carriedFrom !== undefined).length,
    ...(hostChecks.length ? { hostChecks: hostCheckCounts(hostChecks), hostCheckLines: hostChecks.filter((c) => c.status !== 'pass').map(hostCheckLine) } : {}),
  });

  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'ece-preflight', version: input.toolVersion },
    catalogVersion: input.catalogVersion,
    inventory: input.inventory,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    interrupted,
    exitCode: args.exitCodeOf(summary),
    summary,
    listenerPath: 'host-network',
    hosts: sessions.map((s) => ({
      name: s.name,
      address: s.host.address,
      ...(s.host.addressSource ? { addressSource: s.host.addressSource } : {}),
      ...(sshTargetText(s.host) ? { ssh: sshTargetText(s.host) } : {}),
      roles: args.roles(s.host),
      rolesSource: s.host.rolesSource,
      state: s.state,
      error: s.error,
      errorKind: s.errorKind,
      phase: s.phase,
      facts: s.facts,
      listeners: s.listeners,
      cleanup: s.cleanup,
      firewallInputs: firewallInputsOf(s.host),
    })),
    checks,
    notChecked: notCheckedOf(records.plannedChecks, checks, summary.hostsNotChecked, interrupted),
    ...(hostChecks.length ? { hostChecks } : {}),
    warnings: records.warnings,
    recap,
    ...(records.superseded.length ? { superseded: records.superseded } : {}),
    tasks: args.taskCounts,
    ...(args.planOptions ? { context: { planOptions: args.planOptions } } : {}),
    totals,
  };
}

/** What the host's firewall rules read besides roles and address, kept so a saved run's rules can be rendered again. */
export function firewallInputsOf(h: FleetHost): FirewallInputs {
  return { sshPort: h.port, connection: h.connection, clientCidrs: [...h.clientCidrs], adminCidrs: [...h.adminCidrs], ...(h.eceVersion ? { eceVersion: h.eceVersion } : {}) };
}

/**
 * A host whose connection was lost mid-run (sshd killed, the host gone) took
 * its agent and listeners with it: a probe to it that did not connect may
 * have met the dead listener, not a firewall. Such results say nothing
 * about the path, so they are dropped and the paths count as not checked
 * (the host is named unreachable with why); a probe that connected stands.
 */
export function withoutLostDestinations(checks: readonly CheckRecord[], sessions: readonly Pick<HostSession, 'name' | 'state' | 'errorKind'>[]): CheckRecord[] {
  const lost = new Set(sessions.filter((s) => s.state === 'unreachable' && s.errorKind === 'connection-lost').map((s) => s.name));
  if (lost.size === 0) return [...checks];
  return checks.filter((c) => !(c.kind === 'probe' && lost.has(c.to) && c.result.outcome !== 'open'));
}
