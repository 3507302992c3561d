import type { RunResult } from '../engine/result.js';
import { ROLES, type Role } from '../model/roles.js';
import type { HostFacts } from '../tasks/facts-types.js';
import { formatTally, tallyOf } from './tally.js';

/** Facts and headline numbers that the Markdown and HTML reports both print. */

export function roleCountsOf(result: RunResult): string {
  const counts = new Map<Role, number>();
  for (const h of result.hosts) for (const r of h.roles) counts.set(r, (counts.get(r) ?? 0) + 1);
  return ROLES.filter((r) => counts.has(r))
    .map((r) => `${r} ${counts.get(r)}`)
    .join(', ');
}

export function headline(result: RunResult): string {
  return formatTally(tallyOf(result.totals));
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
      ? [fw.backend, fw.firewalldActive ? 'firewalld active' : '', fw.ufwActive ? 'ufw active' : '', `${fw.nftRules} nft / ${fw.iptablesRules} iptables rules`]
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
