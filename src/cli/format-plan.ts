import { sshTargetText, type FleetHost } from '../model/fleet.js';
import { ROLES } from '../model/roles.js';
import type { Plan } from '../plan/types.js';
import type { MatrixSource, PlanSummary } from '../plan/summary.js';

/** The text `ece-preflight plan` prints: the role matrix with ports, then per-host counts. */
export function formatPlanSummary(source: string, plan: Plan, summary: PlanSummary): string {
  const lines: string[] = [];
  const roleCount = ROLES.map((r) => `${plan.hosts.filter((h) => h.roles.includes(r)).length} ${r}`).join(', ');
  lines.push(`PLAN ${source}: ${plan.hosts.length} hosts (${roleCount}), catalog ${plan.catalogVersion}, ports ${plan.options.ports}${plan.options.pairsPerRole ? `, pairs ${plan.options.pairsPerRole}/role` : ''}`);
  lines.push('');
  lines.push('Required paths (who connects -> role that must accept: TCP ports)');
  const sources: MatrixSource[] = [...ROLES, 'external'];
  for (const from of sources) {
    for (const to of ROLES) {
      const ports = summary.matrix[from][to];
      if (ports) lines.push(`  ${from.padEnd(11)} -> ${to.padEnd(11)} ${ports}`);
    }
  }
  if (summary.closed) lines.push(`Must NOT be reachable from other hosts: ${summary.closed}`);
  lines.push('');
  const w = Math.max(4, ...summary.hosts.map((h) => h.name.length));
  const firstHosts = new Set(plan.hosts.filter((p) => p.firstHost).map((p) => p.host.name));
  const rolesText = (h: { name: string; roles: string[] }) => h.roles.join(',') + (firstHosts.has(h.name) ? ' (first host)' : '');
  const rw = Math.max(5, ...summary.hosts.map((h) => rolesText(h).length));
  lines.push(`  ${'host'.padEnd(w)}  ${'roles'.padEnd(rw)} listeners  probes-in  probes-out  outbound`);
  for (const h of summary.hosts) {
    lines.push(
      `  ${h.name.padEnd(w)}  ${rolesText(h).padEnd(rw)} ${String(h.listeners).padStart(9)}  ${String(h.probesIn).padStart(9)}  ${String(h.probesOut).padStart(10)}  ${String(h.outbound).padStart(8)}`,
    );
  }
  lines.push('');
  lines.push(...addressLines(plan));
  const t = summary.totals;
  lines.push('');
  lines.push(`Totals: ${t.listeners} listeners, ${t.probes} probes (${summary.controllerProbes} from the controller), ${t.outbound} outbound checks`);
  if (plan.warnings.length) {
    lines.push('');
    lines.push('Warnings:');
    for (const w of plan.warnings) lines.push(`  [WARNING] ${w.host ? `${w.host}: ` : ''}${w.message}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Per host: where it is probed (and from which var) and where SSH really
 * goes after ssh_config, so a probe on the management network instead of
 * ECE's data network is visible before anything runs.
 */
export function addressLines(plan: Plan): string[] {
  const hosts = plan.hosts.map((p) => p.host);
  const w = Math.max(4, ...hosts.map((h) => h.name.length));
  const probe = (h: FleetHost): string => `${h.address}${h.addressSource ? ` (${h.addressSource})` : ''}`;
  const pw = Math.max(13, ...hosts.map((h) => probe(h).length));
  return [
    `  ${'host'.padEnd(w)}  ${'probe address'.padEnd(pw)}  ssh target (after ssh_config)`,
    ...hosts.map((h) => `  ${h.name.padEnd(w)}  ${probe(h).padEnd(pw)}  ${sshTargetText(h) || '?'}${h.ssh?.resolvedBy === 'built-in parser' ? ' (built-in parser)' : ''}`),
  ];
}
