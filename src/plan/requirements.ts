import { inVersionRange } from '../catalog/versions.js';
import type { Catalog } from '../catalog/types.js';
import type { FleetHost } from '../model/fleet.js';
import type { Role } from '../model/roles.js';
import type { PlanOptions, PlannedRequirement } from './types.js';

/**
 * Host-level requirements that apply to this fleet, with the hosts each
 * concerns. Role conflicts are warnings, not requirements, so they are left
 * out here. A requirement that concerns no host is left out.
 */
export function plannedRequirements(hosts: FleetHost[], planned: Role[][], firstIndex: number, catalog: Catalog, options: Pick<PlanOptions, 'skip' | 'bandwidth'> = { skip: [] }): PlannedRequirement[] {
  const zones = new Set(hosts.map((h) => h.zone).filter((z): z is string => z !== undefined));
  const out: PlannedRequirement[] = [];
  for (const req of catalog.requirements) {
    let names: string[];
    // --skip bandwidth (or the requirement's id): neither judged nor listed as not checked.
    if (options.skip.includes(req.id) || (req.kind === 'min-bandwidth-gbit' && options.skip.includes('bandwidth'))) continue;
    switch (req.kind) {
      case 'role-conflict':
        continue;
      case 'first-host-all-roles':
        names = firstIndex >= 0 ? [hosts[firstIndex]!.name] : [];
        break;
      default: {
        if (req.acrossZones && zones.size < 2) continue;
        names = hosts
          .filter((h, i) => req.appliesTo === 'all' || planned[i]!.some((r) => (req.appliesTo as Role[]).includes(r)))
          // An unknown version is in range (see inVersionRange): better to check IPv6 once too often.
          .filter((h) => inVersionRange(h.eceVersion, req.versions))
          .map((h) => h.name);
        // A round trip needs two ends.
        if (req.kind === 'max-rtt-ms' && names.length < 2) continue;
      }
    }
    if (names.length === 0) continue;
    out.push({
      requirement: req.id,
      kind: req.kind,
      ...(req.value !== undefined ? { value: req.value } : {}),
      hosts: names,
      purpose: req.purpose,
      ...(req.versions ? { versions: req.versions } : {}),
      ...(req.acrossZones ? { acrossZones: true } : {}),
      ...(req.kind === 'min-bandwidth-gbit' && options.bandwidth ? { measure: true } : {}),
    });
  }
  return out;
}
