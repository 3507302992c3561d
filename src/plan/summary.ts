import { formatSpecs } from '../catalog/ports.js';
import type { PortSpec } from '../catalog/types.js';
import { ROLES, type Role } from '../model/roles.js';
import { CONTROLLER, type Plan } from './types.js';

export type MatrixSource = Role | 'external';

export interface HostSummary {
  name: string;
  roles: Role[];
  listeners: number;
  /** Probes that target this host. */
  probesIn: number;
  /** Probes this host runs. */
  probesOut: number;
  outbound: number;
}

export interface PlanSummary {
  /**
   * Source role (or external clients) x destination role -> the port ranges
   * of the rules in force, as compact strings ("2112, 12191-12201"); '' where
   * nothing flows. Full ranges, not the sampled ports: this is the policy the
   * sweep checks.
   */
  matrix: Record<MatrixSource, Record<Role, string>>;
  /** Ports that must NOT be reachable from other hosts (2375). */
  closed: string;
  hosts: HostSummary[];
  /** Probes the controller runs (the external row). */
  controllerProbes: number;
  totals: { hosts: number; listeners: number; probes: number; outbound: number; warnings: number };
}

const emptyRow = (): Record<Role, PortSpec[]> => ({ director: [], coordinator: [], proxy: [], allocator: [] });

/** A display summary of a plan: pure, one pass over the probes. */
export function summarizePlan(plan: Plan): PlanSummary {
  const cells: Record<MatrixSource, Record<Role, PortSpec[]>> = {
    director: emptyRow(),
    coordinator: emptyRow(),
    proxy: emptyRow(),
    allocator: emptyRow(),
    external: emptyRow(),
  };
  const closed: PortSpec[] = [...(plan.containerOnly?.ports ?? [])];
  for (const rule of plan.rules ?? []) {
    const dests = rule.dest === 'all' ? [...ROLES] : rule.dest;
    if (rule.expect === 'closed') {
      closed.push(...rule.ports);
      continue;
    }
    const froms = new Set<MatrixSource>();
    for (const s of rule.sources) {
      if (s.kind === 'external') froms.add('external');
      else if (s.kind === 'all-hosts') ROLES.forEach((r) => froms.add(r));
      else if (s.kind === 'roles') s.roles.forEach((r) => froms.add(r));
    }
    for (const from of froms) for (const to of dests) cells[from][to].push(...rule.ports);
  }
  const matrix = Object.fromEntries(
    Object.entries(cells).map(([from, row]) => [from, Object.fromEntries(ROLES.map((to) => [to, formatSpecs(row[to])]))]),
  ) as PlanSummary['matrix'];

  const index = new Map(plan.hosts.map((h, i) => [h.host.name, i]));
  const probesIn = new Array<number>(plan.hosts.length).fill(0);
  const probesOut = new Array<number>(plan.hosts.length).fill(0);
  const outbound = new Array<number>(plan.hosts.length).fill(0);
  let controllerProbes = 0;
  for (const p of plan.probes) {
    const t = index.get(p.to);
    if (t !== undefined) probesIn[t]!++;
    if (p.from === CONTROLLER) controllerProbes++;
    else {
      const f = index.get(p.from);
      if (f !== undefined) probesOut[f]!++;
    }
  }
  for (const o of plan.outbound) {
    const f = index.get(o.from);
    if (f !== undefined) outbound[f]!++;
  }
  const hosts = plan.hosts.map((h, i) => ({
    name: h.host.name,
    roles: h.roles,
    listeners: h.listeners.length,
    probesIn: probesIn[i]!,
    probesOut: probesOut[i]!,
    outbound: outbound[i]!,
  }));
  return {
    matrix,
    closed: formatSpecs(closed),
    hosts,
    controllerProbes,
    totals: {
      hosts: plan.hosts.length,
      listeners: hosts.reduce((a, h) => a + h.listeners, 0),
      probes: plan.probes.length,
      outbound: plan.outbound.length,
      warnings: plan.warnings.length,
    },
  };
}
