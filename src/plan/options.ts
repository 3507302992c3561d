import type { Catalog } from '../catalog/types.js';
import type { PlanOptions } from './types.js';

/** Default interior ports sampled per range: with first and last, five per range. */
export const DEFAULT_SAMPLE_INTERIOR = 3;

/**
 * Whole categories `skip` understands besides rule ids:
 * - outbound: every outbound check (registry, snapshot repositories)
 * - docker, install-check: inbound rules tagged so in the catalog
 * - external: every probe from the controller (clients, admins, load balancers)
 * - container-only: the probes of the catalog's container-only ports (its `containerOnly.id`)
 * - ipv6: the proxy paths probed again over IPv6
 * - bandwidth: the bandwidth requirement between zones (not measured, not listed)
 * Besides rule ids: a host requirement's id (`proxy-ipv6`, `director-rtt`, ...).
 */
export const SKIP_CATEGORIES = ['outbound', 'docker', 'install-check', 'external', 'container-only', 'ipv6', 'bandwidth'] as const;

export function defaultPlanOptions(): PlanOptions {
  return {
    ports: 'sample',
    sampleInterior: DEFAULT_SAMPLE_INTERIOR,
    enable: [],
    skip: [],
    firstHost: true,
  };
}

/** Everything `skip` can name, so the CLI can refuse a typo instead of silently checking it anyway. */
export function knownSkipIds(catalog: Catalog): string[] {
  const ids = [
    ...SKIP_CATEGORIES,
    ...catalog.inbound.map((r) => r.id),
    ...catalog.outbound.map((r) => r.id),
    ...catalog.requirements.filter((r) => r.kind !== 'role-conflict').map((r) => r.id),
  ];
  if (catalog.containerOnly && !ids.includes(catalog.containerOnly.id)) ids.push(catalog.containerOnly.id);
  return ids;
}

/** The flags `enable` can turn on (optional rules). */
export function optionalFlags(catalog: Catalog): string[] {
  return [...new Set(catalog.inbound.flatMap((r) => (r.optional ? [r.optional.flag] : [])))].sort();
}
