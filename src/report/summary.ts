import type { RunResult } from '../engine/result.js';
import { ROLES, type Role } from '../model/roles.js';
import type { HostFacts } from '../tasks/facts-types.js';
import { outboundOf, probesOf } from '../engine/check-record.js';
import { headlineOf, summarizeRun, type Headline, type RunSummary } from '../engine/run-summary.js';

/** Facts and headline numbers that the Markdown and HTML reports both print. */

export function roleCountsOf(result: RunResult): string {
  const counts = new Map<Role, number>();
  for (const h of result.hosts) for (const r of h.roles) counts.set(r, (counts.get(r) ?? 0) + 1);
  return ROLES.filter((r) => counts.has(r))
    .map((r) => `${r} ${counts.get(r)}`)
    .join(', ');
}

/**
 * The run's summary; a file written before summaries existed gets one derived
 * from what it holds (planned = run + skipped), so re-rendering an old run
 * cannot call a partial sweep complete either.
 */
export function summaryOf(result: Omit<RunResult, 'summary'> & { summary?: RunSummary }): RunSummary {
  if (result.summary) return result.summary;
  return summarizeRun({
    hosts: result.hosts,
    planned: { probes: probesOf(result.checks).length + result.totals.skipped, outbound: outboundOf(result.checks).length },
    checked: { probes: probesOf(result.checks).length, outbound: outboundOf(result.checks).length },
    totals: result.totals,
    interrupted: result.interrupted,
    exposuresFail: false,
    warnings: result.warnings.length,
  });
}

/** The first line of every report: status, then what went unchecked. */
export function headline(result: RunResult): Headline {
  return headlineOf(summaryOf(result));
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One cell per fact for the per-host table, in column order of FACT_COLUMNS. */
export const FACT_COLUMNS = ['OS', 'kernel', 'firewall', 'docker', 'IPv6', 'port range', 'python'] as const;

export function factCells(f: HostFacts | undefined): string[] {
  if (!f) return FACT_COLUMNS.map(() => '');
  const fw = f.firewall;
  return [
    f.os ?? '',
    f.kernel ?? '',
    fw
      ? [fw.backend, fw.firewalldActive ? 'firewalld active' : '', fw.ufwActive ? 'ufw active' : '', fw.rulesVisible === false ? 'rules not visible without become' : `${fw.nftRules} nft / ${fw.iptablesRules} iptables rules`]
          .filter(Boolean)
          .join(', ')
      : '',
    f.docker ? `${f.docker.present ? 'present' : 'absent'}${f.docker.socket ? ', socket' : ''}` : '',
    f.ipv6 ? (f.ipv6.enabled ? 'on' : 'off') : '',
    f.localPortRange ? f.localPortRange.join('-') : '',
    f.python ?? '',
  ];
}

export function listenerCell(h: RunResult['hosts'][number]): string {
  const l = h.listeners;
  if (!l) return '';
  const parts = [`${l.bound.length} up`];
  if (l.failed.length) parts.push(`failed: ${l.failed.map((f) => `${f.port} ${f.error}`).join(', ')}`);
  if (l.inUse.length) parts.push(`in use: ${l.inUse.map((u) => (u.process ? `${u.port} (${u.process})` : u.port)).join(', ')}`);
  return parts.join('; ');
}

/**
 * What a report says under "Failures" when it lists none. "Every required
 * path is open" is said only of a complete run: of a partial one we know the
 * paths that ran, nothing more.
 */
export function noFailuresText(s: RunSummary): string {
  if (s.complete) {
    return s.exposures > 0
      ? 'No required path is blocked (exposures are listed as warnings).'
      : 'None: every required path is open and nothing that must be closed answered.';
  }
  const planned = s.planned.probes + s.planned.outbound;
  const ran = s.checked.probes + s.checked.outbound;
  return `None among the ${ran} checks that ran; ${planned - ran} of ${planned} planned checks did not run, so nothing is known of those paths.`;
}
