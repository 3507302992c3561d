import type { Catalog } from '../catalog/types.js';
import type { FleetHost } from '../model/fleet.js';
import { ROLES, type Role } from '../model/roles.js';
import type { PlanWarning } from './types.js';

/**
 * Warnings about roles, in host order: the first host planned with all four,
 * hosts that got all four by default, roles that should not share a host
 * (the first host is exempt: it holds all four by design), and roles no host
 * holds (their ports would have no source to probe from).
 */
export function hostWarnings(hosts: FleetHost[], planned: Role[][], firstIndex: number, catalog: Catalog): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const conflicts = catalog.requirements.filter((r) => r.kind === 'role-conflict');
  hosts.forEach((host, i) => {
    if (i === firstIndex) {
      warnings.push({
        host: host.name,
        code: 'first-host',
        message:
          'planned as the ECE first host with all four roles: every role port must be open on it until the installation is up (turn off with --no-first-host)',
      });
    }
    if (host.rolesSource === 'default-all') {
      warnings.push({
        host: host.name,
        code: 'default-all-roles',
        message: "no role in inventory: planned with all four, as Elastic's Ansible role does",
      });
    }
    if (i === firstIndex) return;
    const held = new Set(planned[i]);
    for (const c of conflicts) {
      const pair = c.value as Role[];
      if (pair.every((r) => held.has(r))) {
        warnings.push({ host: host.name, code: 'role-conflict', message: `${pair.join(' and ')} on one host: ${c.purpose} [${c.id}]` });
      }
    }
  });
  // The seed: an installation should not span data centers; if it does, say so plainly, once.
  const zones = new Map<string, number>();
  for (const h of hosts) if (h.zone !== undefined) zones.set(h.zone, (zones.get(h.zone) ?? 0) + 1);
  if (zones.size > 1) {
    const list = [...zones].map(([z, n]) => `${z}: ${n} ${n === 1 ? 'host' : 'hosts'}`).join(', ');
    warnings.push({
      code: 'spans-zones',
      message:
        `this installation spans ${zones.size} zones (${list}): Elastic recommends one data center per ECE installation; ` +
        'across data centers it needs under 10 ms round trip and high bandwidth (checked: multi-dc-rtt, and multi-dc-bandwidth with --bandwidth), and support may ask you to consolidate',
    });
  }
  // 2375 and the container-only ports are judged by probes from another host: with one host, none.
  if (hosts.length === 1) {
    warnings.push({
      host: hosts[0]!.name,
      code: 'single-host',
      message: 'one host only: no other host checked that Docker 2375 and the container-only ports stay closed to other hosts; sweep with a second host in the inventory to check them',
    });
  }
  if (hosts.length > 0) {
    for (const role of ROLES) {
      if (!planned.some((roles) => roles.includes(role))) {
        warnings.push({ code: 'missing-role', message: `no host holds the ${role} role: its ports are not probed and its clients have nothing to reach` });
      }
    }
  }
  return warnings;
}
